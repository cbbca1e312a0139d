#include "utf.h"

#include <stdbool.h>

#define REPLACEMENT 0xFFFDu

static size_t emit_utf8(uint32_t cp, char *out, size_t pos, size_t cap)
{
	unsigned char b[3];
	size_t n;

	if (cp < 0x80) {
		b[0] = (unsigned char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (unsigned char)(0xC0 | (cp >> 6));
		b[1] = (unsigned char)(0x80 | (cp & 0x3F));
		n = 2;
	} else {
		b[0] = (unsigned char)(0xE0 | (cp >> 12));
		b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (unsigned char)(0x80 | (cp & 0x3F));
		n = 3;
	}
	for (size_t i = 0; i < n; i++)
		if (pos + i + 1 < cap)
			out[pos + i] = (char)b[i];
	return n;
}

size_t ucs2_to_utf8(const uint16_t *in, size_t n, char *out, size_t cap)
{
	size_t pos = 0;

	for (size_t i = 0; i < n && in[i]; i++) {
		uint32_t cp = in[i];
		/* UCS-2 has no surrogate pairs: treat any surrogate as invalid. */
		if (cp >= 0xD800 && cp <= 0xDFFF)
			cp = REPLACEMENT;
		pos += emit_utf8(cp, out, pos, cap);
	}
	if (cap)
		out[pos < cap ? pos : cap - 1] = '\0';
	return pos;
}

/* Decodes one UTF-8 sequence at s; returns its length (>= 1). */
static size_t decode_utf8(const unsigned char *s, uint32_t *cp)
{
	size_t len;
	uint32_t v;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xE0) == 0xC0) {
		len = 2;
		v = s[0] & 0x1F;
	} else if ((s[0] & 0xF0) == 0xE0) {
		len = 3;
		v = s[0] & 0x0F;
	} else if ((s[0] & 0xF8) == 0xF0) {
		len = 4;
		v = s[0] & 0x07;
	} else {
		*cp = REPLACEMENT;
		return 1;
	}
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			*cp = REPLACEMENT;
			return i; /* resynchronise at the offending byte */
		}
		v = (v << 6) | (s[i] & 0x3F);
	}
	bool overlong = (len == 2 && v < 0x80) || (len == 3 && v < 0x800) ||
			(len == 4 && v < 0x10000);
	if (overlong || v > 0xFFFF || (v >= 0xD800 && v <= 0xDFFF))
		v = REPLACEMENT;
	*cp = v;
	return len;
}

size_t utf8_to_ucs2(const char *in, uint16_t *out, size_t cap)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t pos = 0;

	while (*s) {
		uint32_t cp;
		s += decode_utf8(s, &cp);
		if (pos + 1 < cap)
			out[pos] = (uint16_t)cp;
		pos++;
	}
	if (cap)
		out[pos < cap ? pos : cap - 1] = 0;
	return pos;
}
