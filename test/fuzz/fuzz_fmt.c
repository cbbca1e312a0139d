/* The message formatter (lib/fmt.c) on formats the input builds: literal
 * text, "%%", and up to MAX_ARGS conversions that all take one argument
 * type, chosen by the input, so that the arguments passed always match
 * the format and no input can make the call itself undefined. Flags,
 * widths, precisions, length modifiers, values and strings come from the
 * input; so does the size of the buffer, allocated to exactly that size
 * for AddressSanitizer to catch a write past it.
 *
 * Checked: the output fits the buffer and is NUL-terminated there; the
 * return value is the length of the whole output, whatever the buffer's
 * size, and a small buffer holds its beginning; and the output is the C
 * library's snprintf's when the format means the same to both. It does
 * not for: precision on a number (lib/fmt.c ignores it), the '0' flag
 * with %s, %c or %p (undefined in C), %p with a flag or width (lib/fmt.c
 * pads after its "0x") or a null pointer, a null string, and what C
 * leaves undefined and lib/fmt.c prints as it is: an unknown conversion,
 * a '%' that ends the format. Those still go through lib/fmt.c, for the
 * first checks. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ARGS 4
/* Bounds that keep the whole output under OUTPUT_MAX bytes: a format
 * of at most FORMAT_MAX bytes prints each byte of its text once, and
 * each conversion at most max(WIDTH_MAX, its string or number + "0x"). */
#define FORMAT_MAX 400
#define WIDTH_MAX 99
#define STRING_MAX 63
#define OUTPUT_MAX 1024

/* The argument type that every conversion of one format takes */
enum arg_type {
	ARG_INT,
	ARG_UNSIGNED,
	ARG_LONG,
	ARG_UNSIGNED_LONG,
	ARG_LONG_LONG,
	ARG_UNSIGNED_LONG_LONG,
	ARG_STRING,
	ARG_PRECISION_AND_STRING, /* "%.*s": an int, then the string */
	ARG_POINTER,
	ARG_TYPES
};

/* The conversions (length modifier and letter) that take each type:
 * short and char arguments arrive promoted, so "h" and "hh" ones are
 * passed an int or unsigned holding a value of their range. size_t is
 * unsigned long here, and the signed type of its size ("%zd") long. */
static const char *const conversions[ARG_TYPES][10] = {
	[ARG_INT] = { "d", "i", "c", "hd", "hi", "hhd", "hhi" },
	[ARG_UNSIGNED] = { "u", "x", "X", "hu", "hx", "hX", "hhu", "hhx", "hhX" },
	[ARG_LONG] = { "ld", "li", "zd" },
	[ARG_UNSIGNED_LONG] = { "lu", "lx", "lX", "zu", "zx", "zX" },
	[ARG_LONG_LONG] = { "lld", "lli" },
	[ARG_UNSIGNED_LONG_LONG] = { "llu", "llx", "llX" },
	[ARG_STRING] = { "s" },
	[ARG_PRECISION_AND_STRING] = { "s" },
	[ARG_POINTER] = { "p" },
};

_Static_assert(_Generic((size_t)0, unsigned long: 1, default: 0), "size_t is unsigned long");

/* The input, a byte at a time; zeros once it is used up */
struct input {
	const uint8_t *p;
	size_t left;
};

static unsigned next(struct input *in)
{
	if (!in->left)
		return 0;
	in->left--;
	return *in->p++;
}

/* A value of up to 8 bytes, maybe complemented: small and large values,
 * positive and negative, from few bytes */
static uint64_t value(struct input *in)
{
	unsigned k = next(in);
	uint64_t v = 0;

	for (unsigned i = 0; i < (k & 15) % 9; i++)
		v = v << 8 | next(in);
	return k & 16 ? ~v : v;
}

struct format {
	char text[FORMAT_MAX + 64]; /* room for one more item */
	size_t len;
	int comparable; /* means the same to lib/fmt.c and to C */
};

static void add(struct format *f, const char *s)
{
	size_t n = strlen(s);

	memcpy(f->text + f->len, s, n + 1);
	f->len += n;
}

/* The arguments of the conversions, in order; each array is used by
 * the one type of its name */
struct args {
	int i[MAX_ARGS];
	unsigned u[MAX_ARGS];
	long l[MAX_ARGS];
	unsigned long ul[MAX_ARGS];
	long long ll[MAX_ARGS];
	unsigned long long ull[MAX_ARGS];
	char *s[MAX_ARGS];
	void *p[MAX_ARGS];
};

