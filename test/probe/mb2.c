/* The Multiboot 2 probe: what Multiboot2 Specification 2.0 §3.3 and §3.6
 * promise, and efikexec's own tag. */
#include "boot/handoff.h"
#include "boot/multiboot.h"
#include "probe.h"

const char probe_format[] = "multiboot2";

void probe_check_mode(void)
{
	probe_check_prot32();
	check(probe_regs.rax == MB2_LOADER_MAGIC,
	      "EAX holds the Multiboot2 magic (0x%llx)",
	      (unsigned long long)probe_regs.rax);
}

static uint32_t u32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

void probe_main(void)
{
	static struct probe_view v;
	const uint8_t *mbi = (const uint8_t *)(uintptr_t)probe_regs.rbx;
	uint32_t total = u32(mbi), off = 8;
	bool ended = false, seen[32] = { false };

	v.info_start = probe_regs.rbx;
	v.info_end = probe_regs.rbx + total;
	check(!(probe_regs.rbx & 7), "the information structure is 8-byte aligned");
	check(total >= 16, "total_size %u", total);
	while (off + 8 <= total) {
		uint32_t type = u32(mbi + off), size = u32(mbi + off + 4);
		const uint8_t *body = mbi + off + 8;

		if (!check(size >= 8 && size <= total - off,
			   "tag %u at offset %u has a sane size %u", type, off, size))
			break;
		if (type < 32)
			seen[type] = true;
		switch (type) {
		case MB2_IT_END:
			ended = check(size == 8, "the end tag is 8 bytes");
			break;
		case MB2_IT_CMDLINE:
			v.cmdline = (const char *)body;
			break;
		case MB2_IT_LOADER_NAME:
			v.loader_name = (const char *)body;
			break;
		case MB2_IT_MODULE:
			if (v.nmodules < PROBE_MAX_MODULES) {
				v.mod[v.nmodules].start = u32(body);
				v.mod[v.nmodules].end = u32(body + 4);
				v.mod[v.nmodules].string = (const char *)body + 8;
				check(!(u32(body) & 0xfff) && u32(body) < u32(body + 4),
				      "module %zu is page-aligned and not empty",
				      v.nmodules);
				v.nmodules++;
			}
			break;
		case MB2_IT_MEMINFO:
			probe_printf("probe: mem_lower=%u mem_upper=%u\n", u32(body),
				     u32(body + 4));
			break;
		case MB2_IT_MMAP: {
			uint32_t esz = u32(body), ver = u32(body + 4);
			check(esz >= 24 && ver == 0, "memory map entries of %u bytes, version %u",
			      esz, ver);
			for (uint32_t e = 16; esz >= 24 && e + esz <= size &&
					      v.nmem < PROBE_MAX_MEMMAP; e += esz) {
				const struct mb2_mmap_entry *me =
					(const void *)(mbi + off + e);
				v.mem[v.nmem++] = (struct probe_range){ me->addr, me->len,
									me->type };
			}
			break;
		}
		case MB2_IT_ACPI_OLD:
		case MB2_IT_ACPI_NEW:
			v.rsdp = (uint64_t)(uintptr_t)body; /* a copy: enough */
			break;
		case MB2_IT_EFIKEXEC:
			v.handoff = body;
			break;
		}
		if (ended)
			break;
		off += (size + 7) & ~7u;
	}
	check(ended, "the tags end with an end tag");
	check(seen[MB2_IT_CMDLINE] && seen[MB2_IT_LOADER_NAME] &&
	      seen[MB2_IT_MEMINFO] && seen[MB2_IT_MMAP],
	      "the requested tags are there (command line, loader, meminfo, memory map)");
	/* Without boot services there must be no sign of them (Xen halts on
	 * an EFI system table tag then); this probe does not ask for them. */
	check(!seen[MB2_IT_EFI64] && !seen[MB2_IT_EFI_BS] && !seen[MB2_IT_EFI64_IH],
	      "no EFI boot-services tags");
	probe_finish(&v);
}
