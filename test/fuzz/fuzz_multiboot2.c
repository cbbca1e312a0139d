/* The multiboot2 format, from the image bytes to a validated plan and the
 * boot information finish() writes (test/fuzz/simulated_machine.c). */
#include <stddef.h>
#include <stdint.h>

#include "boot/multiboot2.h"
#include "simulated_machine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct session session;
	struct diag d;

	/* as under UEFI (the kernel read from a file), and as under
	 * Multiboot (no boot services; the kernel already in memory) */
	for (int bs = 1; bs >= 0; bs--) {
		simulated_boot_services = bs;
		machine_boot(&session, &multiboot2_format, data, size, "console=ttyS0 fuzz=\"a  b\"", &d);
	}
	return 0;
}