/* A string of the input's bytes. With a precision that it reaches, C
 * lets the array end there without a NUL: so it does, for
 * AddressSanitizer to catch a read past the precision. Not with
 * precision 0: AddressSanitizer's own check of snprintf's arguments
 * then reads the string up to its NUL. */
static char *string(struct input *in, long precision)
{
	size_t n = next(in) % (STRING_MAX + 1), size = n + 1;
	char *s;

	if (precision > 0 && (size_t)precision <= n)
		size = (size_t)precision;
	s = malloc(size);
	for (size_t i = 0; i < size; i++)
		s[i] = (char)next(in);
	if (size == n + 1)
		s[n] = '\0';
	return s;
}

/* Appends one conversion of type t, "%[flags][width][.precision]spec",
 * and its argument, the kth */
static void conversion(struct input *in, struct format *f, enum arg_type t,
		       struct args *a, int k)
{
	unsigned flags = next(in), width = next(in), precision = next(in);
	const char *spec;
	char buf[32];
	long digits = -1; /* the precision, when it is one */
	size_t nspecs = 0;
	uint64_t v;

	while (nspecs < sizeof(conversions[t]) / sizeof(conversions[t][0]) &&
	       conversions[t][nspecs])
		nspecs++;
	spec = conversions[t][next(in) % nspecs];
	add(f, "%");
	if (flags & 1)
		add(f, "-");
	if (flags & 2)
		add(f, flags & 4 ? "00" : "0");
	if (flags & 8 && flags & 1)
		add(f, "-");
	if (width % (WIDTH_MAX + 1)) {
		snprintf(buf, sizeof(buf), "%u", width % (WIDTH_MAX + 1));
		add(f, buf);
	}
	if (t == ARG_PRECISION_AND_STRING) {
		add(f, ".*");
	} else if (precision & 128) {
		digits = precision % 64;
		snprintf(buf, sizeof(buf), digits || precision & 64 ? ".%ld" : ".", digits);
		add(f, buf);
	}
	add(f, spec);

	if (digits >= 0 && t != ARG_STRING)
		f->comparable = 0; /* lib/fmt.c ignores it */
	if (flags & 2 && (t >= ARG_STRING || !strcmp(spec, "c")))
		f->comparable = 0; /* undefined in C */

	v = value(in);
	switch (t) {
	case ARG_INT:
		a->i[k] = (int)(uint32_t)v;
		if (spec[0] == 'h')
			a->i[k] = spec[1] == 'h' ? (signed char)v : (short)v;
		break;
	case ARG_UNSIGNED:
		a->u[k] = (uint32_t)v;
		if (spec[0] == 'h')
			a->u[k] = spec[1] == 'h' ? (unsigned char)v : (unsigned short)v;
		break;
	case ARG_LONG:
		a->l[k] = (long)v;
		break;
	case ARG_UNSIGNED_LONG:
		a->ul[k] = v;
		break;
	case ARG_LONG_LONG:
		a->ll[k] = (long long)v;
		break;
	case ARG_UNSIGNED_LONG_LONG:
		a->ull[k] = v;
		break;
	case ARG_PRECISION_AND_STRING:
		/* mostly within the string's bytes */
		a->i[k] = v & 1 ? (int)(uint32_t)v : (int)(v % 80) - 8;
		digits = a->i[k];
		/* fall through */
	case ARG_STRING:
		a->s[k] = NULL;
		if (v & 2 && v & 4 && v & 8) {
			f->comparable = 0; /* undefined in C */
		} else {
			a->s[k] = string(in, digits);
		}
		break;
	case ARG_POINTER:
		a->p[k] = (void *)(uintptr_t)v;
		if (flags & 3 || width % (WIDTH_MAX + 1) || !v)
			f->comparable = 0; /* see the top */
		break;
	case ARG_TYPES:
		break;
	}
}

/* What C leaves undefined: a conversion lib/fmt.c does not know, with
 * flags and a width, which it prints as "%" and its letter, or a '%' that
 * ends the format */
static int oddity(struct input *in, struct format *f)
{
	unsigned k = next(in);
	char buf[8];

	f->comparable = 0;
	if (k & 128) {
		add(f, "%");
		return 1;
	}
	snprintf(buf, sizeof(buf), "%%%s%u%c", k & 64 ? "-" : "", k % 10, "kqwyBZ!#"[k % 8]);
	add(f, buf);
	return 0;
}

