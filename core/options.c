#include "core/options.h"

#include "lib/ascii.h"
#include "lib/mem.h"

struct lexer {
	const char *p;   /* next unread character of the line */
	char *out;       /* next free byte of scratch */
	char *out_end;
};

/* Reads the next word into scratch; returns NULL at the end of the line.
 * *raw_end is set just past the word in the original line. */
static char *next_word(struct lexer *lx, const char **raw_end)
{
	bool quoted = false;
	char *start;

	while (ascii_space(*lx->p))
		lx->p++;
	if (!*lx->p)
		return NULL;
	start = lx->out;
	for (; *lx->p && (quoted || !ascii_space(*lx->p)); lx->p++) {
		if (*lx->p == '"') {
			quoted = !quoted;
			continue;
		}
		if (lx->out < lx->out_end)
			*lx->out++ = *lx->p;
	}
	if (lx->out < lx->out_end)
		*lx->out++ = '\0';
	*raw_end = lx->p;
	return start;
}

/* Copies the raw rest of the line into scratch, without the white space
 * around it: the kernel command line exactly as written. */
static const char *raw_rest(struct lexer *lx, const char *s)
{
	const char *end = s + strlen(s);
	char *start = lx->out;

	while (ascii_space(*s))
		s++;
	while (end > s && ascii_space(end[-1]))
		end--;
	while (s < end && lx->out < lx->out_end)
		*lx->out++ = *s++;
	if (lx->out < lx->out_end)
		*lx->out++ = '\0';
	return start;
}

/* Matches "--name VALUE" and "--name=VALUE": returns 1 and sets *value,
 * 0 when word is another option, or an error when the value is missing. */
static int option_value(struct lexer *lx, const char *word, const char *name,
			const char **value, struct diag *d)
{
	size_t n = strlen(name);
	const char *raw_end;

	if (strncmp(word, name, n))
		return 0;
	if (word[n] == '=') {
		*value = word + n + 1;
		return 1;
	}
	if (word[n])
		return 0;
	*value = next_word(lx, &raw_end);
	if (!*value)
		return diag_fail(d, ERR_USAGE, "option %s needs a value", name);
	return 1;
}

void options_split_module(char *value, struct opt_module *m)
{
	char *p = value;

	while (ascii_space(*p))
		p++;
	m->path = p;
	while (*p && !ascii_space(*p))
		p++;
	if (*p)
		*p++ = '\0';
	while (ascii_space(*p))
		p++;
	m->args = p;
}

int options_parse_flush(const char *name, const char *v,
			enum flush_policy *out, struct diag *d)
{
	if (!strcmp(v, "auto"))
		*out = FLUSH_AUTO;
	else if (!strcmp(v, "always"))
		*out = FLUSH_ALWAYS;
	else if (!strcmp(v, "never"))
		*out = FLUSH_NEVER;
	else
		return diag_fail(d, ERR_USAGE,
				 "%s '%s': expected auto, always or never",
				 name, v);
	return 0;
}

/* The flag the switch `word` sets in o, or NULL. */
static bool *switch_of(struct options *o, const char *word)
{
	const struct {
		const char *name;
		bool *flag;
	} switches[] = {
		{ "-h", &o->help },
		{ "--help", &o->help },
		{ "--dry-run", &o->dry_run },
		{ "-v", &o->verbose },
		{ "--verbose", &o->verbose },
		{ "--fault-test", &o->fault_test },
		{ "--allow-tdx-erratum", &o->handoff.allow_tdx_erratum },
		{ "--verify", &o->verify },
		{ "--verify-test", &o->verify_test },
	};

	for (size_t i = 0; i < sizeof(switches) / sizeof(switches[0]); i++)
		if (!strcmp(word, switches[i].name))
			return switches[i].flag;
	return NULL;
}

static int set_module(struct options *o, const char *name, const char *value,
		      struct diag *d)
{
	if (o->nmodule == OPT_MAX_MODULES)
		return diag_fail(d, ERR_USAGE, "more than %d %s options",
				 OPT_MAX_MODULES, name);
	options_split_module((char *)value, &o->module[o->nmodule]);
	if (!*o->module[o->nmodule].path)
		return diag_fail(d, ERR_USAGE, "--module needs a path");
	o->nmodule++;
	return pin_split((char *)o->module[o->nmodule - 1].path,
			 &o->module[o->nmodule - 1].pin, d);
}

static int set_format(struct options *o, const char *name, const char *value,
		      struct diag *d)
{
	(void)name, (void)d;
	o->format = value;
	return 0;
}

static int set_flush(struct options *o, const char *name, const char *value,
		     struct diag *d)
{
	return options_parse_flush(name, value, &o->handoff.flush, d);
}

static int set_initrd(struct options *o, const char *name, const char *value,
		      struct diag *d)
{
	if (o->ninitrd == OPT_MAX_INITRDS)
		return diag_fail(d, ERR_USAGE, "more than %d %s options",
				 OPT_MAX_INITRDS, name);
	o->initrd[o->ninitrd] = value;
	return pin_split((char *)value, &o->initrd_pin[o->ninitrd++], d);
}

