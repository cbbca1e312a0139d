/* Walking the Multiboot 2 information structure (Multiboot2 Specification
 * 2.0 §3.6), for both Multiboot 2 probes. */
#include "mb2.h"

#include "boot/multiboot.h"

uint32_t mb2_u32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

void mb2_read_info(uint64_t addr, struct probe_view *v, struct mb2_tags *t)
{
	const uint8_t *mbi = (const uint8_t *)(uintptr_t)addr;
	uint32_t total = mb2_u32(mbi), off = 8;

	*t = (struct mb2_tags){ 0 };
	v->info_start = addr;
	v->info_end = addr + total;
	check(!(addr & 7), "the information structure is 8-byte aligned");
	check(total >= 16, "total_size %u", total);
	while (off + 8 <= total) {
		uint32_t type = mb2_u32(mbi + off), size = mb2_u32(mbi + off + 4);
		const uint8_t *body = mbi + off + 8;

		if (!check(size >= 8 && size <= total - off,
			   "tag %u at offset %u has a sane size %u", type, off, size))
			break;
		if (type < MB2_PROBE_TAGS && !t->body[type]) {
			t->body[type] = body;
			t->size[type] = size;
		}
		switch (type) {
		case MB2_IT_END:
			t->ended = check(size == 8, "the end tag is 8 bytes");
			break;
		case MB2_IT_CMDLINE:
			v->cmdline = (const char *)body;
			break;
		case MB2_IT_LOADER_NAME:
			v->loader_name = (const char *)body;
			break;
		case MB2_IT_MODULE:
			if (v->nmodules < PROBE_MAX_MODULES) {
				v->mod[v->nmodules].start = mb2_u32(body);
				v->mod[v->nmodules].end = mb2_u32(body + 4);
				v->mod[v->nmodules].string = (const char *)body + 8;
				check(!(mb2_u32(body) & 0xfff) &&
					      mb2_u32(body) < mb2_u32(body + 4),
				      "module %zu is page-aligned and not empty",
				      v->nmodules);
				v->nmodules++;
			}
			break;
		case MB2_IT_MEMINFO:
			probe_printf("probe: mem_lower=%u mem_upper=%u\n", mb2_u32(body),
				     mb2_u32(body + 4));
			break;
		case MB2_IT_MMAP: {
			uint32_t esz = mb2_u32(body), ver = mb2_u32(body + 4);
			check(esz >= 24 && ver == 0, "memory map entries of %u bytes, version %u",
			      esz, ver);
			for (uint32_t e = 16; esz >= 24 && e + esz <= size &&
					      v->nmem < PROBE_MAX_MEMMAP; e += esz) {
				const struct mb2_mmap_entry *me =
					(const void *)(mbi + off + e);
				v->mem[v->nmem++] = (struct probe_range){ me->addr, me->len,
									  me->type };
			}
			break;
		}
		case MB2_IT_ACPI_OLD:
		case MB2_IT_ACPI_NEW:
			v->rsdp = (uint64_t)(uintptr_t)body; /* a copy: enough */
			break;
		case MB2_IT_EFIKEXEC:
			v->handoff = body;
			break;
		}
		if (t->ended)
			break;
		off += (size + 7) & ~7u;
	}
	check(t->ended, "the tags end with an end tag");
}
