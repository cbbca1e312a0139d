/* Conversions between the firmware's UCS-2 strings and the UTF-8 used
 * everywhere else (command lines, paths, messages). */
#ifndef LIB_UTF_H
#define LIB_UTF_H

#include <stddef.h>
#include <stdint.h>

/* Converts up to n UCS-2 units (stopping early at a NUL) into out, always
 * NUL-terminating when cap > 0. Returns the number of bytes the full
 * conversion needs, without the NUL. Unpaired surrogates become U+FFFD. */
size_t ucs2_to_utf8(const uint16_t *in, size_t n, char *out, size_t cap);

/* Converts NUL-terminated UTF-8 into UCS-2 (characters outside the BMP and
 * malformed bytes become U+FFFD), always NUL-terminating when cap > 0.
 * Returns the number of units the full conversion needs, without the NUL. */
size_t utf8_to_ucs2(const char *in, uint16_t *out, size_t cap);

#endif
