/* The ELF formats, elf64 and Linux's vmlinux, from the image bytes to a
 * validated plan and the boot information finish() writes
 * (test/fuzz/simulated_machine.c). */
#include <stddef.h>
#include <stdint.h>

#include "boot/elf64.h"
#include "boot/vmlinux.h"
#include "simulated_machine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct boot_format *const formats[] = {
		&elf64_format, &vmlinux_format,
	};
	struct session session;
	struct diag d;

	/* as under UEFI (the kernel read from a file), and as under
	 * Multiboot (no boot services; the kernel already in memory) */
	for (size_t f = 0; f < sizeof(formats) / sizeof(formats[0]); f++)
		for (int bs = 1; bs >= 0; bs--) {
			simulated_boot_services = bs;
			machine_boot(&session, formats[f], data, size,
				     "console=ttyS0 fuzz=\"a  b\"", &d);
		}
	return 0;
}
