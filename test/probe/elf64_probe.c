/* The ELF64 probe: everything docs/elf64-protocol.md promises. */
#include "boot/elf64_protocol.h"
#include "boot/handoff_record.h"
#include "probe.h"

const char probe_format[] = "elf64";

void probe_check_mode(void)
{
	const struct entry_regs *r = &probe_regs;

	probe_check_long64();
	check(r->rax == EFIKEXEC_BOOT_MAGIC, "RAX holds the magic (0x%llx)",
	      (unsigned long long)r->rax);
	check(!(r->rbx | r->rcx | r->rdx | r->rsi | r->rbp | r->r8 | r->r9 |
		r->r10 | r->r11 | r->r12 | r->r13 | r->r14 | r->r15),
	      "every other general register is zero");
	check(r->rsp && !(r->rsp & 15), "RSP 0x%llx is 16-byte aligned",
	      (unsigned long long)r->rsp);
	check(!(r->rflags & (1u << 10)), "the direction flag is clear");
	check(r->cs == 0x10 && r->ds == 0x18 && r->ss == 0x18,
	      "CS 0x10, DS and SS 0x18");
}

void probe_main(void)
{
	static struct probe_view v;
	const struct efikexec_boot_info *b = (const void *)(uintptr_t)probe_regs.rdi;

	v.info_start = probe_regs.rdi;
	v.info_end = probe_regs.rdi + sizeof(*b);
	if (!check(b->magic == EFIKEXEC_BOOT_MAGIC && b->version == 1 &&
		   b->size >= sizeof(*b),
		   "boot info magic 0x%x version %u size %u", b->magic,
		   b->version, b->size))
		probe_finish(&v);
	v.cmdline = (const char *)(uintptr_t)b->cmdline;
	check(b->memmap_entry_size >= sizeof(struct efikexec_memory_range) &&
	      b->module_entry_size >= sizeof(struct efikexec_module),
	      "entry sizes %u and %u", b->memmap_entry_size, b->module_entry_size);
	for (uint32_t i = 0; i < b->memmap_count && i < PROBE_MAX_MEMMAP; i++) {
		const struct efikexec_memory_range *m =
			(const void *)(uintptr_t)(b->memmap + i * b->memmap_entry_size);
		v.mem[v.nmem++] = (struct probe_range){ m->base, m->size, m->type };
	}
	for (uint32_t i = 0; i < b->module_count && i < PROBE_MAX_MODULES; i++) {
		const struct efikexec_module *m =
			(const void *)(uintptr_t)(b->modules + i * b->module_entry_size);
		v.mod[v.nmodules].start = m->start;
		v.mod[v.nmodules].end = m->start + m->size;
		v.mod[v.nmodules].string = (const char *)(uintptr_t)m->string;
		v.nmodules++;
	}
	check(b->image_start == (uint64_t)(uintptr_t)probe_image_start,
	      "image_start 0x%llx is where the image is",
	      (unsigned long long)b->image_start);
	/* both, or neither on a machine without UEFI (efikexec.mb) */
	check(b->efi_system_table ? b->efi_memmap && b->efi_desc_size >= 40 :
				    !b->efi_memmap && !b->efi_memmap_size,
	      "the EFI system table and memory map are given together");
	v.rsdp = b->acpi_rsdp;
	v.handoff = (const void *)(uintptr_t)b->handoff;
	check(b->handoff && ((const struct efikexec_handoff *)v.handoff)->flags == b->flags,
	      "the flags word matches the handoff record");
	probe_finish(&v);
}
