/* A small printf-style formatter for messages, shared by the UEFI program
 * and the host tests.
 *
 * Supports %s %c %d %i %u %x %X %p %%, the length modifiers hh h l ll z,
 * a field width, a precision for %s (".N" or ".*") and the '-' and '0'
 * flags. Output is always NUL-terminated (when cap > 0) and silently
 * truncated; the return value is the length the full output would have
 * had, as with snprintf. uint64_t is unsigned long (LP64, on the host and
 * in both images): "%lx" and "%lu" take it as it is, without a cast. */
#ifndef LIB_FMT_H
#define LIB_FMT_H

#include <stdarg.h>
#include <stddef.h>

size_t fmt_vsnprintf(char *buf, size_t cap, const char *fmt, va_list ap);
size_t fmt_snprintf(char *buf, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
