#include "bls/lines.h"

#include "lib/ascii.h"
#include "lib/mem.h"

void bls_lines_init(struct bls_lines *it, char *text, size_t len,
		    const char *file)
{
	*it = (struct bls_lines){ .p = text, .end = text + len, .file = file };
}

static char *trim(char *s, char *end)
{
	while (s < end && ascii_space(*s))
		s++;
	while (end > s && ascii_space(end[-1]))
		end--;
	*end = '\0';
	return s;
}

int bls_lines_next(struct bls_lines *it, char **key, char **value,
		   struct diag *d)
{
	while (it->p < it->end) {
		char *start = it->p, *eol = start, *k, *v;
		size_t n;

		while (eol < it->end && *eol != '\n') {
			if (!*eol)
				return diag_fail(d, ERR_BAD_IMAGE,
						 "%s:%u: a NUL byte in the text",
						 it->file, it->line + 1);
			eol++;
		}
		it->line++;
		it->p = eol < it->end ? eol + 1 : eol;
		k = trim(start, eol); /* eol is '\n' or one past the text */
		if (!*k || *k == '#')
			continue;
		for (v = k; *v && !ascii_space(*v); v++)
			;
		if (*v)
			*v++ = '\0';
		v = trim(v, v + strlen(v));
		n = strlen(v);
		if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) {
			v[n - 1] = '\0';
			v++;
		}
		*key = k;
		*value = v;
		return 1;
	}
	return 0;
}
