#include <string.h>

#include "bls/boot_count.h"
#include "bls/choose.h"
#include "harness.h"

/* name, counting, left, done, the name without counter, the next name */
static const struct {
	const char *name;
	bool on;
	unsigned left, done;
	const char *strip, *next;
} names[] = {
	{ "a+3.conf", true, 3, 0, "a.conf", "a+2-1.conf" },
	{ "a+3-1.conf", true, 3, 1, "a.conf", "a+2-2.conf" },
	{ "a+1-2.conf", true, 1, 2, "a.conf", "a+0-3.conf" },
	{ "a+0-5.conf", true, 0, 5, "a.conf", "a+0-6.conf" }, /* bad stays 0 */
	{ "a+0.conf", true, 0, 0, "a.conf", "a+0-1.conf" },
	{ "4.14.11-300.fc27.x86_64+3.conf", true, 3, 0,
	  "4.14.11-300.fc27.x86_64.conf", "4.14.11-300.fc27.x86_64+2-1.conf" },
	{ "+3.conf", true, 3, 0, ".conf", "+2-1.conf" },
	{ "a+b+3.conf", true, 3, 0, "a+b.conf", "a+b+2-1.conf" }, /* the last '+' */
	{ "a.b+3.conf", true, 3, 0, "a.b.conf", "a.b+2-1.conf" },
	{ "a+03-007.conf", true, 3, 7, "a.conf", "a+2-8.conf" },
	{ "a+10-9.conf", true, 10, 9, "a.conf", "a+9-10.conf" },
	{ "linux-6.1+2-0.efi", true, 2, 0, "linux-6.1.efi", "linux-6.1+1-1.efi" },
	{ "A+3.CONF", true, 3, 0, "A.CONF", "A+2-1.CONF" },
	{ "a+2147483647.conf", true, 2147483647, 0, "a.conf", "a+2147483646-1.conf" },
	{ "a+1-2147483647.conf", true, 1, 2147483647, "a.conf", "a+0-2147483647.conf" },
	{ "a+00000000000000000000001.conf", true, 1, 0, "a.conf", "a+0-1.conf" },
	/* no counter: the name is the id */
	{ "a.conf", false, 0, 0, "a.conf", NULL },
	{ "a+.conf", false, 0, 0, "a+.conf", NULL },
	{ "a+x.conf", false, 0, 0, "a+x.conf", NULL },
	{ "a+3x.conf", false, 0, 0, "a+3x.conf", NULL },
	{ "a+3-.conf", false, 0, 0, "a+3-.conf", NULL },
	{ "a+-3.conf", false, 0, 0, "a+-3.conf", NULL },
	{ "a+3-1-2.conf", false, 0, 0, "a+3-1-2.conf", NULL },
	{ "a+3-1-.conf", false, 0, 0, "a+3-1-.conf", NULL },
	{ "a+3+b.conf", false, 0, 0, "a+3+b.conf", NULL },
	{ "a+3 .conf", false, 0, 0, "a+3 .conf", NULL },
	{ "a+3.conf.bak", false, 0, 0, "a+3.conf.bak", NULL },
	{ "a+3", false, 0, 0, "a+3", NULL },
	{ "a+2147483648.conf", false, 0, 0, "a+2147483648.conf", NULL },
	{ "a+1-99999999999999999999999.conf", false, 0, 0,
	  "a+1-99999999999999999999999.conf", NULL },
	{ "", false, 0, 0, "", NULL },
};

TEST(boot_count_names)
{
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct bls_count c;
		char out[64];

		CHECK_EQ(bls_count_parse(names[i].name, &c), names[i].on);
		CHECK_EQ(c.on, names[i].on);
		CHECK_EQ(c.left, names[i].left);
		CHECK_EQ(c.done, names[i].done);
		CHECK_EQ(bls_count_bad(&c), names[i].on && !names[i].left);
		strcpy(out, names[i].name);
		bls_count_strip(out);
		CHECK_STR(out, names[i].strip);
		if (names[i].next) {
			CHECK_EQ(bls_count_next(names[i].name, out, sizeof(out)), 0);
			CHECK_STR(out, names[i].next);
		} else {
			CHECK(bls_count_next(names[i].name, out, sizeof(out)) < 0);
		}
	}
}

