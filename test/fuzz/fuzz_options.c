/* efikexec's command line, as the load options bring it (core/options.c). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/options.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = malloc(size + 1), *scratch = malloc(2 * size + 2);
	struct options o;
	struct diag d;

	memcpy(line, data, size);
	line[size] = '\0';
	/* the first byte chooses whether the program name comes first */
	if (!options_parse(line, size && (data[0] & 1), scratch, 2 * size + 2, &o, &d)) {
		/* everything the parse returns is a string we can read */
		size_t n = strlen(o.cmdline) + (o.kernel ? strlen(o.kernel) : 0);
		for (size_t i = 0; i < o.ninitrd; i++)
			n += strlen(o.initrd[i]);
		for (size_t i = 0; i < o.nmodule; i++)
			n += strlen(o.module[i].path) + strlen(o.module[i].args);
		if (n > 3 * size + 3)
			abort();
		/* a line with an option first is never the firmware's */
		if (options_are_kernel_parameters(line, &o) &&
		    line[strspn(line, " \t")] == '-')
			abort();
	}
	free(line);
	free(scratch);
	return 0;
}
