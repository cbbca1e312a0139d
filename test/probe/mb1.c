/* The Multiboot 1 probe: what Multiboot Specification 0.6.96 §3.2-3.3
 * promise. */
#include "boot/multiboot.h"
#include "probe.h"

const char probe_format[] = "multiboot1";

void probe_check_mode(void)
{
	probe_check_prot32();
	check(probe_regs.rax == MB1_LOADER_MAGIC,
	      "EAX holds the Multiboot magic (0x%llx)",
	      (unsigned long long)probe_regs.rax);
}

void probe_main(void)
{
	static struct probe_view v;
	const struct mb1_info *mbi = (const struct mb1_info *)(uintptr_t)probe_regs.rbx;

	v.info_start = probe_regs.rbx;
	v.info_end = probe_regs.rbx + sizeof(*mbi);
	check(mbi->flags & MB1_INFO_MEMORY, "mem_lower/mem_upper present");
	check(mbi->flags & MB1_INFO_MEM_MAP, "memory map present");
	check(mbi->flags & MB1_INFO_CMDLINE, "command line present");
	check(mbi->flags & MB1_INFO_LOADER_NAME, "loader name present");
	if (mbi->flags & MB1_INFO_CMDLINE)
		v.cmdline = (const char *)(uintptr_t)mbi->cmdline;
	if (mbi->flags & MB1_INFO_LOADER_NAME)
		v.loader_name = (const char *)(uintptr_t)mbi->boot_loader_name;
	probe_printf("probe: mem_lower=%u mem_upper=%u\n", mbi->mem_lower,
		     mbi->mem_upper);
	if (mbi->flags & MB1_INFO_MODS) {
		const struct mb1_module *m = (const void *)(uintptr_t)mbi->mods_addr;
		check(mbi->mods_count <= PROBE_MAX_MODULES, "%u modules",
		      mbi->mods_count);
		for (uint32_t i = 0; i < mbi->mods_count && i < PROBE_MAX_MODULES; i++) {
			check(m[i].mod_start < m[i].mod_end &&
			      !(m[i].mod_start & 0xfff),
			      "module %u 0x%x-0x%x is page-aligned and not empty",
			      i, m[i].mod_start, m[i].mod_end);
			v.mod[v.nmodules].start = m[i].mod_start;
			v.mod[v.nmodules].end = m[i].mod_end;
			v.mod[v.nmodules].string = (const char *)(uintptr_t)m[i].string;
			v.nmodules++;
		}
	}
	if (mbi->flags & MB1_INFO_MEM_MAP) {
		/* §3.3: each entry starts with its size, not counting itself */
		uint32_t off = 0;
		bool sizes_ok = true;
		while (off + 4 <= mbi->mmap_length && v.nmem < PROBE_MAX_MEMMAP) {
			const struct mb1_mmap_entry *e =
				(const void *)(uintptr_t)(mbi->mmap_addr + off);
			sizes_ok &= e->size >= 20;
			v.mem[v.nmem++] = (struct probe_range){ e->addr, e->len, e->type };
			off += e->size + 4;
		}
		check(sizes_ok && off == mbi->mmap_length,
		      "memory map entries fill mmap_length %u exactly",
		      mbi->mmap_length);
	}
	probe_finish(&v);
}
