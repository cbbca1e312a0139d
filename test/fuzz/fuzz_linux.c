/* The linux format, from the image bytes to a validated plan and the
 * boot information finish() writes (test/fuzz/simulated_machine.c). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "boot/linux.h"
#include "simulated_machine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t n = size < linux_format.head ? size : linux_format.head;
	uint8_t *head = malloc(n + 1);
	struct kernel_layout l;
	struct session session;
	struct diag d;

	/* parse() reads the head alone (struct boot_format), the rest of
	 * the file unread yet: on a copy of just those bytes, the sanitizer
	 * catches any read past them */
	memcpy(head, data, n);
	linux_parse(head, size, &l, &d);
	free(head);
	/* as under UEFI (the kernel read from a file), and as under
	 * Multiboot (no boot services; the kernel already in memory) */
	for (int bs = 1; bs >= 0; bs--) {
		simulated_boot_services = bs;
		machine_boot(&session, &linux_format, data, size, "console=ttyS0 fuzz=\"a  b\"", &d);
	}
	return 0;
}