/* The options that take a value, "--name VALUE" or "--name=VALUE". */
static const struct {
	const char *name;
	int (*set)(struct options *o, const char *name, const char *value,
		   struct diag *d);
} value_options[] = {
	{ "--module", set_module },
	{ "--format", set_format },
	{ "--flush", set_flush },
	{ "--initrd", set_initrd },
};

/* An option that takes a value (or none that efikexec knows): stores
 * what it says in o. */
static int value_option(struct lexer *lx, const char *word,
			struct options *o, struct diag *d)
{
	for (size_t i = 0; i < sizeof(value_options) / sizeof(value_options[0]); i++) {
		const char *value = NULL;
		int rc = option_value(lx, word, value_options[i].name, &value, d);

		if (rc < 0)
			return rc;
		if (rc)
			return value_options[i].set(o, value_options[i].name, value, d);
	}
	return diag_fail(d, ERR_USAGE, "unknown option '%s' (try --help)", word);
}

int options_parse(const char *line, bool skip_program, char *scratch,
		  size_t scratch_size, struct options *o, struct diag *d)
{
	struct lexer lx = { line, scratch, scratch + scratch_size };
	const char *raw_end = line;
	char *word;
	bool options_done = false;
	int rc;

	memset(o, 0, sizeof(*o));
	o->cmdline = "";
	if (scratch_size < 2 * strlen(line) + 2)
		return diag_fail(d, ERR_USAGE, "command line too long to parse");
	if (skip_program)
		next_word(&lx, &raw_end);

	while ((word = next_word(&lx, &raw_end))) {
		if (!options_done && word[0] == '-') {
			bool *flag;

			if (!strcmp(word, "--")) {
				options_done = true;
			} else if ((flag = switch_of(o, word))) {
				*flag = true;
			} else if ((rc = value_option(&lx, word, o, d))) {
				return rc;
			}
			continue;
		}
		o->kernel = word;
		o->cmdline = raw_rest(&lx, raw_end);
		if ((rc = pin_split(word, &o->kernel_pin, d)))
			return rc;
		break;
	}
	o->verify |= o->verify_test;
	/* Without a kernel the boot entries say what to boot (efi/entries.c);
	 * only --dry-run and -v mean anything then. */
	if (!o->kernel && !o->help &&
	    (o->ninitrd || o->nmodule || o->format || o->handoff.flush ||
	     o->handoff.allow_tdx_erratum || o->fault_test || o->verify))
		return diag_fail(d, ERR_USAGE,
				 "options for a kernel but no KERNEL (usage: %s)",
				 options_synopsis);
	return 0;
}

const char options_synopsis[] = "efikexec.efi [OPTIONS] KERNEL [CMDLINE...]";

const char *options_usage(void)
{
	return "usage: efikexec.efi [OPTIONS] KERNEL [CMDLINE...]\n"
	       "Loads KERNEL and its initrds, exits boot services and starts it,\n"
	       "kexec-style. Every word after KERNEL is the kernel command line.\n"
	       "Paths are on efikexec's own volume (\\path or path) or fsN:\\path,\n"
	       "or http:// and tftp:// URLs; any may end in #sha256=<64 hex digits>,\n"
	       "the file's SHA-256 (^#sha256= in the shell): a file that does not\n"
	       "match is refused.\n"
	       "\n"
	       "  --initrd PATH  load an initrd (Linux); repeat to concatenate several\n"
	       "  --module \"PATH ARGS...\"  load a module (Multiboot, ELF64) with\n"
	       "                 the string ARGS; repeat for more\n"
	       "  --format NAME  auto (default), linux, multiboot1, multiboot2, vmlinux,\n"
	       "                 elf64, or efi: start KERNEL as an EFI application\n"
	       "  --dry-run      load, plan and check everything, print the plan,\n"
	       "                 then return to the shell without booting\n"
	       "  --flush MODE   WBINVD on every CPU before the jump: auto (default:\n"
	       "                 on bare metal, never under a hypervisor), always, never\n"
	       "  --allow-tdx-erratum  boot even with TDX enabled on a CPU with the\n"
	       "                 TDX partial-write erratum (Linux refuses kexec there)\n"
	       "  -v, --verbose  print how long each stage took (microseconds; after\n"
	       "                 ExitBootServices on COM1)\n"
	       "  --verify       halt before the jump if a segment changed since loading\n"
	       "  --fault-test, --verify-test  self-tests: a fault, a changed byte after\n"
	       "                 ExitBootServices; each reported on COM1, then a halt\n"
	       "  -h, --help     show this text\n";
}

/* Whether s holds any character of set. */
static bool has_any(const char *s, const char *set)
{
	for (; *s; s++)
		for (const char *c = set; *c; c++)
			if (*s == *c)
				return true;
	return false;
}

bool options_are_kernel_parameters(const char *line, const struct options *o)
{
	while (*line == ' ' || *line == '\t')
		line++;
	if (*line == '-' || !o->kernel)
		return false;
	if (has_any(o->kernel, "="))
		return true;
	return !has_any(o->kernel, "\\/:.") && has_any(o->cmdline, "=");
}
