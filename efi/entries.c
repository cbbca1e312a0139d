#include "efi/entries.h"

#include "bls/auto_entries.h"
#include "bls/choose.h"
#include "bls/entry.h"
#include "bls/loader_conf.h"
#include "boot/uki.h"
#include "efi/bli.h"
#include "core/console.h"
#include "efi/efi.h"
#include "efi/file.h"
#include "core/load.h"
#include "efi/menu.h"
#include "efi/xbootldr.h"
#include "core/machine.h"
#include "lib/ascii.h"
#include "lib/fmt.h"
#include "lib/mem.h"
#include "lib/url.h"

/* UAPI.1 Boot Loader Specification, "Type #1 Boot Loader Entries" and
 * "Type #2 EFI Unified Kernel Images" */
#define ENTRIES_DIR "\\loader\\entries"
#define UKI_DIR "\\EFI\\Linux"
/* A unified kernel image's PE headers and section table lie in its first
 * page; its .osrel is read on its own, up to this much. */
#define UKI_HEAD_MAX 4096
#define OSREL_MAX (16 * 1024)
/* the title, version and sort key taken from an image's .osrel */
#define OSREL_FIELDS 3
#define LOADER_CONF "\\loader\\loader.conf"
#define MAX_TEXT (64 * 1024)
#define ID_MAX 128
/* a title and its mark */
#define LABEL_MAX (BLS_TITLE_MAX + 16)
/* After a failed entry, the menu counts down this long to the next. */
#define FALLBACK_COUNTDOWN_S 10

/* One entry file, and the entry read from it. */
struct entry_file {
	char id[ID_MAX];
	char file[ID_MAX + sizeof(XBOOTLDR_PREFIX ENTRIES_DIR)];
	bool uki;                         /* in UKI_DIR */
	char osrel[OSREL_FIELDS][LABEL_MAX];
	struct bls_entry entry;
};

struct catalog {
	struct loader_conf conf;
	struct bls_overrides vars;
	struct entry_file *files;            /* as many as the directories hold */
	size_t nfiles, capacity, ignored;
	const char *dir;                     /* the one being listed */
	bool dir_uki;
	/* by menu position, made once the files are listed */
	struct bls_entry **menu;             /* the entries for x64, sorted */
	bool *failed;
	char (*title)[BLS_TITLE_MAX];        /* unique ones */
	bool *same;                          /* for bls_titles() */
	char (*label)[LABEL_MAX];
	const char **labels;
	const char **ids;                    /* bootable ones, in menu order */
	size_t n, nids;
	/* the automatic entries, after the others from menu[first_auto] on */
	struct bls_entry autos[BLS_AUTO_MAX];
	enum bls_auto_kind auto_kind[BLS_AUTO_MAX];
	size_t first_auto;
	char note[DIAG_MSG_MAX + 32];
};

static void warn(void *ctx, const char *msg)
{
	(void)ctx;
	con_warn("%s", msg);
}

/* Whether name ends with ext (lower case), in any case, and is more. */
static bool ends_with(const char *name, const char *ext)
{
	size_t n = strlen(name), k = strlen(ext);

	if (n <= k)
		return false;
	for (size_t i = 0; i < k; i++)
		if (ascii_lower(name[n - k + i]) != ext[i])
			return false;
	return true;
}

/* Room for one more file: the table moves to twice its size when full
 * (the old one is given back with the rest when efikexec returns). */
static bool room_for_file(struct catalog *c)
{
	struct entry_file *bigger;
	size_t cap = c->capacity ? 2 * c->capacity : 16;

	if (c->nfiles < c->capacity)
		return true;
	if (!(bigger = efi_alloc(cap * sizeof(*bigger))))
		return false;
	if (c->nfiles)
		memcpy(bigger, c->files, c->nfiles * sizeof(*bigger));
	c->files = bigger;
	c->capacity = cap;
	return true;
}

/* Entry files: not hidden ones, nor "auto-*", the names systemd-boot
 * keeps for entries it makes itself. */
