#include "efi/entries.h"

#include "bls/auto_entries.h"
#include "bls/choose.h"
#include "bls/editor.h"
#include "bls/entry.h"
#include "bls/loader_conf.h"
#include "boot/systemd_stub.h"
#include "boot/uki.h"
#include "efi/bli.h"
#include "efi/devicetree.h"
#include "efi/drivers.h"
#include "core/console.h"
#include "efi/efi.h"
#include "efi/file.h"
#include "core/load.h"
#include "efi/menu.h"
#include "efi/secure_boot_check.h"
#include "efi/xbootldr.h"
#include "core/machine.h"
#include "core/timing.h"
#include "lib/ascii.h"
#include "lib/fmt.h"
#include "lib/mem.h"
#include "lib/url.h"
#include "lib/utf.h"
#include "lib/version.h"

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
/* room the editor gives a command line to grow */
#define EDIT_ROOM 1024
/* the text variables the menu reads */
#define VAR_TEXT_MAX 64

/* One entry file, and the entry read from it. */
struct entry_file {
	char id[ID_MAX];
	char file[ID_MAX + sizeof(XBOOTLDR_PREFIX ENTRIES_DIR)];
	bool uki;                         /* in UKI_DIR */
	unsigned profile;                 /* the image's profile (systemd 257) */
	char osrel[OSREL_FIELDS][LABEL_MAX];
	char title[LABEL_MAX];            /* with the profile's */
	char id_suffix[ID_MAX];           /* the profile's, for the id */
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
	/* what the menu's keys change, written as it closes */
	struct bls_choice choice;
	size_t var_default;         /* marked; n: LoaderEntryDefault unset */
	bool var_default_changed, timeout_changed, mode_changed;
	int mode_var;               /* LoaderConfigConsoleMode; -1: unset */
	int first_mode;             /* the console's mode before the menu's */
	bool menu_shown;
	char status[160];
};

static void warn(void *ctx, const char *msg)
{
	(void)ctx;
	con_warn("%s", msg);
}

