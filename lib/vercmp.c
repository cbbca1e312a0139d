#include "lib/vercmp.h"

#include <stdbool.h>
#include <stddef.h>

#include "lib/ascii.h"

static bool is_valid(char c)
{
	return ascii_digit(c) || ascii_alpha(c) || c == '-' || c == '.' ||
	       c == '~' || c == '^';
}

/* Where one string starts with the special character c and the other does
 * not, the one with it compares lower: returns -1 or 1. Both: skips it in
 * both and returns 0; neither: returns 0. */
static int lower_if_only_one(const char **a, const char **b, char c)
{
	if (**a == c && **b != c)
		return -1;
	if (**b == c && **a != c)
		return 1;
	if (**a == c) {
		(*a)++;
		(*b)++;
	}
	return 0;
}

/* Both numerical prefixes as numbers (leading zeros skipped, an empty
 * prefix is 0): compared by length, then digit by digit, so any length
 * works. */
static int compare_numbers(const char **a, const char **b)
{
	const char *x = *a, *y = *b;
	size_t nx = 0, ny = 0;
	int first_diff = 0;

	while (*x == '0')
		x++;
	while (*y == '0')
		y++;
	while (ascii_digit(x[nx]))
		nx++;
	while (ascii_digit(y[ny]))
		ny++;
	*a = x + nx;
	*b = y + ny;
	if (nx != ny)
		return nx < ny ? -1 : 1;
	for (size_t i = 0; i < nx && !first_diff; i++)
		if (x[i] != y[i])
			first_diff = x[i] < y[i] ? -1 : 1;
	return first_diff;
}

/* Letter by letter in ASCII order (so 'A' < 'a'); a longer run of
 * letters compares higher. */
static int compare_letters(const char **a, const char **b)
{
	while (ascii_alpha(**a) && ascii_alpha(**b)) {
		if (**a != **b)
			return **a < **b ? -1 : 1;
		(*a)++;
		(*b)++;
	}
	if (ascii_alpha(**a))
		return 1;
	if (ascii_alpha(**b))
		return -1;
	return 0;
}

/* The steps of the specification's "Version Comparison" (UAPI Version
 * Format Specification 1.0), each taken in turn within one round: '~',
 * the end of either string, '-', '^', '.', then numbers or letters. A
 * pair of special characters skipped in one step does not restart the
 * round (as systemd's strverscmp_improved() does too). */
int vercmp(const char *a, const char *b)
{
	static const char lower_after_end[] = { '-', '^', '.' };
	int r;

	for (;;) {
		while (*a && !is_valid(*a))
			a++;
		while (*b && !is_valid(*b))
			b++;
		if ((r = lower_if_only_one(&a, &b, '~')))
			return r;
		/* the string that has ended is the older */
		if (!*a || !*b)
			return *a ? 1 : *b ? -1 : 0;
		for (size_t i = 0; i < sizeof(lower_after_end); i++)
			if ((r = lower_if_only_one(&a, &b, lower_after_end[i])))
				return r;
		if (ascii_digit(*a) || ascii_digit(*b))
			r = compare_numbers(&a, &b);
		else
			r = compare_letters(&a, &b);
		if (r)
			return r;
	}
}