static void add_entry_file(void *ctx, const char *name, uint64_t size)
{
	struct catalog *c = ctx;
	struct entry_file *f;
	size_t n = strlen(name);

	(void)size;
	if (name[0] == '.' || !strncmp(name, "auto-", 5) ||
	    !ends_with(name, c->dir_uki ? ".efi" : ".conf"))
		return;
	if (n >= ID_MAX || !room_for_file(c)) {
		c->ignored++;
		return;
	}
	f = &c->files[c->nfiles++];
	memcpy(f->id, name, n + 1);
	fmt_snprintf(f->file, sizeof(f->file), "%s\\%s", c->dir, name);
	f->uki = c->dir_uki;
}

/* A path to put the XBOOTLDR prefix on: not a URL, which stays as it is. */
static void add_path(const char **paths[], size_t *n, const char **path)
{
	if (url_scheme_of(*path) == URL_NONE)
		paths[(*n)++] = path;
}

/* An entry read from the XBOOTLDR partition names files on it: its paths
 * get the prefix that opens them there (efi/xbootldr.h). */
static int paths_on_xbootldr(struct bls_entry *e)
{
	const char **paths[1 + OPT_MAX_INITRDS + BLS_MAX_MODULES];
	size_t n = 0, bytes = 0;
	char *out;

	add_path(paths, &n, &e->kernel);
	for (size_t k = 0; k < e->ninitrd; k++)
		add_path(paths, &n, &e->initrd[k]);
	for (size_t k = 0; k < e->nmodule; k++)
		add_path(paths, &n, &e->module[k].path);
	for (size_t k = 0; k < n; k++)
		bytes += sizeof(XBOOTLDR_PREFIX) + strlen(*paths[k]);
	if (!n)
		return 0;
	if (!(out = efi_alloc(bytes)))
		return diag_fail(&e->broken, ERR_NO_MEMORY, "%s: no memory to read it",
				 e->file);
	for (size_t k = 0; k < n; k++) {
		size_t len = (size_t)fmt_snprintf(out, bytes, "%s%s", XBOOTLDR_PREFIX,
						  *paths[k]) + 1;

		*paths[k] = out;
		out += len;
		bytes -= len;
	}
	return 0;
}