TEST(boot_count_next_small_buffer)
{
	char out[11];

	CHECK_EQ(bls_count_next("a+3.conf", out, 11), 0);   /* "a+2-1.conf" */
	CHECK(bls_count_next("a+3.conf", out, 10) < 0);
}

static struct bls_entry pool[8];
static char ids[8][64];

/* The entry in file `name`: its id without the counter, as the EFI side
 * makes it. */
static struct bls_entry *ent(size_t i, const char *name, const char *sort_key)
{
	strcpy(ids[i], name);
	bls_count_strip(ids[i]);
	pool[i] = (struct bls_entry){ .id = ids[i], .file = name,
				      .sort_key = sort_key };
	bls_count_parse(name, &pool[i].count);
	return &pool[i];
}

static void check_order(struct bls_entry **v, size_t n, const char *const *want)
{
	bls_sort(v, n);
	for (size_t i = 0; i < n; i++)
		CHECK_STR(v[i]->file, want[i]);
}

TEST(boot_count_sorting)
{
	/* bad entries after all others, a sort-key or not */
	struct bls_entry *v[] = {
		ent(0, "fedora-6.2+0-3.conf", "fedora"),
		ent(1, "old.conf", NULL),
		ent(2, "fedora-6.1+2-1.conf", "fedora"),
		ent(3, "arch+0.conf", NULL),
		ent(4, "fedora-6.3+3.conf", "fedora"),
	};
	static const char *const want[] = {
		"fedora-6.3+3.conf", "fedora-6.1+2-1.conf", "old.conf",
		"fedora-6.2+0-3.conf", "arch+0.conf",
	};

	check_order(v, 5, want);
}

TEST(boot_count_sorting_same_name)
{
	/* the counter is no part of the id; for the same id more tries left
	 * first, then fewer done; bad last, fewer done first (as
	 * systemd-boot; UAPI.1 "Sorting" sorts them "by n") */
	struct bls_entry *v[] = {
		ent(0, "k+0-5.conf", NULL),
		ent(1, "k+1-2.conf", NULL),
		ent(2, "k+0-3.conf", NULL),
		ent(3, "k+1-0.conf", NULL),
		ent(4, "k+2-1.conf", NULL),
		ent(5, "k-lts.conf", NULL),
		ent(6, "j.conf", NULL),
	};
	static const char *const want[] = {
		"k-lts.conf", "k+2-1.conf", "k+1-0.conf", "k+1-2.conf", "j.conf",
		"k+0-3.conf", "k+0-5.conf",
	};

	check_order(v, 7, want);
}

TEST(boot_count_match_ignores_counter)
{
	struct bls_entry *v[] = {
		ent(0, "debian-6.1+2-1.conf", NULL),
		ent(1, "xen.conf", NULL),
	};

	CHECK_STR(v[0]->id, "debian-6.1.conf");
	CHECK_EQ(bls_match(v, 2, "debian-6.1.conf"), 0);
	CHECK_EQ(bls_match(v, 2, "debian-6.1"), 0);
	CHECK_EQ(bls_match(v, 2, "DEBIAN-6.1+2-1.conf"), 0); /* as sd-boot 252 */
	CHECK_EQ(bls_match(v, 2, "debian-6.1+3.conf"), 0);   /* an older name */
	CHECK_EQ(bls_match(v, 2, "debian-*"), 0);
	CHECK_EQ(bls_match(v, 2, "debian-6.1+2-1"), 2);      /* no suffix: no counter */
	CHECK_EQ(bls_match(v, 2, "xen+1.conf"), 1);
}

static char warnings[2048];

static void collect(void *ctx, const char *msg)
{
	(void)ctx;
	strncat(warnings, msg, sizeof(warnings) - strlen(warnings) - 2);
	strcat(warnings, "\n");
}

static size_t choose(struct bls_entry **v, size_t n, const char *conf_default,
		     const struct bls_overrides *o)
{
	struct loader_conf c = { .default_pattern = conf_default };
	struct bls_choice ch;

	warnings[0] = '\0';
	bls_choose(v, n, &c, o, &ch, collect, NULL);
	return ch.index;
}

