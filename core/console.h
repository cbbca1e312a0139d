/* The console a front end gives the boot sequence (core/machine.h), for
 * messages before the point of no return: the firmware's ConOut under
 * UEFI (efi/efi_console.c), COM1 and the screen under Multiboot
 * (mb/mb_console.c). */
#ifndef CORE_CONSOLE_H
#define CORE_CONSOLE_H

#include "lib/diag.h"

/* printf-style (lib/fmt.h) output. */
void con_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "efikexec: <fmt...>" and a line end: what efikexec does or found. */
void con_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "efikexec: warning: <fmt...>" and a line end. */
void con_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "efikexec: error: <msg>", where errors go. */
void con_error(const struct diag *d);

/* A line callback for plan_describe(): "efikexec: <text>". */
void con_line(void *unused, const char *text);

#endif
