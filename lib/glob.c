#include "lib/glob.h"

#include <stddef.h>

#include "lib/ascii.h"

/* Matches c against the set starting after '['; returns the pattern just
 * past the closing ']' or NULL when the set is unterminated (then '[' is
 * an ordinary character). */
static const char *match_set(const char *p, char c, bool *matched)
{
	bool negate = *p == '!' || *p == '^', hit = false;

	if (negate)
		p++;
	/* a ']' right after the '[' (or '[!') is a member, not the end */
	do {
		char lo = *p, hi;

		if (!lo)
			return NULL;
		if (lo == '\\' && p[1])
			lo = *++p;
		hi = lo;
		if (p[1] == '-' && p[2] && p[2] != ']') {
			bool escaped = p[2] == '\\' && p[3];

			hi = escaped ? p[3] : p[2];
			p += escaped ? 3 : 2;
		}
		p++;
		if ((ascii_lower(c) >= ascii_lower(lo) && ascii_lower(c) <= ascii_lower(hi)) ||
		    (c >= lo && c <= hi))
			hit = true;
	} while (*p != ']');
	*matched = hit != negate;
	return p + 1;
}

bool glob_match(const char *pattern, const char *s)
{
	/* Backtracking to the last '*' suffices: a later '*' can always
	 * absorb what an earlier one would have. */
	const char *star_p = NULL, *star_s = NULL;

	for (;;) {
		const char *next = NULL;
		bool ok = false;

		if (*pattern == '*') {
			while (*pattern == '*')
				pattern++;
			star_p = pattern;
			star_s = s;
			continue;
		}
		if (!*s) {
			if (!*pattern)
				return true;
		} else if (*pattern == '?') {
			ok = true;
			next = pattern + 1;
		} else if (*pattern == '[' &&
			   (next = match_set(pattern + 1, *s, &ok))) {
			/* ok set by match_set */
		} else if (*pattern) {
			const char *lit = pattern;

			if (*lit == '\\' && lit[1])
				lit++;
			ok = ascii_lower(*lit) == ascii_lower(*s);
			next = lit + 1;
		}
		if (ok) {
			pattern = next;
			s++;
			continue;
		}
		if (!star_p || !*star_s)
			return false;
		pattern = star_p;
		s = ++star_s;
	}
}
