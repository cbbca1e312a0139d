#include "bls/choose.h"

#include "bls/auto_entries.h"
#include "lib/fmt.h"
#include "lib/glob.h"
#include "lib/mem.h"
#include "lib/vercmp.h"

/* after a failed entry, when the timeout asks for no countdown */
#define FALLBACK_SECONDS 10

static int strcmp_null(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

static bool has(const char *s)
{
	return s && *s;
}

/* The file name without ".conf", as the specification compares it. */
static void id_stem(const char *id, char *out, size_t cap)
{
	size_t n = strlen(id);

	if (n >= 5 && !strcmp(id + n - 5, ".conf"))
		n -= 5;
	if (n >= cap)
		n = cap - 1;
	memcpy(out, id, n);
	out[n] = '\0';
}

static int cmp_unsigned(unsigned a, unsigned b)
{
	return (a > b) - (a < b);
}

/* UAPI.1 "Sorting": <0 when a comes first in the menu. An empty sort-key
 * counts as none. */
static int entry_order(const struct bls_entry *a, const struct bls_entry *b)
{
	char sa[256], sb[256];
	int r;

	if ((r = bls_count_bad(&a->count) - bls_count_bad(&b->count)))
		return r;
	if (has(a->sort_key) != has(b->sort_key))
		return has(a->sort_key) ? -1 : 1;
	if (has(a->sort_key)) {
		if ((r = strcmp(a->sort_key, b->sort_key)) ||
		    (r = strcmp_null(a->machine_id, b->machine_id)))
			return r;
		if ((r = vercmp(b->version ? b->version : "",
				a->version ? a->version : "")))
			return r;
	}
	id_stem(a->id, sa, sizeof(sa));
	id_stem(b->id, sb, sizeof(sb));
	/* as systemd-boot: more tries left first, then fewer done (where it
	 * sees a tie, an entry without a counter goes after one with) */
	return vercmp(sb, sa) ?: cmp_unsigned(b->count.left, a->count.left) ?:
	       cmp_unsigned(a->count.done, b->count.done);
}

void bls_sort(struct bls_entry **v, size_t n)
{
	/* insertion sort: stable, and menus are short */
	for (size_t i = 1; i < n; i++) {
		struct bls_entry *e = v[i];
		size_t j = i;

		for (; j > 0 && entry_order(e, v[j - 1]) < 0; j--)
			v[j] = v[j - 1];
		v[j] = e;
	}
}

/* A counter in the pattern is ignored, as ids have none. */
static bool id_matches(const char *pattern, const char *id)
{
	char p[256], stem[256];
	size_t n = strlen(pattern);

	if (n < sizeof(p)) {
		memcpy(p, pattern, n + 1);
		bls_count_strip(p);
		pattern = p;
	}
	id_stem(id, stem, sizeof(stem));
	return glob_match(pattern, id) || glob_match(pattern, stem);
}

size_t bls_match(struct bls_entry *const *v, size_t n, const char *pattern)
{
	for (size_t i = 0; i < n; i++)
		if (id_matches(pattern, v[i]->id))
			return i;
	return n;
}

static bool is_saved(const char *s)
{
	return s && glob_match("@saved", s); /* any case, as systemd-boot */
}

/* "SOURCE 'VALUE' WHY, ignored" */
static void warn_ignored(bls_warn_fn warn, void *ctx, const char *source,
			 const char *value, const char *why)
{
	char msg[DIAG_MSG_MAX];

	fmt_snprintf(msg, sizeof(msg), "%s '%s' %s, ignored", source, value, why);
	warn(ctx, msg);
}

/* Where the default, then the timeout, come from, for messages. */
static const char *const sources[] = {
	"LoaderEntryOneShot", "LoaderEntryDefault", "loader.conf default",
	"LoaderConfigTimeoutOneShot", "LoaderConfigTimeout", "LoaderEntryLastBooted",
};

void bls_choose(struct bls_entry *const *v, size_t n,
		const struct loader_conf *c, const struct bls_overrides *o,
		struct bls_choice *out, bls_warn_fn warn, void *ctx)
{
	const char *value[] = { o->entry_oneshot, o->entry_default,
				c->default_pattern, o->timeout_oneshot,
				o->timeout };
	bool saved = false, matched = false, only_auto = false;

	out->index = 0;
	out->var_default = n;
	for (unsigned i = 0; i < 3 && !matched; i++) {
		const char *p = value[i];
		unsigned s = i;
		size_t k;

		/* as systemd-boot: not the one-shot's; with "@saved" in
		 * both, the last booted is looked for once */
		if (i && is_saved(p)) {
			if (saved)
				continue;
			saved = true;
			p = o->entry_last_booted;
			s = 5;
		}
		if (!has(p))
			continue;
		if ((k = bls_match(v, n, p)) < n) {
			out->index = k;
			matched = true;
			if (i == 1)
				out->var_default = k;
			continue;
		}
		warn_ignored(warn, ctx, sources[s], p, "matches no entry");
	}
	/* as systemd-boot: the first entry not made by the boot loader */
	if (!matched) {
		while (out->index < n && bls_is_auto_id(v[out->index]->id))
			out->index++;
		if (out->index == n) {
			out->index = 0;
			only_auto = true;
		}
	}

	out->timeout = c->has_timeout ? c->timeout :
					(struct bls_timeout){ BLS_TIMEOUT_SECONDS, 0 };
	out->menu = BLS_MENU_ON_KEY;
	for (unsigned i = 3; i < 5; i++) {
		if (!value[i])
			continue;
		if (!bls_parse_timeout(value[i], &out->timeout)) {
			/* the one-shot timeout is there to bring the menu up */
			if (i == 3)
				out->menu = BLS_MENU_SHOW;
			break;
		}
		warn_ignored(warn, ctx, sources[i], value[i], "is not a timeout");
	}
	/* nothing to boot by default: the menu comes up, as in systemd-boot */
	if (only_auto && (out->timeout.kind == BLS_MENU_HIDDEN ||
			  (out->timeout.kind == BLS_TIMEOUT_SECONDS &&
			   !out->timeout.seconds)))
		out->timeout = (struct bls_timeout){ BLS_TIMEOUT_SECONDS, 10 };
	out->countdown = out->timeout.kind == BLS_TIMEOUT_SECONDS ?
				 out->timeout.seconds : 0;
	out->fallback = out->countdown ? out->countdown :
			out->timeout.kind == BLS_MENU_FORCE ? 0 : FALLBACK_SECONDS;
	if (out->menu == BLS_MENU_SHOW)
		return;
	if (out->countdown || out->timeout.kind == BLS_MENU_FORCE)
		out->menu = BLS_MENU_SHOW;
	else if (out->timeout.kind == BLS_MENU_DISABLED)
		out->menu = BLS_MENU_NEVER;
}

enum bls_last_booted bls_last_booted(const struct loader_conf *c,
				     const struct bls_overrides *o,
				     const struct bls_entry *e)
{
	const char *last = o->entry_last_booted;

	if (has(o->entry_oneshot) && id_matches(o->entry_oneshot, e->id))
		return BLS_LAST_KEEP;
	if (is_saved(o->entry_default) ||
	    (!has(o->entry_default) && is_saved(c->default_pattern)))
		return last && !strcmp(last, e->id) ? BLS_LAST_KEEP : BLS_LAST_WRITE;
	return last ? BLS_LAST_DELETE : BLS_LAST_KEEP;
}
