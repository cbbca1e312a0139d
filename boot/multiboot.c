/* What Multiboot 1 and 2 share. */
#include "boot/multiboot.h"

#include <stdbool.h>

#include "lib/mem.h"

bool mb_find_magic(const uint8_t *img, size_t size, uint32_t magic,
		   size_t search, size_t align, size_t *off)
{
	size_t end = size < search ? size : search;

	for (size_t o = 0; o + 4 <= end; o += align) {
		uint32_t v;
		memcpy(&v, img + o, 4);
		if (v == magic) {
			*off = o;
			return true;
		}
	}
	return false;
}

void mb_limits_add(struct mb_limits *l, const struct e820_entry *e)
{
	const uint64_t low_end = 640 * 1024, one_mib = 1 << 20;
	uint64_t end = e->addr + e->size;

	if (e->type != E820_RAM)
		return;
	if (e->addr == 0)
		l->lower = (uint32_t)((end < low_end ? end : low_end) / 1024);
	if (e->addr <= one_mib && end > one_mib) {
		uint64_t kib = (end - one_mib) / 1024;
		l->upper = kib > UINT32_MAX ? UINT32_MAX : (uint32_t)kib;
	}
}
