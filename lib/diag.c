#include "diag.h"

#include <stdarg.h>

#include "fmt.h"

int diag_fail(struct diag *d, int code, const char *fmt, ...)
{
	va_list ap;

	d->code = code;
	va_start(ap, fmt);
	fmt_vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
	va_end(ap);
	return code;
}

void diag_prefix(struct diag *d, const char *fmt, ...)
{
	char msg[DIAG_MSG_MAX];
	size_t n;
	va_list ap;

	va_start(ap, fmt);
	n = (size_t)fmt_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n < sizeof(msg))
		fmt_snprintf(msg + n, sizeof(msg) - n, "%s", d->msg);
	fmt_snprintf(d->msg, sizeof(d->msg), "%s", msg);
}
