#include "mb/modules.h"

#include "lib/ascii.h"
#include "lib/fmt.h"
#include "lib/mem.h"

static bool starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

void mb_modules_init(struct mb_modules *ms, const char *loader_name,
		     const struct mb_module *mod, size_t n)
{
	const char *l = loader_name ? loader_name : "";

	ms->mod = mod;
	ms->n = n;
	if (!strcmp(l, "qemu"))
		ms->loader = MB_LOADER_QEMU;
	else if (starts_with(l, "kexec") && (!l[5] || l[5] == ' '))
		ms->loader = MB_LOADER_KEXEC;
	else if (starts_with(l, "GRUB"))
		ms->loader = MB_LOADER_GRUB;
	else
		ms->loader = MB_LOADER_OTHER;
	/* GRUB alone passes module strings without the file's name; the
	 * loaders before it (GRUB Legacy) and the others put it first */
	ms->named = ms->loader != MB_LOADER_GRUB;
}

static const char *skip_space(const char *s)
{
	while (ascii_space(*s))
		s++;
	return s;
}

static size_t word_len(const char *s)
{
	size_t n = 0;

	while (s[n] && !ascii_space(s[n]))
		n++;
	return n;
}

const char *mb_module_name(const struct mb_modules *ms, size_t i, size_t *len)
{
	const char *s = skip_space(ms->mod[i].string);

	*len = word_len(s);
	return s;
}

const char *mb_module_args(const struct mb_modules *ms, size_t i)
{
	const char *s = ms->mod[i].string;
	size_t len;

	if (!ms->named)
		return s;
	s = mb_module_name(ms, i, &len);
	return skip_space(s + len);
}

static bool is_sep(char c)
{
	return c == '/' || c == '\\';
}

/* a[0..n) equals the string b, '/' and '\' alike */
static bool same_path(const char *a, size_t n, const char *b)
{
	for (size_t i = 0; i < n; i++, b++)
		if (a[i] != *b && !(is_sep(a[i]) && is_sep(*b)))
			return false;
	return !*b;
}

/* "#N", 1 <= N <= n: *index = N - 1 */
static bool by_number(const struct mb_modules *ms, const char *path,
		      size_t *index)
{
	size_t v = 0;

	if (path[0] != '#' || !path[1])
		return false;
	for (const char *p = path + 1; *p; p++) {
		if (!ascii_digit(*p) || v > ms->n)
			return false;
		v = v * 10 + (size_t)(*p - '0');
	}
	if (v < 1 || v > ms->n)
		return false;
	*index = v - 1;
	return true;
}

/* How many modules `path` names at one level (0: whole names, 1: their
 * last components); the first in *index. */
static size_t matches(const struct mb_modules *ms, const char *path, int level,
		      size_t *index)
{
	size_t count = 0;

	if (level == 1)
		while (is_sep(*path))
			path++;
	for (size_t i = 0; i < ms->n; i++) {
		size_t len;
		const char *name = mb_module_name(ms, i, &len);

		if (level == 1) {
			size_t last = len;

			while (last && !is_sep(name[last - 1]))
				last--;
			name += last;
			len -= last;
		}
		if (len && same_path(name, len, path) && !count++)
			*index = i;
	}
	return count;
}

int mb_module_find(const struct mb_modules *ms, const char *path,
		   size_t *index, struct diag *d)
{
	size_t n;

	if (by_number(ms, path, index))
		return 0;
	for (int level = 0; level < 2; level++) {
		n = matches(ms, path, level, index);
		if (n == 1)
			return 0;
		if (n > 1)
			return diag_fail(d, ERR_USAGE,
					 "'%s' names %zu modules: give more of the path, or #N for the Nth module",
					 path, n);
	}
	if (ms->loader == MB_LOADER_GRUB)
		return diag_fail(d, ERR_NOT_FOUND,
				 "no module named '%s' (%zu modules; GRUB passes no file names: name a module by a first word of its own, as in 'module2 /vmlinuz vmlinuz console=ttyS0', or use #N)",
				 path, ms->n);
	return diag_fail(d, ERR_NOT_FOUND,
			 "no module named '%s' (the loader passed %zu modules)",
			 path, ms->n);
}

/* Whether the command line's first word may be the loader's image name
 * rather than efikexec's own first word (modules.h). */
static bool first_word_is_image(const struct mb_modules *ms, const char *s,
				size_t len)
{
	char word[256];
	size_t index;
	struct diag d;

	switch (ms->loader) {
	case MB_LOADER_QEMU:
	case MB_LOADER_KEXEC:
		return true;
	case MB_LOADER_GRUB:
		return false;
	default:
		break;
	}
	if (!len || s[0] == '-' || len >= sizeof(word))
		return false;
	for (size_t i = 0; i < len; i++)
		if (s[i] == '"' || s[i] == '=')
			return false;
	memcpy(word, s, len);
	word[len] = '\0';
	return mb_module_find(ms, word, &index, &d) == ERR_NOT_FOUND;
}

const char *mb_own_options(const struct mb_modules *ms, const char *cmdline)
{
	const char *s;
	size_t len;

	if (!cmdline)
		return "";
	s = skip_space(cmdline);
	len = word_len(s);
	if (first_word_is_image(ms, s, len))
		return skip_space(s + len);
	return cmdline;
}

/* The path that names module i: its name when that names it alone, else
 * "#N". Written to *scratch. */
static const char *path_of(const struct mb_modules *ms, size_t i,
			   char **scratch, char *end)
{
	size_t len, found;
	const char *name = mb_module_name(ms, i, &len);
	char *p = *scratch;
	struct diag d;

	if (ms->named && len && len + 1 <= (size_t)(end - p)) {
		memcpy(p, name, len);
		p[len] = '\0';
		if (!mb_module_find(ms, p, &found, &d) && found == i) {
			*scratch += len + 1;
			return p;
		}
	}
	if ((size_t)(end - p) < 8)
		return NULL;
	*scratch += fmt_snprintf(p, 8, "#%zu", i + 1) + 1;
	return p;
}

int mb_options_default(const struct mb_modules *ms, struct options *o,
		       char *scratch, size_t scratch_size, struct diag *d)
{
	char *end = scratch + scratch_size;

	if (!ms->n)
		return diag_fail(d, ERR_USAGE,
				 "no KERNEL on the command line and no module to boot (usage: %s)",
				 options_synopsis);
	if (ms->n - 1 > OPT_MAX_INITRDS)
		return diag_fail(d, ERR_USAGE,
				 "%zu modules after the kernel: booting without KERNEL takes at most %d",
				 ms->n - 1, OPT_MAX_INITRDS);
	if (!(o->kernel = path_of(ms, 0, &scratch, end)))
		goto full;
	o->cmdline = mb_module_args(ms, 0);
	o->ninitrd = o->nmodule = 0;
	o->initrds_or_modules = true;
	for (size_t i = 1; i < ms->n; i++) {
		const char *path = path_of(ms, i, &scratch, end);

		if (!path)
			goto full;
		o->initrd[o->ninitrd++] = path;
		o->module[o->nmodule++] = (struct opt_module){
			path, mb_module_args(ms, i) };
	}
	return 0;
full:
	return diag_fail(d, ERR_USAGE, "the module names do not fit in %zu bytes",
			 scratch_size);
}
