#include "efi/entries.h"

#include "bls/choose.h"
#include "bls/entry.h"
#include "bls/loader_conf.h"
#include "efi/bli.h"
#include "core/console.h"
#include "efi/file.h"
#include "core/load.h"
#include "efi/menu.h"
#include "core/machine.h"
#include "lib/ascii.h"
#include "lib/fmt.h"
#include "lib/mem.h"

/* UAPI.1 Boot Loader Specification, "Type #1 Boot Loader Entries" */
#define ENTRIES_DIR "\\loader\\entries"
#define LOADER_CONF "\\loader\\loader.conf"
#define MAX_ENTRIES 64
#define MAX_TEXT (64 * 1024)
#define ID_MAX 128
#define LABEL_MAX 96
/* After a failed entry, the menu counts down this long to the next. */
#define FALLBACK_COUNTDOWN_S 10

struct catalog {
	struct loader_conf conf;
	char id[MAX_ENTRIES][ID_MAX];
	char file[MAX_ENTRIES][ID_MAX + sizeof(ENTRIES_DIR)];
	size_t nfiles, ignored;
	struct bls_entry entry[MAX_ENTRIES];
	struct bls_entry *menu[MAX_ENTRIES]; /* the entries for x64, sorted */
	bool failed[MAX_ENTRIES];            /* by menu position */
	char label[MAX_ENTRIES][LABEL_MAX];
	const char *labels[MAX_ENTRIES];
	const char *ids[MAX_ENTRIES];        /* bootable ones, in menu order */
	size_t n, nids;
	char note[DIAG_MSG_MAX + 32];
};

static void warn(void *ctx, const char *msg)
{
	(void)ctx;
	con_warn("%s", msg);
}

static bool ends_with_conf(const char *name)
{
	size_t n = strlen(name);
	const char *ext = ".conf";

	if (n < 5)
		return false;
	for (size_t i = 0; i < 5; i++)
		if (ascii_lower(name[n - 5 + i]) != ext[i])
			return false;
	return true;
}

/* Entry files: "*.conf", but not hidden ones nor "auto-*", the names
 * systemd-boot keeps for entries it makes itself. */
static void add_file(void *ctx, const char *name)
{
	struct catalog *c = ctx;
	size_t n = strlen(name);

	if (!ends_with_conf(name) || name[0] == '.' || !strncmp(name, "auto-", 5))
		return;
	if (c->nfiles == MAX_ENTRIES || n >= ID_MAX) {
		c->ignored++;
		return;
	}
	memcpy(c->id[c->nfiles], name, n + 1);
	fmt_snprintf(c->file[c->nfiles], sizeof(c->file[0]), "%s\\%s",
		     ENTRIES_DIR, name);
	c->nfiles++;
}

static void read_loader_conf(struct catalog *c)
{
	struct diag d;
	char *text;
	size_t len;
	int rc = load_text("loader configuration", LOADER_CONF, MAX_TEXT, &text,
			   &len, &d);

	if (rc == ERR_NOT_FOUND)
		return; /* it is optional */
	if (rc) {
		warn(NULL, d.msg);
		return;
	}
	bls_parse_loader_conf(text, len, LOADER_CONF, &c->conf, warn, NULL);
}

static void warn_broken(const struct bls_entry *e)
{
	con_warn("%s; the entry cannot boot", e->broken.msg);
}

/* Reads and parses entry i into the next free slot; entries for another
 * architecture are left out, broken ones kept for the menu to show. */
static void read_entry(struct catalog *c, size_t i)
{
	struct bls_entry *e = &c->entry[c->n];
	char *text, *scratch;
	size_t len;

	/* the slot may hold an entry for another architecture, left out */
	memset(e, 0, sizeof(*e));

	if (load_text("boot entry", c->file[i], MAX_TEXT, &text, &len, &e->broken)) {
		e->id = c->id[i];
		e->file = c->file[i];
		warn_broken(e);
	} else if (!(scratch = pages_alloc(len + 1, UINT64_MAX, PAGES_DATA))) {
		e->id = c->id[i];
		e->file = c->file[i];
		diag_fail(&e->broken, ERR_NO_MEMORY, "%s: no memory to read it",
			  c->file[i]);
	} else if (bls_parse_entry(text, len, scratch, c->id[i], c->file[i], e,
				   warn, NULL)) {
		warn_broken(e);
	} else if (!bls_entry_for_x64(e)) {
		return;
	}
	c->menu[c->n++] = e;
}

static int read_catalog(struct catalog *c, struct diag *d)
{
	int rc;

	read_loader_conf(c);
	rc = file_list_dir("of boot entries", ENTRIES_DIR, add_file, c, d);
	if (rc == ERR_NOT_FOUND)
		return diag_fail(d, ERR_NOT_FOUND,
				 "no kernel given and no boot entries in %s (usage: %s)",
				 ENTRIES_DIR, options_synopsis);
	if (rc)
		return rc;
	if (c->ignored)
		con_warn("%zu entry files in %s ignored: more than %d, or names of %d bytes or more",
			   c->ignored, ENTRIES_DIR, MAX_ENTRIES, ID_MAX);
	for (size_t i = 0; i < c->nfiles; i++)
		read_entry(c, i);
	if (!c->n)
		return diag_fail(d, ERR_NOT_FOUND,
				 "no kernel given and no boot entry for x64 in %s (usage: %s)",
				 ENTRIES_DIR, options_synopsis);
	bls_sort(c->menu, c->n);
	for (size_t i = 0; i < c->n; i++)
		if (!c->menu[i]->broken.code)
			c->ids[c->nids++] = c->menu[i]->id;
	return 0;
}