static void read_loader_conf(struct catalog *c)
{
	struct diag d;
	char *text;
	size_t len;
	int rc = load_text("loader configuration", LOADER_CONF, MAX_TEXT, &text,
			   &len, &d);

	bls_loader_conf_defaults(&c->conf);
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

/* The first of the os-release keys (space-separated) that is set. */
static const char *osrel_pick(const char *osrel, size_t len, const char *keys,
			      char *out)
{
	char key[16];

	while (*keys) {
		size_t n = 0;

		while (*keys && *keys != ' ' && n < sizeof(key) - 1)
			key[n++] = *keys++;
		key[n] = '\0';
		keys += *keys == ' ';
		if (uki_osrel_value(osrel, len, key, out, LABEL_MAX))
			return out;
	}
	return NULL;
}

/* A unified kernel image as a Type #2 entry: 1 when the file is none, or
 * has no .osrel or no name in it (systemd-boot leaves those out too). Title,
 * version and sort key come from the .osrel as systemd-boot takes them
 * (UAPI.1, "Type #2 EFI Unified Kernel Images"). */
static int read_uki(struct entry_file *ef)
{
	struct bls_entry *e = &ef->entry;
	char (*field)[LABEL_MAX] = ef->osrel;
	struct open_file f;
	struct uki u;
	uint8_t *head;
	char *osrel;
	size_t n;
	int rc;

	e->id = ef->id;
	e->file = e->kernel = ef->file;
	e->options = ""; /* the image's own .cmdline */
	if ((rc = file_open(&f, "unified kernel image", ef->file, &e->broken)))
		return rc;
	n = f.size < UKI_HEAD_MAX ? f.size : UKI_HEAD_MAX;
	head = efi_alloc(UKI_HEAD_MAX + OSREL_MAX);
	osrel = (char *)head + UKI_HEAD_MAX;
	rc = head ? file_read_at(&f, 0, head, n, &e->broken) :
		    diag_fail(&e->broken, ERR_NO_MEMORY, "%s: no memory to read it",
			      ef->file);
	if (!rc && !uki_detect(head, n))
		rc = 1;
	else if (!rc && (rc = uki_parse_head(head, n, f.size, &u, &e->broken)))
		diag_prefix(&e->broken, "%s: ", ef->file);
	else if (!rc) {
		n = u.sec[UKI_OSREL].size;
		if (!u.sec[UKI_OSREL].present)
			rc = 1;
		else if (n >= OSREL_MAX)
			rc = diag_fail(&e->broken, ERR_BAD_IMAGE,
				       "%s: .osrel is 0x%zx bytes, more than 0x%x",
				       ef->file, n, OSREL_MAX);
		else
			rc = file_read_at(&f, u.sec[UKI_OSREL].offset, osrel, n,
					  &e->broken);
	}
	file_close(&f);
	if (rc)
		return rc;
	e->title = osrel_pick(osrel, n, "PRETTY_NAME IMAGE_ID NAME ID", field[0]);
	e->version = osrel_pick(osrel, n, "IMAGE_VERSION VERSION VERSION_ID BUILD_ID",
				field[1]);
	e->sort_key = osrel_pick(osrel, n, "IMAGE_ID ID", field[2]);
	/* no name at all: left out, as systemd-boot leaves it out */
	return e->title ? 0 : 1;
}

/* `uki-url :NAME`: NAME beside the URL efikexec was fetched from; 1 when
 * it was not fetched from one, and the entry is left out (UAPI.1: it
 * "shall be hidden"). */
static int uki_beside_loader(struct bls_entry *e)
{
	const char *base = bli_device_url();
	char *url;

	if (!base)
		return 1;
	if (!(url = efi_alloc(URL_MAX + 1)))
		return diag_fail(&e->broken, ERR_NO_MEMORY, "%s: no memory to read it",
				 e->file);
	if (url_beside(base, e->kernel, url, URL_MAX + 1, &e->broken)) {
		diag_prefix(&e->broken, "%s:%u: uki-url: ", e->file, e->kernel_line);
		return e->broken.code;
	}
	e->kernel = url;
	return 0;
}

/* Reads and parses the entry of a file and puts it in the menu; entries
 * for another architecture are left out, broken ones kept for the menu to
 * show. */
static void read_entry(struct catalog *c, struct entry_file *ef)
{
	struct bls_entry *e = &ef->entry;
	char *text, *scratch;
	size_t len;
	int rc = 0;

	if (ef->uki) {
		rc = read_uki(ef);
		if (rc == 1)
			return;
		if (rc)
			warn_broken(e);
	} else if (load_text("boot entry", ef->file, MAX_TEXT, &text, &len, &e->broken)) {
		e->id = ef->id;
		e->file = ef->file;
		warn_broken(e);
	} else if (!(scratch = efi_alloc(len + 1))) {
		e->id = ef->id;
		e->file = ef->file;
		diag_fail(&e->broken, ERR_NO_MEMORY, "%s: no memory to read it",
			  ef->file);
	} else if (bls_parse_entry(text, len, scratch, ef->id, ef->file, e,
				   warn, NULL)) {
		warn_broken(e);
	} else if (!bls_entry_for_x64(e) ||
		   (e->beside_loader && (rc = uki_beside_loader(e)) == 1)) {
		return;
	} else if (rc || (!strncmp(e->file, XBOOTLDR_PREFIX,
				   sizeof(XBOOTLDR_PREFIX) - 1) &&
			  paths_on_xbootldr(e))) {
		warn_broken(e);
	}
	/* the id leaves out the counter (bls/boot_count.h), which changes
	 * with every try; the file keeps it */
	bls_count_parse(ef->id, &e->count);
	bls_count_strip(ef->id);
	c->menu[c->n++] = e;
}

/* Where entries are (UAPI.1, "Locating Boot Entries"): Type #1 and #2 on
 * the ESP, then on the XBOOTLDR partition when the disk has one. */
static const char entry_dirs[][sizeof(XBOOTLDR_PREFIX ENTRIES_DIR)] = {
	ENTRIES_DIR, UKI_DIR, XBOOTLDR_PREFIX ENTRIES_DIR, XBOOTLDR_PREFIX UKI_DIR,
};

static bool file_exists(const char *path)
{
	struct open_file f;
	struct diag d;

	if (file_open(&f, "program", path, &d))
		return false;
	file_close(&f);
	return true;
}

/* systemd-boot's automatic entries, after the others. */
static void add_auto_entries(struct catalog *c)
{
	struct bls_auto_found found = {
		.windows = file_exists(BLS_WINDOWS_PATH),
		.efi_shell = file_exists(BLS_EFI_SHELL_PATH),
		.firmware_setup = firmware_setup_supported(),
	};
	size_t n = bls_auto_entries(&c->conf, &found, c->autos, c->auto_kind);

	c->first_auto = c->n;
	for (size_t i = 0; i < n; i++)
		c->menu[c->n++] = &c->autos[i];
}

/* What the entry at menu position i is, when it is automatic. */
static bool is_auto(const struct catalog *c, size_t i, enum bls_auto_kind *kind)
{
	if (i < c->first_auto)
		return false;
	*kind = c->auto_kind[i - c->first_auto];
	return true;
}

/* The tables by menu position, for up to n entries. */
static int make_menu_tables(struct catalog *c, size_t n, struct diag *d)
{
	if (!n)
		n = 1; /* efi_alloc() of nothing fails; an empty menu is reported later */
	c->menu = efi_alloc(n * sizeof(*c->menu));
	c->failed = efi_alloc(n * sizeof(*c->failed));
	c->title = efi_alloc(n * sizeof(*c->title));
	c->same = efi_alloc(n * sizeof(*c->same));
	c->label = efi_alloc(n * sizeof(*c->label));
	c->labels = efi_alloc(n * sizeof(*c->labels));
	c->ids = efi_alloc(n * sizeof(*c->ids));
	if (!c->menu || !c->failed || !c->title || !c->same || !c->label ||
	    !c->labels || !c->ids)
		return diag_fail(d, ERR_NO_MEMORY, "no memory for the boot menu");
	return 0;
}

static int read_catalog(struct catalog *c, struct diag *d)
{
	bool found = false;
	int rc;

	read_loader_conf(c);
	for (size_t i = 0; i < 4 && (i < 2 || xbootldr_volume()); i++) {
		c->dir = entry_dirs[i];
		c->dir_uki = i & 1;
		rc = file_list_dir(c->dir_uki ? "of unified kernel images" :
				   "of boot entries", c->dir, add_entry_file, c, d);
		if (rc && rc != ERR_NOT_FOUND)
			return rc;
		found |= !rc;
	}
	if (!found)
		return diag_fail(d, ERR_NOT_FOUND,
				 "no kernel given and no boot entries in %s or %s (usage: %s)",
				 ENTRIES_DIR, UKI_DIR, options_synopsis);
	if (c->ignored)
		con_warn("%zu entry files in %s and %s ignored: names of %d bytes or more, or no memory for them",
			   c->ignored, ENTRIES_DIR, UKI_DIR, ID_MAX);
	if ((rc = make_menu_tables(c, c->nfiles + BLS_AUTO_MAX, d)))
		return rc;
	for (size_t i = 0; i < c->nfiles; i++)
		read_entry(c, &c->files[i]);
	if (!c->n)
		return diag_fail(d, ERR_NOT_FOUND,
				 "no kernel given and no boot entry for x64 in %s or %s (usage: %s)",
				 ENTRIES_DIR, UKI_DIR, options_synopsis);
	bls_sort(c->menu, c->n);
	/* only with entries of its own: efikexec without them is an error */
	add_auto_entries(c);
	bls_titles(c->menu, c->n, c->title, c->same);
	for (size_t i = 0; i < c->n; i++)
		if (!c->menu[i]->broken.code)
			c->ids[c->nids++] = c->menu[i]->id;
	return 0;
}

static void make_labels(struct catalog *c)
{
	for (size_t i = 0; i < c->n; i++) {
		const struct bls_entry *e = c->menu[i];

		fmt_snprintf(c->label[i], LABEL_MAX, "%s%s", c->title[i],
			     e->broken.code ? "  (broken)" :
			     c->failed[i] ? "  (failed)" : "");
		c->labels[i] = c->label[i];
	}
}

/* Opens a file the entry names on line `line`, so that a missing one is
 * reported with the line. Not a URL: opening one fetches it whole, which
 * the boot does anyway, its errors naming the URL. */
static int check_file(const struct bls_entry *e, const char *what,
		      const char *path, unsigned line, struct diag *d)
{
	struct open_file f;
	int rc;

	if (url_scheme_of(path) != URL_NONE)
		return 0;
	if ((rc = file_open(&f, what, path, d))) {
		diag_prefix(d, "%s:%u: ", e->file, line);
		return rc;
	}
	file_close(&f);
	return 0;
}

/* Every file the entry names, before the boot begins. */
static int check_files(const struct bls_entry *e, struct diag *d)
{
	int rc;

	if ((rc = check_file(e, "kernel", e->kernel, e->kernel_line, d)))
		return rc;
	for (size_t i = 0; i < e->ninitrd; i++)
		if ((rc = check_file(e, "initrd", e->initrd[i], e->initrd_line[i], d)))
			return rc;
	for (size_t i = 0; i < e->nmodule; i++)
		if ((rc = check_file(e, "module", e->module[i].path,
				     e->module_line[i], d)))
			return rc;
	return 0;
}

/* What an automatic entry that is no program does: the machine reboots
 * (into the firmware's setup) or powers off. A dry run only says so. */
static int run_action(const char *title, enum bls_auto_kind kind,
		      bool dry_run, struct diag *d)
{
	con_printf("efikexec: %s'%s'\n", dry_run ? "dry run, would do " : "", title);
	if (dry_run)
		return 0;
	if (kind == BLS_AUTO_FIRMWARE_SETUP)
		reboot_to_firmware_setup();
	else
		efi.rt->ResetSystem(kind == BLS_AUTO_POWEROFF ? EfiResetShutdown :
								EfiResetCold,
				    EFI_SUCCESS, 0, NULL);
	return diag_fail(d, ERR_ABORTED, "'%s' did not happen", title);
}

static int attempt(const struct catalog *c, size_t i,
		   const struct options *global, boot_fn boot,
		   struct session *s, struct diag *d)
{
	const struct bls_entry *e = c->menu[i];
	enum bls_auto_kind kind;
	struct options o;
	int rc;

	if (is_auto(c, i, &kind) && kind != BLS_AUTO_PROGRAM)
		return run_action(c->title[i], kind, global->dry_run, d);
	if (e->broken.code) {
		*d = e->broken;
		return d->code;
	}
	if ((rc = check_files(e, d)))
		return rc;
	con_printf("efikexec: booting '%s' from %s\n", c->title[i], e->file);
	bli_select(e->id, e->count.on ? e->file : NULL,
		   bls_last_booted(&c->conf, &c->vars, e));
	bls_entry_options(e, &o);
	o.dry_run = global->dry_run;
	o.verbose = global->verbose;
	rc = boot(s, &o, d);
	if (rc && strncmp(d->msg, e->file, strlen(e->file)))
		diag_prefix(d, "%s: ", e->file);
	return rc;
}

/* The next entry to count down to after a failure: the first in the menu
 * that neither failed nor is broken, nor automatic; n when none is left. */
static size_t next_candidate(const struct catalog *c)
{
	for (size_t i = 0; i < c->first_auto; i++)
		if (!c->failed[i] && !c->menu[i]->broken.code)
			return i;
	return c->n;
}

int entries_boot(const struct options *global, boot_fn boot,
		 struct session *s, struct diag *d)
{
	struct catalog *c = efi_alloc(sizeof(*c));
	struct bls_choice choice;
	unsigned countdown;
	bool show;
	int rc;

	if (!c)
		return diag_fail(d, ERR_NO_MEMORY, "no memory for the boot entries");
	if ((rc = read_catalog(c, d)))
		return rc;
	/* a dry run changes nothing, not even the one-shot variables */
	bli_read_overrides(&c->vars, !global->dry_run);
	bls_choose(c->menu, c->n, &c->conf, &c->vars, &choice, warn, NULL);
	bli_set_entries(c->ids, c->nids);
	countdown = choice.countdown;
	show = choice.menu == BLS_MENU_SHOW ||
	       (choice.menu == BLS_MENU_ON_KEY && menu_key_pending());
	for (size_t sel = choice.index;;) {
		if (show) {
			make_labels(c);
			if (menu_run(c->labels, c->n, &sel, c->note[0] ? c->note : NULL,
				     countdown) == MENU_LEAVE)
				return diag_fail(d, ERR_ABORTED,
						 "left the boot menu without booting");
		}
		rc = attempt(c, sel, global, boot, s, d);
		/* 0 without a dry run: an EFI application that returned
		 * (every other boot that succeeds does not return); back to
		 * the menu */
		if (!rc && !global->dry_run) {
			show = true;
			countdown = 0;
			continue;
		}
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
