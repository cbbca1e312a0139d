/* The Multiboot information efikexec.mb is started with (mb/info.c), and
 * what mb/modules.c makes of its strings.
 *
 * The input is physical memory from 0xE0000 on (so the BIOS-area search
 * for the RSDP reads it too): byte 0 chooses Multiboot 1 or 2, bytes 1-2
 * where the information starts. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "boot/multiboot.h"
#include "mb/info.h"
#include "mb/modules.h"

#define BASE 0xe0000

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char scratch[1 << 17], scratch2[1 << 17];
static struct mem_range ranges[2 * MB_E820_MAX + 1];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* a copy, so that reading a byte past the input is caught */
	uint8_t *mem = malloc(size ? size : 1);
	struct mb_phys w = { BASE, size, (uintptr_t)mem };
	struct memmap m = { ranges, 0, sizeof(ranges) / sizeof(ranges[0]) };
	struct mb_info mi;
	struct mb_modules ms;
	struct framebuffer fb;
	struct options o;
	struct diag d;
	uint32_t off;

	memcpy(mem, data, size);
	off = size >= 3 ? (uint32_t)(data[1] | data[2] << 8) : 0;
	if (mb_info_parse(&mi, &w, size && (data[0] & 1) ? MB2_LOADER_MAGIC
				  : MB1_LOADER_MAGIC, BASE + off, &d))
		goto out;
	if (!mb_info_memmap(&mi, &m, &d))
		for (size_t i = 1; i < m.n; i++)
			if (m.r[i].base < m.r[i - 1].base + m.r[i - 1].size)
				abort(); /* sorted, without overlaps */
	mb_info_framebuffer(&mi, &fb);
	/* a copy of the RSDP is inside the information */
	if (mi.rsdp_is_copy && !mb_phys_at(&w, mi.rsdp, mi.rsdp_len))
		abort();

	mb_modules_init(&ms, mi.loader, mi.mod, mi.nmod);
	if (options_parse(mb_own_options(&ms, mi.cmdline), false, scratch,
			  sizeof(scratch), &o, &d))
		goto out;
	if (!o.kernel && mb_options_default(&ms, &o, scratch2, sizeof(scratch2), &d))
		goto out;
	/* every path the default form gives names its module */
	for (size_t i = 0; i < o.nmodule; i++) {
		size_t at;

		if (mb_module_find(&ms, o.module[i].path, &at, &d))
			continue; /* a path from the command line */
		if (at >= mi.nmod)
			abort();
	}
out:
	free(mem);
	return 0;
}