static void make_labels(struct catalog *c)
{
	for (size_t i = 0; i < c->n; i++) {
		char name[LABEL_MAX];
		const struct bls_entry *e = c->menu[i];

		/* room for the mark after the longest name */
		bls_entry_label(e, name, LABEL_MAX - sizeof("  (broken)"));
		fmt_snprintf(c->label[i], LABEL_MAX, "%s%s", name,
			     e->broken.code ? "  (broken)" :
			     c->failed[i] ? "  (failed)" : "");
		c->labels[i] = c->label[i];
	}
}

/* Opens every file the entry names, so that a missing one is reported
 * with the line that names it. */
static int check_files(const struct bls_entry *e, struct diag *d)
{
	struct open_file f;
	int rc;

	if ((rc = file_open(&f, "kernel", e->kernel, d))) {
		diag_prefix(d, "%s:%u: ", e->file, e->kernel_line);
		return rc;
	}
	file_close(&f);
	for (size_t i = 0; i < e->ninitrd; i++) {
		if ((rc = file_open(&f, "initrd", e->initrd[i], d))) {
			diag_prefix(d, "%s:%u: ", e->file, e->initrd_line[i]);
			return rc;
		}
		file_close(&f);
	}
	for (size_t i = 0; i < e->nmodule; i++) {
		if ((rc = file_open(&f, "module", e->module[i].path, d))) {
			diag_prefix(d, "%s:%u: ", e->file, e->module_line[i]);
			return rc;
		}
		file_close(&f);
	}
	return 0;
}

static int attempt(const struct catalog *c, size_t i,
		   const struct options *global, boot_fn boot, struct diag *d)
{
	const struct bls_entry *e = c->menu[i];
	struct options o;
	char name[LABEL_MAX];
	int rc;

	if (e->broken.code) {
		*d = e->broken;
		return d->code;
	}
	if ((rc = check_files(e, d)))
		return rc;
	bls_entry_label(e, name, sizeof(name));
	con_printf("efikexec: booting '%s' from %s\n", name, e->file);
	bli_select(e->id);
	bls_entry_options(e, &o);
	o.dry_run = global->dry_run;
	o.verbose = global->verbose;
	rc = boot(&o, d);
	if (rc && strncmp(d->msg, e->file, strlen(e->file)))
		diag_prefix(d, "%s: ", e->file);
	return rc;
}

/* The next entry to count down to after a failure: the first in the menu
 * that neither failed nor is broken; n when none is left. */
static size_t next_candidate(const struct catalog *c)
{
	for (size_t i = 0; i < c->n; i++)
		if (!c->failed[i] && !c->menu[i]->broken.code)
			return i;
	return c->n;
}

int entries_boot(const struct options *global, boot_fn boot, struct diag *d)
{
	struct catalog *c = pages_alloc(sizeof(*c), UINT64_MAX, PAGES_DATA);
	struct bls_overrides vars;
	struct bls_choice choice;
	unsigned countdown;
	bool show;
	int rc;

	if (!c)
		return diag_fail(d, ERR_NO_MEMORY, "no memory for the boot entries");
	if ((rc = read_catalog(c, d)))
		return rc;
	/* a dry run changes nothing, not even the one-shot variables */
	bli_read_overrides(&vars, !global->dry_run);
	bls_choose(c->menu, c->n, &c->conf, &vars, &choice, warn, NULL);
	bli_set_entries(c->ids, c->nids);
	countdown = choice.timeout.kind == BLS_TIMEOUT_SECONDS ?
			    choice.timeout.seconds : 0;
	show = countdown || choice.timeout.kind == BLS_MENU_FORCE ||
	       (choice.timeout.kind != BLS_MENU_DISABLED && menu_key_pending());
	for (size_t sel = choice.index;;) {
		if (show) {
			make_labels(c);
			if (menu_run(c->labels, c->n, &sel, c->note[0] ? c->note : NULL,
				     countdown) == MENU_LEAVE)
				return diag_fail(d, ERR_ABORTED,
						 "left the boot menu without booting");
		}
		rc = attempt(c, sel, global, boot, d);
		if (!rc)
			return 0;
		con_error(d);
		fmt_snprintf(c->note, sizeof(c->note), "efikexec: error: %s", d->msg);
		c->failed[sel] = true;
		show = true;
		countdown = 0;
		if (next_candidate(c) < c->n) {
			sel = next_candidate(c);
			countdown = FALLBACK_COUNTDOWN_S;
		}
	}
}
