#include "bls/entry.h"

#include "bls/lines.h"
#include "boot/format.h"
#include "lib/ascii.h"
#include "lib/fmt.h"
#include "lib/mem.h"
#include "lib/pin.h"
#include "lib/url.h"

struct parser {
	struct bls_lines lines;
	struct bls_entry *e;
	bool linux_key;          /* the kernel came from 'linux' */
	bool efi_key;            /* from 'efi': started as an EFI program */
	const char *format;      /* efikexec-format, when given */
	unsigned format_line;
	char *out; /* where the next 'options' value is appended */
	bls_warn_fn warn;
	void *ctx;
};

/* The entry is broken: "FILE:LINE: WHAT DETAIL". */
static int fail(struct parser *p, int code, const char *what, const char *detail)
{
	return diag_fail(&p->e->broken, code, "%s:%u: %s%s", p->lines.file,
			 p->lines.line, what, detail);
}

/* A line that is skipped: "FILE:LINE: 'KEY' WHY, ignored". */
static void warn(struct parser *p, const char *key, const char *why)
{
	char msg[DIAG_MSG_MAX];

	fmt_snprintf(msg, sizeof(msg), "%s:%u: '%s' %s, ignored", p->lines.file,
		     p->lines.line, key, why);
	p->warn(p->ctx, msg);
}

/* Takes a "#sha256=" pin off the path or URL value, as the command line
 * does (lib/pin.h). */
static int take_pin(struct parser *p, char *value, struct pin *pin)
{
	struct diag d;

	if (pin_split(value, pin, &d))
		return fail(p, d.code, "", d.msg);
	return 0;
}

static int set_kernel(struct parser *p, const char *key, char *value)
{
	struct bls_entry *e = p->e;
	char where[32];

	if (e->kernel) {
		fmt_snprintf(where, sizeof(where), "%u", e->kernel_line);
		return fail(p, ERR_BAD_IMAGE,
			    "a second kernel: the entry names one on line ", where);
	}
	if (take_pin(p, value, &e->kernel_pin))
		return e->broken.code;
	e->kernel = value;
	e->kernel_line = p->lines.line;
	p->linux_key = !strcmp(key, "linux");
	p->efi_key = !strcmp(key, "efi");
	e->uki = !strcmp(key, "uki") || !strcmp(key, "uki-url");
	return 0;
}

static int add_initrd(struct parser *p, char *value)
{
	struct bls_entry *e = p->e;

	if (e->ninitrd == OPT_MAX_INITRDS)
		return fail(p, ERR_USAGE, "more than 16 initrds", "");
	if (take_pin(p, value, &e->initrd_pin[e->ninitrd]))
		return e->broken.code;
	e->initrd[e->ninitrd] = value;
	e->initrd_line[e->ninitrd++] = p->lines.line;
	return 0;
}

static int add_module(struct parser *p, char *value)
{
	struct bls_entry *e = p->e;

	if (e->nmodule == BLS_MAX_MODULES)
		return fail(p, ERR_USAGE, "more than 16 modules", "");
	options_split_module(value, &e->module[e->nmodule]);
	if (take_pin(p, (char *)e->module[e->nmodule].path,
		     &e->module[e->nmodule].pin))
		return e->broken.code;
	e->module_line[e->nmodule++] = p->lines.line;
	return 0;
}

static void add_options(struct parser *p, const char *value)
{
	size_t n = strlen(value);

	if (!n)
		return;
	if (p->out != p->e->options)
		*p->out++ = ' ';
	memcpy(p->out, value, n + 1);
	p->out += n;
}

static int set_format(struct parser *p, const char *value)
{
	if (!format_by_name(value) && strcmp(value, "auto"))
		return diag_fail(&p->e->broken, ERR_USAGE,
				 "%s:%u: efikexec-format '%s': expected auto, %s",
				 p->lines.file, p->lines.line, value,
				 format_names());
	p->format = strcmp(value, "auto") ? value : NULL;
	p->format_line = p->lines.line;
	return 0;
}

