/* The multiboot2 format, from the image bytes to a validated plan and the
 * boot information finish() writes (test/fuzz/simulated_machine.c). */
#include <stddef.h>
#include <stdint.h>

#include "boot/multiboot2.h"
#include "simulated_machine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag d;

	machine_boot(&multiboot2_format, data, size, "console=ttyS0 fuzz=\"a  b\"", &d);
	return 0;
}
