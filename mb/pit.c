/* The TSC's rate, from the PIT: efikexec.efi asks the firmware's Stall(),
 * which efikexec.mb does not have. As Linux's pit_calibrate_tsc(): channel
 * 2, gated through port 0x61 with the speaker off, counts down once in
 * mode 0 (8254 datasheet: OUT goes high at terminal count, read back as
 * port 0x61 bit 5) while the TSC runs. */
#include "cpu/x86.h"
#include "mb/mb.h"

#define PIT_HZ 1193182ull
#define PIT_CH2 0x42
#define PIT_CMD 0x43
#define PORT_B 0x61  /* bit 0 gate 2, bit 1 speaker, bit 5 OUT2 */
/* The rate serves bounded waits (parking's timeout) and the -v times: an
 * I/O port read (about 1 us) of uncertainty in 2 ms is 0.05%, enough;
 * every millisecond here is one more before the kernel starts. */
#define CALIBRATE_MS 2
#define LATCH (PIT_HZ * CALIBRATE_MS / 1000)

uint64_t mb_tsc_hz(void)
{
	uint64_t t0, t;
	uint8_t b = inb(PORT_B);

	outb(PORT_B, (uint8_t)((b & ~0x02) | 0x01));
	outb(PIT_CMD, 0xb0); /* channel 2, lobyte/hibyte, mode 0, binary */
	outb(PIT_CH2, LATCH & 0xff);
	outb(PIT_CH2, LATCH >> 8);
	t0 = rdtsc();
	/* no PIT (or a gate that does nothing) must not hang us: give up
	 * after some 10^10 ticks, seconds on any CPU */
	do
		t = rdtsc() - t0;
	while (!(inb(PORT_B) & 0x20) && t < 10000000000ull);
	outb(PORT_B, b);
	if (t >= 10000000000ull)
		return 0;
	return t * 1000 / CALIBRATE_MS;
}
