/* Messages on the firmware console (before ExitBootServices only). */
#ifndef EFI_CONSOLE_H
#define EFI_CONSOLE_H

#include "lib/diag.h"

/* printf-style (lib/fmt.h) output to ConOut; '\n' becomes "\r\n". */
void con_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "efikexec: warning: <fmt...>" and a line end on ConOut. */
void con_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "efikexec: error: <msg>" on StdErr. */
void con_error(const struct diag *d);

/* A line callback for plan_describe(): "efikexec: <text>". */
void con_line(void *unused, const char *text);

#endif
