/* The Multiboot front end's own parts that the rest of it calls: the
 * console's screen, the halt, the TSC's rate. */
#ifndef MB_MB_H
#define MB_MB_H

#include <stdint.h>

#include "lib/diag.h"
#include "mb/info.h"

/* The TSC as the loader jumped to efikexec.mb (start.asm). */
extern uint64_t mb_entry_tsc;

/* From start.asm, in 64-bit mode: magic and information from the loader.
 * Does not return. */
_Noreturn void mb_main(uint32_t magic, uint32_t info);

/* COM1 is ready from the start (programmed here if nobody did); once
 * the information is parsed, the screen the loader left is chosen: VGA
 * text where it says EGA text, or says nothing and is no UEFI loader. */
void mb_console_init(void);
void mb_console_screen(const struct mb_info *mi);

/* Interrupts off, HLT forever: no shell to return to, and never a reset. */
_Noreturn void mb_halt(void);

/* From now on mb_fail() resets the machine, 5 s after its message,
 * instead of halting (--on-error=reboot, mb/mb_main.c). */
void mb_reboot_on_error(void);

/* "efikexec: error: <msg>" on COM1 and the screen, then mb_halt() (or a
 * reset: mb_reboot_on_error()). */
_Noreturn void mb_fail(const struct diag *d);

/* The exception stubs' handler (start.asm). */
_Noreturn void mb_exception(uint64_t vector, uint64_t error, uint64_t rip,
			    uint64_t cr2);

/* The TSC's rate, measured against the PIT (channel 2, 2 ms):
 * there is no firmware Stall() here. 0 when there seems to be no PIT. */
uint64_t mb_tsc_hz(void);

#endif
