/* Polled output on the first PC serial port (COM1, I/O port 0x3f8), for
 * the time after ExitBootServices when no console is left. The firmware has
 * already programmed the UART; a missing UART makes output vanish, never
 * hang (every wait is bounded). */
#ifndef LIB_SERIAL_H
#define LIB_SERIAL_H

void serial_puts(const char *s);

/* From now on serial_puts() and fatal() write nothing: in TDX and
 * SEV-ES/SNP guests port I/O raises a #VE/#VC, which nothing can handle
 * once the firmware is gone (its IDT with it). */
void serial_mute(void);

/* Prints "efikexec: fatal: <message>" and halts this CPU for good. For the
 * errors that can happen only after the point of no return. */
_Noreturn void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
