/* The x86 port I/O instructions. In lib/, not with the other wrappers in
 * cpu/x86.h, because the serial port (lib/serial.c) uses them and lib/
 * includes nothing above itself; cpu/x86.h includes this header, so that
 * its users have every instruction from one place. */
#ifndef LIB_PORT_IO_H
#define LIB_PORT_IO_H

#include <stdint.h>

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

#endif
