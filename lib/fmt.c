#include "fmt.h"

#include <stdbool.h>
#include <stdint.h>

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

static void pad(struct out *o, char c, size_t n)
{
	while (n--)
		put(o, c);
}

static void put_field(struct out *o, const char *s, size_t n, size_t width,
		      bool left, char padc)
{
	if (!left)
		pad(o, padc, width > n ? width - n : 0);
	for (size_t i = 0; i < n; i++)
		put(o, s[i]);
	if (left)
		pad(o, ' ', width > n ? width - n : 0);
}

static size_t to_digits(char *tmp, uint64_t v, unsigned base, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	size_t n = 0;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	/* reverse in place */
	for (size_t i = 0; i < n / 2; i++) {
		char t = tmp[i];
		tmp[i] = tmp[n - 1 - i];
		tmp[n - 1 - i] = t;
	}
	return n;
}

static void put_number(struct out *o, uint64_t v, bool negative, unsigned base,
		       bool upper, size_t width, bool left, bool zero)
{
	char tmp[24];
	size_t n = to_digits(tmp, v, base, upper);
	size_t len = n + (negative ? 1 : 0);

	if (zero && !left) {
		if (negative)
			put(o, '-');
		pad(o, '0', width > len ? width - len : 0);
		put_field(o, tmp, n, 0, false, ' ');
		return;
	}
	if (!left)
		pad(o, ' ', width > len ? width - len : 0);
	if (negative)
		put(o, '-');
	put_field(o, tmp, n, 0, false, ' ');
	if (left)
		pad(o, ' ', width > len ? width - len : 0);
}

enum length { LEN_INT, LEN_CHAR, LEN_SHORT, LEN_LONG, LEN_LLONG, LEN_SIZE };

static uint64_t arg_unsigned(va_list *ap, enum length len)
{
	switch (len) {
	case LEN_CHAR:
		return (unsigned char)va_arg(*ap, unsigned int);
	case LEN_SHORT:
		return (unsigned short)va_arg(*ap, unsigned int);
	case LEN_LONG:
		return va_arg(*ap, unsigned long);
	case LEN_LLONG:
		return va_arg(*ap, unsigned long long);
	case LEN_SIZE:
		return va_arg(*ap, size_t);
	default:
		return va_arg(*ap, unsigned int);
	}
}

static int64_t arg_signed(va_list *ap, enum length len)
{
	switch (len) {
	case LEN_CHAR:
		return (signed char)va_arg(*ap, int);
	case LEN_SHORT:
		return (short)va_arg(*ap, int);
	case LEN_LONG:
		return va_arg(*ap, long);
	case LEN_LLONG:
		return va_arg(*ap, long long);
	case LEN_SIZE:
		return (int64_t)va_arg(*ap, size_t);
	default:
		return va_arg(*ap, int);
	}
}

size_t fmt_vsnprintf(char *buf, size_t cap, const char *fmt, va_list ap_in)
{
	struct out o = { buf, cap, 0 };
	va_list ap;

	va_copy(ap, ap_in);
	for (const char *p = fmt; *p; p++) {
		if (*p != '%') {
			put(&o, *p);
			continue;
		}
		p++;
		bool left = false, zero = false;
		for (;; p++) {
			if (*p == '-')
				left = true;
			else if (*p == '0')
				zero = true;
			else
				break;
		}
		size_t width = 0;
		while (*p >= '0' && *p <= '9')
			width = width * 10 + (size_t)(*p++ - '0');
		size_t precision = SIZE_MAX; /* for %s: at most this many */
		if (*p == '.') {
			p++;
			precision = 0;
			if (*p == '*') {
				int v = va_arg(ap, int);
				precision = v < 0 ? 0 : (size_t)v;
				p++;
			}
			while (*p >= '0' && *p <= '9')
				precision = precision * 10 + (size_t)(*p++ - '0');
		}

		enum length len = LEN_INT;
		if (*p == 'h') {
			len = LEN_SHORT;
			if (*++p == 'h') {
				len = LEN_CHAR;
				p++;
			}
		} else if (*p == 'l') {
			len = LEN_LONG;
			if (*++p == 'l') {
				len = LEN_LLONG;
				p++;
			}
		} else if (*p == 'z') {
			len = LEN_SIZE;
			p++;
		}

		switch (*p) {
		case 'd':
		case 'i': {
			int64_t v = arg_signed(&ap, len);
			uint64_t mag = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
			put_number(&o, mag, v < 0, 10, false, width, left, zero);
			break;
		}
		case 'u':
			put_number(&o, arg_unsigned(&ap, len), false, 10, false,
				   width, left, zero);
			break;
		case 'x':
		case 'X':
			put_number(&o, arg_unsigned(&ap, len), false, 16,
				   *p == 'X', width, left, zero);
			break;
		case 'p':
			put(&o, '0');
			put(&o, 'x');
			put_number(&o, (uintptr_t)va_arg(ap, void *), false, 16,
				   false, width, left, zero);
			break;
		case 'c': {
			char c = (char)va_arg(ap, int);
			put_field(&o, &c, 1, width, left, ' ');
			break;
		}
		case 's': {
			const char *s = va_arg(ap, const char *);
			size_t n = 0;
			if (!s)
				s = "(null)";
			while (n < precision && s[n])
				n++;
			put_field(&o, s, n, width, left, ' ');
			break;
		}
		case '%':
			put(&o, '%');
			break;
		case '\0':
			p--; /* a lone '%' at the end: stop cleanly */
			break;
		default:
			put(&o, '%');
			put(&o, *p);
			break;
		}
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