/* The entry broken: no memory to read it. */
static int no_memory(struct bls_entry *e)
{
	return diag_fail(&e->broken, ERR_NO_MEMORY, "%s: no memory to read it",
			 e->file);
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

/* A file an entry names, and the line that names it. */
struct entry_path {
	const char *what;
	const char **path;
	unsigned line;
};
#define ENTRY_PATHS_MAX (2 + OPT_MAX_INITRDS + BLS_MAX_MODULES)

/* The files e names, in p: its kernel, initrds, modules and devicetree;
 * how many. */
static size_t entry_paths(struct bls_entry *e, struct entry_path p[ENTRY_PATHS_MAX])
{
	size_t n = 0;

	p[n++] = (struct entry_path){ "kernel", &e->kernel, e->kernel_line };
	for (size_t k = 0; k < e->ninitrd; k++)
		p[n++] = (struct entry_path){ "initrd", &e->initrd[k], e->initrd_line[k] };
	for (size_t k = 0; k < e->nmodule; k++)
		p[n++] = (struct entry_path){ "module", &e->module[k].path,
					      e->module_line[k] };
	if (e->devicetree)
		p[n++] = (struct entry_path){ "devicetree", &e->devicetree,
					      e->devicetree_line };
	return n;
}

/* An entry read from the XBOOTLDR partition names files on it: its paths
 * but URLs get the prefix that opens them there (efi/xbootldr.h). */
static int paths_on_xbootldr(struct bls_entry *e)
{
	struct entry_path p[ENTRY_PATHS_MAX];
	size_t all = entry_paths(e, p), n = 0, bytes = 0;
	char *out;

	for (size_t k = 0; k < all; k++)
		if (url_scheme_of(*p[k].path) == URL_NONE) {
			bytes += sizeof(XBOOTLDR_PREFIX) + strlen(*p[k].path);
			p[n++] = p[k];
		}
	if (!n)
		return 0;
	if (!(out = efi_alloc(bytes)))
		return no_memory(e);
	for (size_t k = 0; k < n; k++) {
		size_t len = (size_t)fmt_snprintf(out, bytes, "%s%s", XBOOTLDR_PREFIX,
						  *p[k].path) + 1;

		*p[k].path = out;
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

/* Section id of the image open as f, as text with a NUL after it: NULL
 * when the image has none, it is max bytes or more, or it cannot be read
 * (what the menu reads of an image is for show, never an error). */
static char *read_section_text(struct open_file *f, const struct uki *u,
			       enum uki_section_id id, size_t max)
{
	size_t n = u->sec[id].size;
	struct diag d;
	char *text;

	if (!u->sec[id].present || n >= max || !(text = efi_alloc(n + 1)) ||
	    file_read_at(f, u->sec[id].offset, text, n, &d))
		return NULL;
	text[n] = '\0';
	return text;
}

/* A unified kernel image's own .cmdline, where the menu's editor starts,
 * as systemd-boot's does; none when it has none or it cannot be read. */
static void read_embedded_options(struct open_file *f, const struct uki *u,
				  struct bls_entry *e)
{
	char *text = read_section_text(f, u, UKI_CMDLINE, MAX_TEXT);
	size_t n;

	if (!text)
		return;
	/* a NUL or a newline often ends it */
	n = strlen(text);
	while (n && ascii_space(text[n - 1]))
		n--;
	text[n] = '\0';
	e->embedded_options = text;
}

/* Opens the image at path as f, reads its first bytes to head (room for
 * UKI_HEAD_MAX), and finds the sections of its profile `profile` as the
 * stub release it names finds them (stub_sections(), as the boot does);
 * u->profiles their count from 257. The release from the first sections'
 * .sdmagic, its first bytes read from the file. 1 when the file is no
 * unified kernel image. f is to be closed whatever this returns. */
static int open_uki(struct open_file *f, const char *path, uint8_t *head,
		    unsigned profile, struct uki *u, struct diag *d)
{
	const struct uki_section *magic = &u->sec[UKI_SDMAGIC];
	struct stub_version v;
	struct diag ignored;
	uint8_t text[64];
	size_t n, got = 0;
	enum stub_fit fit;
	bool named;
	int rc;

	if ((rc = file_open(f, "unified kernel image", path, d)))
		return rc;
	n = f->size < UKI_HEAD_MAX ? f->size : UKI_HEAD_MAX;
	if ((rc = file_read_at(f, 0, head, n, d)))
		return rc;
	if (!uki_detect(head, n))
		return 1;
	if (!(rc = uki_parse_profile(head, n, f->size, 0, u, d))) {
		if (magic->present) {
			got = magic->size < sizeof(text) ? magic->size :
							   sizeof(text);
			if (file_read_at(f, magic->offset, text, got, &ignored))
				got = 0;
		}
		named = stub_version(text, got, head, n, &v);
		rc = stub_sections(stub_release(named ? &v : NULL, &fit), head,
				   n, f->size, profile, u, d);
	}
	if (rc)
		diag_prefix(d, "%s: ", path);
	return rc;
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
	uint8_t *head = efi_alloc(UKI_HEAD_MAX + OSREL_MAX);
	char *osrel;
	const char *profile = NULL;
	size_t n;
	int rc;

	e->kernel = ef->file;
	e->uki = true;
	e->options = ""; /* the image's own .cmdline */
	e->profile = ef->profile;
	if (!head)
		return no_memory(e);
	osrel = (char *)head + UKI_HEAD_MAX;
	if (!(rc = open_uki(&f, ef->file, head, ef->profile, &u, &e->broken))) {
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
		if (!rc) {
			read_embedded_options(&f, &u, e);
			/* (none: titled as an image without profiles) */
			profile = read_section_text(&f, &u, UKI_PROFILE, OSREL_MAX);
		}
	}
	file_close(&f);
	if (rc)
		return rc;
	e->title = osrel_pick(osrel, n, "PRETTY_NAME IMAGE_ID NAME ID", field[0]);
	/* systemd-boot 257's title and id for the profile */
	if (e->title) {
		uki_profile_entry(e->title, profile, profile ? strlen(profile) : 0,
				  ef->profile, ef->title, LABEL_MAX, ef->id_suffix,
				  ID_MAX);
		e->title = ef->title;
	}
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
		return no_memory(e);
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

	/* what the menu shows of an entry that cannot be read */
	e->id = ef->id;
	e->file = ef->file;
	if (ef->uki) {
		rc = read_uki(ef);
		if (rc == 1)
			return;
		if (rc)
			warn_broken(e);
	} else if (load_text("boot entry", ef->file, MAX_TEXT, &text, &len, &e->broken)) {
		warn_broken(e);
	} else if (!(scratch = efi_alloc(len + 1))) {
		no_memory(e);
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
	/* a profile's after that, as systemd-boot's (room: both ID_MAX) */
	if (*ef->id_suffix && strlen(ef->id) + strlen(ef->id_suffix) < ID_MAX)
		memcpy(ef->id + strlen(ef->id), ef->id_suffix, strlen(ef->id_suffix) + 1);
	c->menu[c->n++] = e;
}

/* A multi-profile image in UKI_DIR (systemd 257): an entry for each
 * profile after its first, as systemd-boot lists them (c->files[i] is the
 * first's). One that cannot be read stays one entry, which says why. */
static void add_profiles(struct catalog *c, size_t i)
{
	struct open_file f;
	struct diag d;
	struct uki u;
	uint8_t *head = efi_alloc(UKI_HEAD_MAX);
	unsigned profiles = 0;

	if (!head)
		return;
	if (!open_uki(&f, c->files[i].file, head, 0, &u, &d))
		profiles = u.profiles;
	file_close(&f);
	for (unsigned p = 1; p < profiles && p < UKI_PROFILES_MAX; p++) {
		if (!room_for_file(c)) {
			c->ignored++;
			return;
		}
		c->files[c->nfiles] = c->files[i];
		c->files[c->nfiles].profile = p;
		/* (its id, should the image not read again) */
		fmt_snprintf(c->files[c->nfiles++].id_suffix, ID_MAX, "@%u", p);
	}
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
	for (size_t i = 0, n = c->nfiles; i < n; i++)
		if (c->files[i].uki)
			add_profiles(c, i);
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

/* Opens every file the entry names, before the boot begins, so that a
 * missing one is reported with its line. Not a URL: opening one fetches
 * it whole, which the boot does anyway, its errors naming the URL. */
static int check_files(struct bls_entry *e, struct diag *d)
{
	struct entry_path p[ENTRY_PATHS_MAX];
	size_t n = entry_paths(e, p);
	struct open_file f;
	int rc;

	for (size_t k = 0; k < n; k++) {
		if (url_scheme_of(*p[k].path) != URL_NONE)
			continue;
		if ((rc = file_open(&f, p[k].what, *p[k].path, d))) {
			diag_prefix(d, "%s:%u: ", e->file, p[k].line);
			return rc;
		}
		file_close(&f);
	}
	return 0;
}

/* What an automatic entry that is no program does: the machine reboots
 * (into the firmware's setup) or powers off. A dry run only says so. */
static int run_action(const char *title, enum bls_auto_kind kind,
		      bool dry_run, struct diag *d)
{
	con_note("%s'%s'", dry_run ? "dry run, would do " : "", title);
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

static int try_entry(const struct catalog *c, size_t i,
		     const struct options *global, boot_fn boot,
		     struct session *s, struct diag *d)
{
	struct bls_entry *e = c->menu[i];
	enum bls_auto_kind kind;
	struct options o;
	const char *extra;
	int rc;

	if (is_auto(c, i, &kind) && kind != BLS_AUTO_PROGRAM)
		return run_action(c->title[i], kind, global->dry_run, d);
	if (e->broken.code) {
		*d = e->broken;
		return d->code;
	}
	if ((rc = check_files(e, d)))
		return rc;
	con_note("booting '%s' from %s", c->title[i], e->file);
	bli_select(e->id, e->count.on ? e->file : NULL,
		   bls_last_booted(&c->conf, &c->vars, e));
	bls_entry_options(e, &o);
	/* a profile other than the first, picked for the stub as
	 * systemd-boot picks it: "@N " before the options */
	if (e->profile) {
		size_t n = strlen(o.cmdline) + 16;
		char *line = efi_alloc(n);

		if (!line)
			return diag_fail(d, ERR_NO_MEMORY,
					 "no memory for the command line of '%s'", e->file);
		fmt_snprintf(line, n, "@%u %s", e->profile, o.cmdline);
		o.cmdline = line;
	}
	/* systemd-boot's SMBIOS line, after the options and a space */
	if (bls_entry_takes_smbios(e) &&
	    (extra = efi_smbios_string("io.systemd.boot.kernel-cmdline-extra"))) {
		size_t n = strlen(o.cmdline) + 1 + strlen(extra) + 1;
		char *line = efi_alloc(n);

		if (!line)
			return diag_fail(d, ERR_NO_MEMORY,
					 "no memory for the command line of '%s'", e->file);
		fmt_snprintf(line, n, "%s %s", o.cmdline, extra);
		o.cmdline = line;
	}
	o.dry_run = global->dry_run;
	o.verbose = global->verbose;
	/* before the kernel is read, as systemd-boot installs it before it
	 * starts the image: a malformed one fails the entry here */
	if (e->devicetree &&
	    (rc = devicetree_install(e->devicetree, global->dry_run, d))) {
		diag_prefix(d, "%s:%u: ", e->file, e->devicetree_line);
		return rc;
	}
	rc = boot(s, &o, d);
	/* a boot that did not happen leaves the firmware's table as it was */
	devicetree_restore();
	if (rc && strncmp(d->msg, e->file, strlen(e->file)))
		diag_prefix(d, "%s: ", e->file);
	return rc;
}

/* Entry i booted. An entry that fails (or an EFI program that returns)
 * gives back every page it took, a devicetree of up to 32 MiB among them,
 * for the next entry to have; the boot itself gives back its own
 * (boot_sequence()). */
static int attempt(const struct catalog *c, size_t i,
		   const struct options *global, boot_fn boot,
		   struct session *s, struct diag *d)
{
	size_t mark = pages_mark();
	int rc = try_entry(c, i, global, boot, s, d);

	pages_release(mark);
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

/* A line "label: value" of the menu's `p`, when there is a value. */
static void print_set(const char *label, const char *value)
{
	if (value)
		con_printf("%s: %s\n", label, value);
}

/* The menu's `p`: what efikexec knows and was told, then each entry, a
 * page at a time (a key turns it; Esc or q ends). */
static void print_status(const struct catalog *c)
{
	EFI_SYSTEM_TABLE *st = efi.st;
	char timeout[24], text[VAR_TEXT_MAX], vendor[VAR_TEXT_MAX];
	UINTN cols = 0, rows = 0;

	st->ConOut->ClearScreen(st->ConOut);
	st->ConOut->QueryMode(st->ConOut, st->ConOut->Mode->Mode, &cols, &rows);
	con_printf("efikexec %s\n", EFIKEXEC_VERSION);
	ucs2_to_utf8(st->FirmwareVendor, VAR_TEXT_MAX, vendor, sizeof(vendor));
	con_printf("UEFI %u.%02u, firmware %s %u.%02u\n", st->Hdr.Revision >> 16,
		   st->Hdr.Revision & 0xffff, vendor,
		   st->FirmwareRevision >> 16, st->FirmwareRevision & 0xffff);
	con_printf("Secure Boot: %s; reboot into the firmware's setup: %s\n",
		   efi_secure_boot_mode() == SECURE_BOOT_DISABLED ? "off" : "on",
		   firmware_setup_supported() ? "yes" : "no");
	con_printf("console mode %d of 0-%d (%lux%lu)\n", menu_mode(),
		   (int)st->ConOut->Mode->MaxMode - 1, cols, rows);
	if (c->conf.has_timeout) {
		bls_timeout_text(&c->conf.timeout, timeout, sizeof(timeout));
		con_printf("timeout (loader.conf): %s\n", timeout);
	}
	print_set("timeout (LoaderConfigTimeout)",
		  bli_get_text("LoaderConfigTimeout", text, sizeof(text)));
	print_set("default (loader.conf)", c->conf.default_pattern);
	print_set("default (LoaderEntryDefault)", c->vars.entry_default);
	print_set("default (LoaderEntryOneShot)", c->vars.entry_oneshot);
	print_set("saved (LoaderEntryLastBooted)", c->vars.entry_last_booted);
	con_printf("editor %s, auto-entries %s, auto-firmware %s, auto-poweroff %s, auto-reboot %s\n",
		   c->conf.editor ? "yes" : "no", c->conf.auto_entries ? "yes" : "no",
		   c->conf.auto_firmware ? "yes" : "no",
		   c->conf.auto_poweroff ? "yes" : "no",
		   c->conf.auto_reboot ? "yes" : "no");
	for (size_t i = 0; i < c->n; i++) {
		const struct bls_entry *e = c->menu[i];

		con_printf("\n(a key for the next page; Esc or q: back to the menu)\n");
		if (!menu_wait_key())
			return;
		st->ConOut->ClearScreen(st->ConOut);
		con_printf("title: %s\nid: %s\nfile: %s\n", c->title[i], e->id, e->file);
		print_set("version", e->version);
		print_set("machine-id", e->machine_id);
		print_set("sort-key", e->sort_key);
		print_set("kernel", e->kernel);
		for (size_t k = 0; k < e->ninitrd; k++)
			print_set("initrd", e->initrd[k]);
		if (e->options && *e->options)
			con_printf("options: %s\n", e->options);
		if (e->count.on)
			con_printf("tries: %u left, %u done\n", e->count.left, e->count.done);
		if (e->broken.code)
			con_printf("broken: %s\n", e->broken.msg);
	}
	con_printf("\n(a key: back to the menu)\n");
	menu_wait_key();
}

/* The menu's `e`: the selected entry's command line, edited; whether to
 * boot it. */
static bool edit_options(struct catalog *c, size_t i)
{
	struct bls_entry *e = c->menu[i];
	const char *why = bls_edit_refused(e, c->conf.editor,
					   efi_secure_boot_mode() != SECURE_BOOT_DISABLED);
	/* a Type #2 entry's options are empty: its own .cmdline boots */
	const char *text = e->options && *e->options ? e->options :
			   e->embedded_options ? e->embedded_options : "";
	size_t len, cap;
	char *buf;

	if (why) {
		fmt_snprintf(c->status, sizeof(c->status), "cannot edit: %s", why);
		return false;
	}
	len = strlen(text);
	cap = len + EDIT_ROOM;
	if (!(buf = efi_alloc(cap))) {
		fmt_snprintf(c->status, sizeof(c->status), "no memory to edit");
		return false;
	}
	memcpy(buf, text, len + 1);
	if (!menu_edit(buf, cap))
		return false;
	e->options = buf;
	return true;
}

/* The menu's `d`: the selected entry becomes LoaderEntryDefault, or, when
 * it is that already, LoaderEntryDefault goes. */
static void toggle_default(struct catalog *c, size_t i)
{
	bool clear = c->var_default == i;

	c->var_default = clear ? c->n : i;
	/* what LoaderEntryLastBooted then becomes follows it, as in
	 * systemd-boot */
	c->vars.entry_default = clear ? NULL : c->menu[i]->id;
	c->var_default_changed = true;
	fmt_snprintf(c->status, sizeof(c->status), clear ?
		     "LoaderEntryDefault cleared" : "LoaderEntryDefault: %s",
		     c->menu[i]->id);
}

/* The menu's + t (longer) and - T (shorter). */
static void step_timeout(struct catalog *c, bool longer)
{
	char text[24];

	bls_timeout_step(&c->choice.timeout, longer);
	c->timeout_changed = true;
	bls_timeout_text(&c->choice.timeout, text, sizeof(text));
	fmt_snprintf(c->status, sizeof(c->status), "LoaderConfigTimeout: %s%s", text,
		     c->choice.timeout.kind == BLS_MENU_FORCE ? " (the menu waits)" :
		     c->choice.timeout.kind == BLS_MENU_HIDDEN ?
				" (the menu only with a key held)" : " s");
}

/* The menu's r (the next text mode) and R (back to the first). */
static void change_mode(struct catalog *c, bool next)
{
	int mode = next ? menu_next_mode() : c->first_mode;

	if (mode < 0 || (!next && !menu_set_mode(mode))) {
		fmt_snprintf(c->status, sizeof(c->status), "the console mode cannot change");
		return;
	}
	c->mode_var = next ? mode : -1;
	c->mode_changed = true;
	fmt_snprintf(c->status, sizeof(c->status), next ?
		     "console mode %d" : "console mode %d, the firmware's", mode);
}

/* A key the menu left to us, as systemd-boot's menu takes it: whether
 * to boot the selected entry now (an edited command line). */
static bool menu_key(struct catalog *c, struct menu *m, bool *firmware_asked)
{
	CHAR16 k = m->key.UnicodeChar;

	c->status[0] = '\0';
	*firmware_asked = false;
	if (k == 'd' || k == 'D')
		toggle_default(c, m->selected);
	else if (k == '+' || k == 't')
		step_timeout(c, true);
	else if (k == '-' || k == 'T')
		step_timeout(c, false);
	else if (k == 'p' || k == 'P')
		print_status(c);
	else if (k == 'r' || k == 'R')
		change_mode(c, k == 'r');
	else if (k == 'e' || k == 'E')
		return edit_options(c, m->selected);
	else if (k == 'f' || k == 'F') {
		*firmware_asked = firmware_setup_supported();
		fmt_snprintf(c->status, sizeof(c->status), *firmware_asked ?
			     "Enter reboots into the firmware's setup, any other key does not" :
			     "this firmware cannot reboot into its setup");
	} else if (k == 'O' || k == 'B') /* upper case: not hit by chance */
		efi.rt->ResetSystem(k == 'O' ? EfiResetShutdown : EfiResetCold,
				    EFI_SUCCESS, 0, NULL);
	else if (k >= '1' && k <= '9')
		m->selected = (size_t)(k - '1') < c->n ? (size_t)(k - '1') : c->n - 1;
	else if (k == 'h' || k == 'H' || k == '?' || m->key.ScanCode == SCAN_F1)
		fmt_snprintf(c->status, sizeof(c->status),
			     "d default, +/- timeout, e edit, r/R console mode, p print, f firmware, O off, B reboot");
	return false;
}

/* The variables the menu's keys changed, once it closes (systemd-boot
 * too writes them only then: fewer writes to flash). */
static void save_menu_changes(const struct catalog *c)
{
	char text[24];

	if (c->var_default_changed)
		bli_set_nv("LoaderEntryDefault", c->var_default < c->n ?
						       c->menu[c->var_default]->id : NULL);
	if (c->timeout_changed) {
		bls_timeout_text(&c->choice.timeout, text, sizeof(text));
		bli_set_nv("LoaderConfigTimeout", text);
	}
	if (c->mode_changed) {
		fmt_snprintf(text, sizeof(text), "%d", c->mode_var);
		bli_set_nv("LoaderConfigConsoleMode", c->mode_var < 0 ? NULL : text);
	}
}

/* The console in the mode LoaderConfigConsoleMode names, if any. */
static void apply_mode_var(struct catalog *c)
{
	char text[VAR_TEXT_MAX];
	const char *v = bli_get_text("LoaderConfigConsoleMode", text, sizeof(text));
	int mode = 0;

	c->first_mode = menu_mode();
	c->mode_var = -1;
	if (!v || !*v)
		return;
	for (; *v >= '0' && *v <= '9' && mode < 1000; v++)
		mode = mode * 10 + (*v - '0');
	if (!*v && menu_set_mode(mode))
		c->mode_var = mode;
}

/* The menu until an entry is chosen: MENU_BOOT or MENU_LEAVE. */
static enum menu_choice run_menu(struct catalog *c, size_t *sel,
				 unsigned countdown, bool dry_run)
{
	struct menu m = { .labels = c->labels, .n = c->n, .selected = *sel,
			  .countdown = countdown };
	enum menu_choice choice;
	bool firmware_asked = false;

	if (!c->menu_shown) {
		apply_mode_var(c);
		/* when the menu first came up, as systemd-boot records it */
		if (!dry_run)
			bli_set_decimal("LoaderTimeMenuUSec", timing_now_us());
		c->menu_shown = true;
	}
	make_labels(c);
	for (;;) {
		m.marked = c->var_default;
		m.note = c->note[0] ? c->note : NULL;
		m.status = c->status[0] ? c->status : NULL;
		m.confirm = firmware_asked;
		choice = menu_run(&m);
		if (firmware_asked) {
			/* Enter confirms (returning only when it failed), any
			 * other key cancels */
			firmware_asked = false;
			c->status[0] = '\0';
			if (choice == MENU_BOOT && !dry_run)
				reboot_to_firmware_setup();
			continue;
		}
		if (choice != MENU_KEY)
			break;
		if (menu_key(c, &m, &firmware_asked)) {
			choice = MENU_BOOT;
			break;
		}
	}
	*sel = m.selected;
	/* a dry run changes nothing */
	if (!dry_run)
		save_menu_changes(c);
	return choice;
}

int entries_boot(const struct options *global, boot_fn boot,
		 struct session *s, struct diag *d)
{
	struct catalog *c = efi_alloc(sizeof(*c));
	unsigned countdown;
	bool show;
	int rc;

	if (!c)
		return diag_fail(d, ERR_NO_MEMORY, "no memory for the boot entries");
	/* as systemd-boot: before the entries, whose files a driver's file
	 * system may hold */
	drivers_load();
	if ((rc = read_catalog(c, d)))
		return rc;
	/* a dry run changes nothing, not even the one-shot variables */
	bli_read_overrides(&c->vars, !global->dry_run);
	bls_choose(c->menu, c->n, &c->conf, &c->vars, &c->choice, warn, NULL);
	c->var_default = c->choice.var_default;
	bli_set_entries(c->ids, c->nids);
	countdown = c->choice.countdown;
	show = c->choice.menu == BLS_MENU_SHOW ||
	       (c->choice.menu == BLS_MENU_ON_KEY && menu_key_pending());
	for (size_t sel = c->choice.index;;) {
		if (show && run_menu(c, &sel, countdown, global->dry_run) == MENU_LEAVE)
			return diag_fail(d, ERR_ABORTED,
					 "left the boot menu without booting");
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
			countdown = c->choice.fallback;
		}
	}
}
