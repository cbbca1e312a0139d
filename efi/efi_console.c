/* efikexec.efi's console (core/console.h): the firmware's ConOut, errors to
 * StdErr when the firmware has one. */
#include "core/console.h"

#include <stdarg.h>

#include "efi/efi.h"
#include "lib/fmt.h"
#include "lib/utf.h"

static void put_utf8(SIMPLE_TEXT_OUTPUT_INTERFACE *out, const char *s)
{
	char crlf[1024];
	CHAR16 wide[1024];
	size_t n = 0;

	/* The console wants "\r\n" line ends. */
	for (; *s && n + 2 < sizeof(crlf); s++) {
		if (*s == '\n')
			crlf[n++] = '\r';
		crlf[n++] = *s;
	}
	crlf[n] = '\0';
	utf8_to_ucs2(crlf, wide, sizeof(wide) / sizeof(wide[0]));
	out->OutputString(out, wide);
}

static void con_vprintf(const char *fmt, va_list ap)
{
	char buf[512];

	fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
	put_utf8(efi.st->ConOut, buf);
}

void con_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	con_vprintf(fmt, ap);
	va_end(ap);
}

/* prefix, the message, a line end */
static void con_vline(const char *prefix, const char *fmt, va_list ap)
{
	put_utf8(efi.st->ConOut, prefix);
	con_vprintf(fmt, ap);
	put_utf8(efi.st->ConOut, "\n");
}

void con_note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	con_vline("efikexec: ", fmt, ap);
	va_end(ap);
}

void con_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	con_vline("efikexec: warning: ", fmt, ap);
	va_end(ap);
}

void con_error(const struct diag *d)
{
	char buf[DIAG_MSG_MAX + 32];

	fmt_snprintf(buf, sizeof(buf), "efikexec: error: %s\n", d->msg);
	put_utf8(efi.st->StdErr ? efi.st->StdErr : efi.st->ConOut, buf);
}

void con_line(void *unused, const char *text)
{
	(void)unused;
	con_note("%s", text);
}
