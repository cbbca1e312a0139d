/* efikexec.mb's console (core/console.h's interface): every message goes to
 * COM1 and to the screen the loader left, VGA text when there is one. */
#include <stdarg.h>
#include <stdbool.h>

#include "cpu/x86.h"
#include "core/console.h"
#include "lib/fmt.h"
#include "lib/serial.h"
#include "lib/sizes.h"
#include "mb/mb.h"

/* ---- COM1 ---- */

#define COM1 0x3f8
#define UART_DLL 0 /* divisor latch, with LCR.DLAB */
#define UART_DLM 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define LCR_DLAB 0x80
#define LCR_8N1 0x03

/* A loader that used COM1 (GRUB's serial terminal, Linux before kexec)
 * chose its speed: keep it. A UART nobody programmed has a divisor of 0
 * (8250/16550: undefined until written; QEMU and SeaBIOS leave 0): 115200
 * 8N1 then. A missing UART reads 0xff and is left alone. */
void mb_console_init(void)
{
	uint8_t lcr = inb(COM1 + UART_LCR), dll, dlm;

	if (lcr == 0xff)
		return;
	outb(COM1 + UART_LCR, lcr | LCR_DLAB);
	dll = inb(COM1 + UART_DLL);
	dlm = inb(COM1 + UART_DLM);
	outb(COM1 + UART_LCR, lcr);
	if (dll || dlm)
		return;
	outb(COM1 + UART_LCR, LCR_DLAB);
	outb(COM1 + UART_DLL, 1); /* 115200 baud */
	outb(COM1 + UART_DLM, 0);
	outb(COM1 + UART_LCR, LCR_8N1);
	outb(COM1 + UART_FCR, 0x07); /* FIFOs on and cleared */
	outb(COM1 + UART_MCR, 0x03); /* DTR, RTS */
}

/* ---- VGA text ---- */

#define VGA_TEXT 0xb8000
#define BDA_CURSOR 0x450 /* page 0's column and row, IBM PC BIOS */
#define ATTR 0x0700      /* light grey on black */

static struct {
	volatile uint16_t *cell;
	uint32_t cols, rows, col, row;
} vga;

void mb_console_screen(const struct mb_info *mi)
{
	const struct mb_fb *fb = &mi->fb;

	if (mi->has_fb && fb->type == MB_FB_EGA_TEXT && fb->addr < ONE_MIB &&
	    fb->width && fb->width <= 256 && fb->height && fb->height <= 128) {
		vga.cell = (volatile uint16_t *)(uintptr_t)fb->addr;
		vga.cols = fb->width;
		vga.rows = fb->height;
	} else if (!mi->has_fb && !mi->efi_systab) {
		/* a BIOS loader that says nothing left the BIOS's mode 3 */
		const volatile uint8_t *bda = (const volatile uint8_t *)BDA_CURSOR;

		vga.cell = (volatile uint16_t *)VGA_TEXT;
		vga.cols = 80;
		vga.rows = 25;
		/* go on below what the loader printed */
		if (bda[1] < vga.rows)
			vga.row = bda[1];
	}
}

static void vga_put(char c)
{
	if (c == '\n' || vga.col == vga.cols) {
		vga.col = 0;
		if (++vga.row == vga.rows) {
			for (uint32_t i = 0; i < (vga.rows - 1) * vga.cols; i++)
				vga.cell[i] = vga.cell[i + vga.cols];
			for (uint32_t i = 0; i < vga.cols; i++)
				vga.cell[(vga.rows - 1) * vga.cols + i] = ATTR | ' ';
			vga.row--;
		}
		if (c == '\n')
			return;
	}
	vga.cell[vga.row * vga.cols + vga.col++] = ATTR | (uint8_t)c;
}

static void out(const char *s)
{
	serial_puts(s);
	if (vga.cell)
		for (; *s; s++)
			vga_put(*s);
}

/* ---- core/console.h ---- */

static void vout(const char *prefix, const char *fmt, va_list ap)
{
	char buf[512];

	out(prefix);
	fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
	out(buf);
}

void con_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vout("", fmt, ap);
	va_end(ap);
}

void con_note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vout("efikexec: ", fmt, ap);
	va_end(ap);
	out("\n");
}

void con_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vout("efikexec: warning: ", fmt, ap);
	va_end(ap);
	out("\n");
}

void con_error(const struct diag *d)
{
	out("efikexec: error: ");
	out(d->msg);
	out("\n");
}

void con_line(void *unused, const char *text)
{
	(void)unused;
	out("efikexec: ");
	out(text);
	out("\n");
}
