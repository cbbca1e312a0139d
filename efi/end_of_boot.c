/* The parts of the machine interface (core/machine.h) that end a UEFI
 * boot: measured boot, the Boot Loader Interface, ExitBootServices. */
#include "core/final_jump.h"
#include "core/machine.h"
#include "cpu/facts.h"
#include "efi/bli.h"
#include "efi/efi.h"
#include "efi/fw_map.h"
#include "efi/random_seed.h"
#include "efi/tpm.h"
#include "lib/serial.h"

void machine_commit(struct session *s)
{
	tpm_measure(&s->files, s->opt.cmdline, s->modules, s->nmodules,
		    s->uki_file, &s->uki, s->stub, &s->uki_lines,
		    s->extras, s->nextras);
	bli_publish();
	if (s->uki_file)
		bli_stub(s->uki_file, &s->uki, s->stub, s->uki_lines.profile,
			 s->opt.kernel);
	random_seed_install();
}

void machine_abandon(void)
{
	tpm_unpublish(); /* the event log copy is about to be freed */
	bli_abandon();
}

/* (as the firmware loaded it: SizeOfImage, the zeroed data with it) */
struct range machine_image(void)
{
	return (struct range){ (uintptr_t)efi.loaded->ImageBase,
			       efi.loaded->ImageSize };
}

int machine_leave(struct session *s, struct diag *d)
{
	int rc;

	if (s->layout.boot_services)
		final_jump_with_firmware(s);
	/* -v's stage times, what became of the APs and a fatal error are
	 * written to COM1 after ExitBootServices: not in a guest where that
	 * port I/O would trap (the boot sequence already said what it
	 * could) */
	if (cpu_port_io_traps(&s->facts))
		serial_mute();
	if ((rc = fw_exit_boot_services(&s->fw, d)))
		return rc;
	final_jump(s);
}
