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
