/* The elf64 format, from the image bytes to a validated plan and the
 * boot information finish() writes (test/fuzz/machine.c). */
#include <stddef.h>
#include <stdint.h>

#include "boot/elf64.h"
#include "machine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	machine_boot(&elf64_format, data, size, "console=ttyS0 fuzz=\"a  b\"");
	return 0;
}