/* `uki-url`: a unified kernel image fetched from a URL, or with ":NAME"
 * from beside the URL the boot loader was fetched from (UAPI.1). */
static int set_uki_url(struct parser *p, char *value)
{
	int rc;

	if (value[0] == ':' ? !value[1] : url_scheme_of(value) == URL_NONE)
		return diag_fail(&p->e->broken, ERR_USAGE,
				 "%s:%u: uki-url '%s': expected an http://, https:// or tftp:// URL, or :NAME",
				 p->lines.file, p->lines.line, value);
	if ((rc = set_kernel(p, "uki-url", value[0] == ':' ? value + 1 : value)))
		return rc;
	p->e->beside_loader = value[0] == ':';
	return 0;
}

/* Keys whose value is a path or a choice: an entry without one cannot
 * boot as its author meant. */
static const char *const needs_value[] = {
	"linux", "initrd", "efikexec-kernel", "efikexec-module", "efi", "uki",
	"efikexec-format", "efikexec-flush", "uki-url",
};

static int parse_line(struct parser *p, const char *key, char *value)
{
	struct bls_entry *e = p->e;
	struct diag d;

	for (size_t i = 0; i < sizeof(needs_value) / sizeof(needs_value[0]); i++)
		if (!strcmp(key, needs_value[i]) && !*value)
			return diag_fail(&e->broken, ERR_USAGE, "%s:%u: '%s' needs a value",
					 p->lines.file, p->lines.line, key);

	if (!strcmp(key, "title"))
		e->title = value;
	else if (!strcmp(key, "version"))
		e->version = value;
	else if (!strcmp(key, "machine-id"))
		e->machine_id = value;
	else if (!strcmp(key, "sort-key"))
		e->sort_key = value;
	else if (!strcmp(key, "architecture"))
		e->architecture = value;
	else if (!strcmp(key, "options"))
		add_options(p, value);
	/* `uki`: a unified kernel image, found as such (boot/uki.h), as
	 * with `uki-url`; `efi`: an EFI program, started whatever it is
	 * (--format efi) */
	else if (!strcmp(key, "linux") || !strcmp(key, "efikexec-kernel") ||
		 !strcmp(key, "uki") || !strcmp(key, "efi"))
		return set_kernel(p, key, value);
	else if (!strcmp(key, "initrd"))
		return add_initrd(p, value);
	else if (!strcmp(key, "efikexec-module"))
		return add_module(p, value);
	else if (!strcmp(key, "efikexec-format"))
		return set_format(p, value);
	else if (!strcmp(key, "efikexec-flush")) {
		if (options_parse_flush("efikexec-flush", value, &e->flush, &d))
			return fail(p, d.code, "", d.msg);
	} else if (!strcmp(key, "uki-url"))
		return set_uki_url(p, value);
	else if (!strcmp(key, "devicetree")) {
		/* the last one counts, as with systemd-boot */
		p->e->devicetree = value;
		p->e->devicetree_line = p->lines.line;
	} else if (!strcmp(key, "devicetree-overlay"))
		warn(p, key, "is not supported by efikexec");
	else
		warn(p, key, "is not a key efikexec knows");
	return 0;
}

/* Rules about the entry as a whole, once every line is read. */
static int check_entry(struct parser *p)
{
	struct bls_entry *e = p->e;

	if (!e->kernel)
		return diag_fail(&e->broken, ERR_USAGE,
				 "%s: no kernel: expected a 'linux' or 'efikexec-kernel' line",
				 e->file);
	if ((p->linux_key || p->efi_key) && p->format_line)
		return diag_fail(&e->broken, ERR_USAGE,
				 "%s:%u: efikexec-format is for 'efikexec-kernel', not for the kernel on line %u",
				 e->file, p->format_line, e->kernel_line);
	if (p->linux_key && e->nmodule)
		return diag_fail(&e->broken, ERR_USAGE,
				 "%s:%u: efikexec-module is for Multiboot and ELF64 kernels; Linux takes 'initrd'",
				 e->file, e->module_line[0]);
	e->format = p->linux_key ? "linux" : p->efi_key ? "efi" : p->format;
	return 0;
}

