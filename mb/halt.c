/* How efikexec.mb stops: there is no shell to return to, and a reset
 * would hide the message (issue 13 §2 "Errors"). */
#include "core/console.h"
#include "mb/mb.h"

_Noreturn void mb_halt(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

_Noreturn void mb_fail(const struct diag *d)
{
	con_error(d);
	con_printf("efikexec: halted\n");
	mb_halt();
}

/* A CPU exception before the jump is a bug in efikexec.mb: say where. */
_Noreturn void mb_exception(uint64_t vector, uint64_t error, uint64_t rip,
			    uint64_t cr2)
{
	con_printf("efikexec: fatal: CPU exception %u (error code 0x%llx) at RIP 0x%llx, CR2 0x%llx; halted\n",
		   (unsigned)vector, (unsigned long long)error,
		   (unsigned long long)rip, (unsigned long long)cr2);
	mb_halt();
}
