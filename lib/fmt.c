#include "fmt.h"

#include <stdbool.h>
#include <stdint.h>

/* l, ll and z all read a 64-bit argument (LP64, as on x86-64). */
_Static_assert(sizeof(long) == 8 && sizeof(size_t) == 8, "LP64");

struct out {
	char *buf;
	size_t cap;
	size_t len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->cap)
		o->buf[o->len] = c;
	o->len++;
}

static void pad(struct out *o, char c, size_t width, size_t n)
{
	while (width-- > n)
		put(o, c);
}

size_t fmt_vsnprintf(char *buf, size_t cap, const char *fmt, va_list ap_in)
{
	struct out o = { buf, cap, 0 };
	va_list ap;

	va_copy(ap, ap_in);
	for (const char *p = fmt; *p; p++) {
		char tmp[24], *s = tmp + sizeof(tmp);
		size_t n = 0, width = 0, precision = SIZE_MAX;
		bool left = false, zero = false, sign = false;
		int size = 0; /* 1: l, ll or z; -1: h; -2: hh */
		unsigned base = 16;
		uint64_t v;

		if (*p != '%') {
			put(&o, *p);
			continue;
		}
		for (p++;; p++) {
			if (*p == '-')
				left = true;
			else if (*p == '0')
				zero = true;
			else
				break;
		}
		while (*p >= '0' && *p <= '9')
			width = width * 10 + (size_t)(*p++ - '0');
		if (*p == '.') { /* for %s: at most this many */
			precision = 0;
			if (*++p == '*') {
				int pr = va_arg(ap, int);
				/* negative: as if there were none, as in C */
				precision = pr < 0 ? SIZE_MAX : (size_t)pr;
				p++;
			}
			while (*p >= '0' && *p <= '9')
				precision = precision * 10 + (size_t)(*p++ - '0');
		}
		for (; *p == 'l' || *p == 'z'; p++)
			size = 1;
		for (; *p == 'h' && size > -2; p++)
			size--;

		switch (*p) {
		case 'd':
		case 'i':
			sign = true;
			/* fall through */
		case 'u':
			base = 10;
			/* fall through */
		case 'x':
		case 'X':
		case 'p':
			if (*p == 'p') {
				put(&o, '0');
				put(&o, 'x');
				size = 1;
			}
			/* int, short and char arrive as int: keep their bits */
			if (size > 0) {
				v = va_arg(ap, uint64_t);
			} else {
				unsigned shift = 64 - (32u >> -size);
				v = (uint64_t)va_arg(ap, unsigned) << shift;
				v = sign ? (uint64_t)((int64_t)v >> shift) : v >> shift;
			}
			if (sign && (int64_t)v < 0) {
				n = 1; /* the sign */
				v = 0 - v;
			}
			do {
				char c = "0123456789abcdef"[v % base];
				*--s = *p == 'X' && c > '9' ? c - 32 : c;
				v /= base;
			} while (v);
			if (n) /* negative: '-', before any zeros */
				*--s = '-';
			n = (size_t)(tmp + sizeof(tmp) - s);
			if (zero && !left) {
				if (*s == '-') {
					put(&o, *s++);
					n--;
					width -= width > 0;
				}
				pad(&o, '0', width, n);
				width = 0;
			}
			break;
		case 'c':
			*--s = (char)va_arg(ap, int);
			n = 1;
			break;
		case 's':
			s = va_arg(ap, char *);
			if (!s)
				s = "(null)";
			while (n < precision && s[n])
				n++;
			break;
		case '%':
			put(&o, '%');
			continue;
		case '\0':
			p--; /* a lone '%' at the end: stop cleanly */
			continue;
		default:
			put(&o, '%');
			put(&o, *p);
			continue;
		}
		if (!left)
			pad(&o, ' ', width, n);
		for (size_t i = 0; i < n; i++)
			put(&o, s[i]);
		if (left)
			pad(&o, ' ', width, n);
	}
	va_end(ap);
	if (cap)
		buf[o.len < cap ? o.len : cap - 1] = '\0';
	return o.len;
}

size_t fmt_snprintf(char *buf, size_t cap, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, cap, fmt, ap);
	va_end(ap);
	return n;
}