int bls_parse_entry(char *text, size_t len, char *scratch, const char *id,
		    const char *file, struct bls_entry *e, bls_warn_fn warn_fn,
		    void *ctx)
{
	struct parser p = { .e = e, .out = scratch, .warn = warn_fn, .ctx = ctx };
	char *key, *value;
	int rc;

	memset(e, 0, sizeof(*e));
	e->id = id;
	e->file = file;
	e->options = scratch;
	*scratch = '\0';
	bls_lines_init(&p.lines, text, len, file);
	while ((rc = bls_lines_next(&p.lines, &key, &value, &e->broken)) > 0)
		if ((rc = parse_line(&p, key, value)))
			return rc;
	if (rc)
		return rc;
	return check_entry(&p);
}

bool bls_entry_for_x64(const struct bls_entry *e)
{
	const char *a = e->architecture;

	return !a || (ascii_lower(a[0]) == 'x' && a[1] == '6' && a[2] == '4' && !a[3]);
}

/* Flags every title that another one equals; whether there was none. */
static bool flag_same(size_t n, char (*title)[BLS_TITLE_MAX], bool *same)
{
	bool unique = true;

	for (size_t i = 0; i < n; i++)
		for (size_t k = i + 1; k < n; k++)
			if (!strcmp(title[i], title[k]))
				unique = same[i] = same[k] = false;
	return unique;
}

/* What tells entries with the same title apart, in systemd-boot's order. */
enum title_addition { ADD_VERSION, ADD_MACHINE_ID, ADD_ID };

/* Adds " (what)" to the titles flagged and clears their flags; entries
 * without it keep their title. Of a machine-id, the first 8 characters. */
static void add_to_same(struct bls_entry *const *v, size_t n,
			char (*title)[BLS_TITLE_MAX], bool *same,
			enum title_addition add)
{
	for (size_t i = 0; i < n; i++) {
		const char *what = add == ADD_VERSION ? v[i]->version :
				   add == ADD_MACHINE_ID ? v[i]->machine_id : v[i]->id;
		size_t len = strlen(title[i]);

		if (same[i])
			continue;
		same[i] = true;
		if (what)
			fmt_snprintf(title[i] + len, BLS_TITLE_MAX - len, " (%.*s)",
				     add == ADD_MACHINE_ID ? 8 : -1, what);
	}
}

void bls_titles(struct bls_entry *const *v, size_t n,
		char (*title)[BLS_TITLE_MAX], bool *same)
{
	for (size_t i = 0; i < n; i++) {
		fmt_snprintf(title[i], BLS_TITLE_MAX, "%s",
			     v[i]->title ? v[i]->title : v[i]->id);
		same[i] = true;
	}
	for (enum title_addition add = ADD_VERSION;
	     !flag_same(n, title, same) && add <= ADD_ID; add++)
		add_to_same(v, n, title, same, add);
}

bool bls_entry_takes_smbios(const struct bls_entry *e)
{
	return e->format && !strcmp(e->format, "linux");
}

void bls_entry_options(const struct bls_entry *e, struct options *o)
{
	memset(o, 0, sizeof(*o));
	o->kernel = e->kernel;
	o->kernel_pin = e->kernel_pin;
	o->cmdline = e->options;
	o->format = e->format;
	o->handoff.flush = e->flush;
	for (size_t i = 0; i < e->ninitrd; i++) {
		o->initrd[i] = e->initrd[i];
		o->initrd_pin[i] = e->initrd_pin[i];
	}
	o->ninitrd = e->ninitrd;
	for (size_t i = 0; i < e->nmodule; i++)
		o->module[i] = e->module[i];
	o->nmodule = e->nmodule;
}