TEST(boot_count_default_precedence)
{
	struct bls_entry *v[] = {
		ent(0, "a.conf", NULL),
		ent(1, "b+2-1.conf", NULL),
		ent(2, "c.conf", NULL),
		ent(3, "bad+0-3.conf", NULL),
	};
	struct bls_overrides o = { 0 };

	CHECK_EQ(choose(v, 4, NULL, &o), 0);          /* the first */
	CHECK_EQ(choose(v, 4, "c*", &o), 2);
	CHECK_EQ(choose(v, 4, "bad", &o), 3);         /* bad, but named */

	/* LoaderEntryDefault "@saved": LoaderEntryLastBooted, without the
	 * counter; over loader.conf */
	o = (struct bls_overrides){ .entry_default = "@saved",
				    .entry_last_booted = "b.conf" };
	CHECK_EQ(choose(v, 4, "c*", &o), 1);
	o.entry_default = "@SAVED";
	o.entry_last_booted = "b+3.conf";             /* systemd-boot 252's id */
	CHECK_EQ(choose(v, 4, "c*", &o), 1);
	o.entry_last_booted = NULL;                   /* never booted yet */
	CHECK_EQ(choose(v, 4, "c*", &o), 2);
	CHECK_STR(warnings, "");
	o.entry_last_booted = "gone.conf";
	CHECK_EQ(choose(v, 4, "c*", &o), 2);
	CHECK_STR(warnings, "LoaderEntryLastBooted 'gone.conf' matches no entry, ignored\n");

	/* loader.conf "@saved" */
	o = (struct bls_overrides){ .entry_last_booted = "c.conf" };
	CHECK_EQ(choose(v, 4, "@saved", &o), 2);
	o.entry_default = "b*";                       /* the variable first */
	CHECK_EQ(choose(v, 4, "@saved", &o), 1);
	o.entry_default = "nothing";                  /* then @saved */
	CHECK_EQ(choose(v, 4, "@saved", &o), 2);
	o.entry_default = "@saved";                   /* both: read once */
	o.entry_last_booted = "gone";
	CHECK_EQ(choose(v, 4, "@saved", &o), 0);
	CHECK_STR(warnings, "LoaderEntryLastBooted 'gone' matches no entry, ignored\n");

	/* the one-shot over all */
	o = (struct bls_overrides){ .entry_default = "@saved",
				    .entry_last_booted = "c.conf",
				    .entry_oneshot = "b.conf" };
	CHECK_EQ(choose(v, 4, "@saved", &o), 1);
}

static enum bls_last_booted last_booted(const char *conf_default,
					const struct bls_overrides *o,
					const char *id)
{
	struct loader_conf c = { .default_pattern = conf_default };
	struct bls_entry e = { .id = id };

	return bls_last_booted(&c, o, &e);
}

TEST(boot_count_last_booted)
{
	struct bls_overrides o = { 0 };

	/* nothing uses @saved: deleted when set */
	CHECK_EQ(last_booted("a*", &o, "a.conf"), BLS_LAST_KEEP);
	o.entry_last_booted = "a.conf";
	CHECK_EQ(last_booted("a*", &o, "a.conf"), BLS_LAST_DELETE);

	/* loader.conf @saved: the id, written when new */
	o = (struct bls_overrides){ 0 };
	CHECK_EQ(last_booted("@saved", &o, "k.conf"), BLS_LAST_WRITE);
	o.entry_last_booted = "k.conf";
	CHECK_EQ(last_booted("@saved", &o, "k.conf"), BLS_LAST_KEEP);
	o.entry_last_booted = "k+2-1.conf";           /* as systemd-boot 252 wrote it */
	CHECK_EQ(last_booted("@saved", &o, "k.conf"), BLS_LAST_WRITE);

	/* LoaderEntryDefault set: loader.conf's @saved is not used */
	o = (struct bls_overrides){ .entry_default = "a.conf", .entry_last_booted = "a.conf" };
	CHECK_EQ(last_booted("@saved", &o, "a.conf"), BLS_LAST_DELETE);
	o.entry_default = "@Saved";
	CHECK_EQ(last_booted(NULL, &o, "b.conf"), BLS_LAST_WRITE);
	CHECK_EQ(last_booted(NULL, &o, "a.conf"), BLS_LAST_KEEP);

	/* the one-shot's boot leaves it alone, another entry's does not */
	o.entry_oneshot = "b";
	CHECK_EQ(last_booted(NULL, &o, "b.conf"), BLS_LAST_KEEP);
	CHECK_EQ(last_booted(NULL, &o, "c.conf"), BLS_LAST_WRITE);
	o.entry_default = NULL;
	CHECK_EQ(last_booted(NULL, &o, "b.conf"), BLS_LAST_KEEP);
}
