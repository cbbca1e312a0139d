#include "lib/serial.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include "lib/fmt.h"
#include "lib/port_io.h"

#define COM1 0x3f8
#define UART_THR 0     /* transmit holding register */
#define UART_LSR 5     /* line status register */
#define LSR_THRE 0x20  /* transmit holding register empty */
#define SPIN_LIMIT 100000

static bool muted;

void serial_mute(void)
{
	muted = true;
}

static void put(char c)
{
	for (int i = 0; i < SPIN_LIMIT && !(inb(COM1 + UART_LSR) & LSR_THRE); i++)
		;
	outb(COM1 + UART_THR, (uint8_t)c);
}

void serial_puts(const char *s)
{
	for (; *s && !muted; s++) {
		if (*s == '\n')
			put('\r');
		put(*s);
	}
}

_Noreturn void fatal(const char *fmt, ...)
{
	char buf[320];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	serial_puts("efikexec: fatal: ");
	serial_puts(buf);
	serial_puts("\n");
	for (;;)
		__asm__ volatile("cli; hlt");
}