/* Literal text: any bytes but '%' and NUL */
static void text(struct input *in, struct format *f)
{
	unsigned n = next(in) % 16;

	for (unsigned i = 0; i < n; i++) {
		char c = (char)next(in);

		f->text[f->len++] = c && c != '%' ? c : '.';
	}
	f->text[f->len] = '\0';
}

/* format_with_FN: formats f with a's arguments by FN, lib/fmt.c's
 * fmt_snprintf or the C library's snprintf; excess arguments are
 * ignored (C11 7.21.6.1) */
#define FORMAT_WITH(fn)                                                            \
	static long format_with_##fn(char *buf, size_t cap, enum arg_type t,       \
				     const struct format *f, const struct args *a) \
	{                                                                          \
		const char *s = f->text;                                           \
                                                                                   \
		switch (t) {                                                       \
		case ARG_INT:                                                      \
			return (long)fn(buf, cap, s, a->i[0], a->i[1], a->i[2], a->i[3]); \
		case ARG_UNSIGNED:                                                 \
			return (long)fn(buf, cap, s, a->u[0], a->u[1], a->u[2], a->u[3]); \
		case ARG_LONG:                                                     \
			return (long)fn(buf, cap, s, a->l[0], a->l[1], a->l[2], a->l[3]); \
		case ARG_UNSIGNED_LONG:                                            \
			return (long)fn(buf, cap, s, a->ul[0], a->ul[1], a->ul[2], a->ul[3]); \
		case ARG_LONG_LONG:                                                \
			return (long)fn(buf, cap, s, a->ll[0], a->ll[1], a->ll[2], a->ll[3]); \
		case ARG_UNSIGNED_LONG_LONG:                                       \
			return (long)fn(buf, cap, s, a->ull[0], a->ull[1], a->ull[2], \
					a->ull[3]);                                \
		case ARG_STRING:                                                   \
			return (long)fn(buf, cap, s, a->s[0], a->s[1], a->s[2], a->s[3]); \
		case ARG_PRECISION_AND_STRING:                                     \
			return (long)fn(buf, cap, s, a->i[0], a->s[0], a->i[1], a->s[1], \
					a->i[2], a->s[2], a->i[3], a->s[3]);       \
		case ARG_POINTER:                                                  \
			return (long)fn(buf, cap, s, a->p[0], a->p[1], a->p[2], a->p[3]); \
		case ARG_TYPES:                                                    \
			break;                                                     \
		}                                                                  \
		return -1;                                                         \
	}
FORMAT_WITH(fmt_snprintf)
FORMAT_WITH(snprintf)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	enum arg_type t = (enum arg_type)(next(&in) % ARG_TYPES);
	unsigned cap_choice = next(&in);
	struct format f = { .comparable = 1 };
	struct args a = { 0 };
	char full[OUTPUT_MAX], libc[OUTPUT_MAX], *small = NULL;
	size_t n, cap;
	int nargs = 0;

	while (in.left && f.len < FORMAT_MAX) {
		unsigned item = next(&in) % 6;

		if (item < 2) {
			text(&in, &f);
		} else if (item == 2) {
			add(&f, "%%");
		} else if (item < 5) {
			if (nargs < MAX_ARGS)
				conversion(&in, &f, t, &a, nargs++);
		} else if (oddity(&in, &f)) {
			break;
		}
	}

	/* the whole output, within the bounds above, NUL-terminated */
	n = (size_t)format_with_fmt_snprintf(full, sizeof(full), t, &f, &a);
	if (n >= sizeof(full) || full[n] != '\0')
		abort();
	/* into a buffer of 0 to n + 1 bytes, no more: the length is the
	 * same, the output the beginning of the whole, NUL-terminated (none
	 * at all is a null buffer, never touched) */
	cap = cap_choice % (n + 2);
	if (cap)
		small = malloc(cap);
	if ((size_t)format_with_fmt_snprintf(small, cap, t, &f, &a) != n)
		abort();
	if (cap && (memcmp(small, full, cap - 1 < n ? cap - 1 : n) ||
		    small[cap - 1 < n ? cap - 1 : n] != '\0'))
		abort();
	/* the same as the C library's, byte for byte (%c may print a NUL) */
	if (f.comparable && (format_with_snprintf(libc, sizeof(libc), t, &f, &a) != (long)n ||
			     memcmp(libc, full, n)))
		abort();

	free(small);
	for (int k = 0; k < nargs; k++)
		free(a.s[k]);
	return 0;
}
