/* The firmware's TPM event log (lib/tcg_log.c), as efikexec sizes it
 * before copying it for Linux. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "lib/tcg_log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tcg_log_algs algs;
	size_t off = tcg_log_spec_id(data, size, &algs);

	if (!off)
		return 0;
	while (off < size) {
		struct tcg_event e;
		size_t n = tcg_event_parse(data + off, size - off, &algs, &e);

		if (!n)
			break;
		if (n > size - off || e.data + e.data_size > data + size)
			abort();
		off += n;
	}
	return 0;
}
