/* How efikexec.mb stops: there is no shell to return to, and a reset
 * would hide the message: it halts, unless its command line began with
 * --on-error=reboot, and then it resets the machine after showing the
 * message for a while, never silently. */
#include <stdbool.h>

#include "core/console.h"
#include "core/timing.h"
#include "cpu/x86.h"
#include "mb/mb.h"

/* How long the message stays before a reset. */
#define REBOOT_DELAY_S 5

static bool reboot_on_error;

void mb_reboot_on_error(void)
{
	reboot_on_error = true;
}

/* The PCI reset control register (0xcf9: a full reset, as Linux's
 * reboot=pci), then the keyboard controller's reset line (0x64 <- 0xfe),
 * then a triple fault (no IDT): one of them resets any PC. */
static _Noreturn void reset(void)
{
	static const struct { uint16_t limit; uint64_t base; }
		__attribute__((packed)) no_idt = { 0, 0 };

	outb(0xcf9, 0x02);
	outb(0xcf9, 0x06);
	outb(0x64, 0xfe);
	__asm__ volatile("lidt %0; int3" : : "m"(no_idt));
	mb_halt();
}

_Noreturn void mb_halt(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

_Noreturn void mb_fail(const struct diag *d)
{
	uint64_t hz = timing_tsc_hz(), start = rdtsc();

	con_error(d);
	if (!reboot_on_error) {
		con_note("halted");
		mb_halt();
	}
	con_note("rebooting in %d s (--on-error=reboot)",
		 REBOOT_DELAY_S);
	while (hz && rdtsc() - start < REBOOT_DELAY_S * hz)
		__asm__ volatile("pause");
	reset();
}

/* A CPU exception before the jump is a bug in efikexec.mb: say where. */
_Noreturn void mb_exception(uint64_t vector, uint64_t error, uint64_t rip,
			    uint64_t cr2)
{
	con_note("fatal: CPU exception %lu (error code 0x%lx) at RIP 0x%lx, CR2 0x%lx; halted",
		 vector, error, rip, cr2);
	mb_halt();
}
