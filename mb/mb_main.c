/* efikexec.mb's C entry (from start.asm, in 64-bit mode on its own
 * identity map of 0-4 GiB): what the loader passed, efikexec's command
 * line, then the boot sequence (core/boot_sequence.c) over the machine
 * mb/mb_machine.c implements. An error halts with its message on COM1 and
 * the screen: there is no shell to return to. */
#include "core/boot_sequence.h"
#include "core/console.h"
#include "core/options.h"
#include "core/timing.h"
#include "cpu/probe_hw.h"
#include "lib/mem.h"
#include "lib/sha256.h"
#include "mb/mb_machine.h"
#include "mb/mb.h"

#define REBOOT_OPTION "--on-error=reboot"

/* -v: what the loader passed. */
static void describe(const struct mb_info *mi)
{
	con_note("Multiboot %d information at 0x%x from '%s'%s, %zu modules",
		 mi->version, mi->addr, mi->loader ? mi->loader : "(no name)",
		 mi->no_end_tag ? " (no end tag)" : "", mi->nmod);
	for (size_t i = 0; i < mi->nmod; i++)
		con_note("module #%zu: 0x%x-0x%x '%s'", i + 1, mi->mod[i].start,
			 mi->mod[i].end - 1, mi->mod[i].string);
}

_Noreturn void mb_main(uint32_t magic, uint32_t info)
{
	static char scratch[1 << 16], names[1 << 12];
	/* the boot's state: in .bss, as the buffers, not on the stack */
	static struct session session;
	const struct mb_modules *ms;
	struct options o;
	const char *line;
	struct diag d;

	mb_console_init();
	timing_set(mb_entry_tsc, mb_tsc_hz());
	/* before any module is hashed (pins, --verify); start.asm enabled
	 * SSE */
	sha256_use_sha_ni(cpu_hw_sha_ni());
	if (mb_machine_init(magic, info, &d))
		mb_fail(&d);
	mb_console_screen(mb_machine_info());
	ms = mb_machine_modules();
	line = mb_own_options(ms, mb_machine_info()->cmdline);
	/* efikexec.mb's own option, first if at all: an error resets the
	 * machine (after its message) instead of halting it */
	if (!strncmp(line, REBOOT_OPTION, sizeof(REBOOT_OPTION) - 1) &&
	    (line[sizeof(REBOOT_OPTION) - 1] == ' ' ||
	     !line[sizeof(REBOOT_OPTION) - 1])) {
		mb_reboot_on_error();
		line += sizeof(REBOOT_OPTION) - 1;
	}
	if (options_parse(line, false, scratch, sizeof(scratch), &o, &d) ||
	    (!o.help && !o.kernel &&
	     mb_options_default(ms, &o, names, sizeof(names), &d)))
		mb_fail(&d);
	if (o.help) {
		con_printf("efikexec.mb takes efikexec.efi's options; every PATH names a module\n"
			   "the loader loaded, and without KERNEL the first module boots\n"
			   "(docs/multiboot-payload.md).\n"
			   "  " REBOOT_OPTION "  (first, if at all) reset the machine 5 s after an\n"
			   "                 error instead of halting\n%s",
			   options_usage());
		mb_halt();
	}
	if (o.verbose)
		describe(mb_machine_info());
	/* returns only with an error, or after a dry run */
	if (boot_sequence(&session, &o, &d))
		mb_fail(&d);
	con_note("halted");
	mb_halt();
}
