/* The Linux probe: a bzImage entered through the 64-bit boot protocol
 * (Documentation/arch/x86/boot.rst), checking what it promises. */
#include "boot/bootparams.h"
#include "boot/handoff_record.h"
#include "probe.h"

const char probe_format[] = "linux";

void probe_check_mode(void)
{
	probe_check_long64();
	/* boot.rst 64-bit protocol: __BOOT_CS and __BOOT_DS */
	check(probe_regs.cs == 0x10, "CS is __BOOT_CS 0x10 (0x%llx)",
	      (unsigned long long)probe_regs.cs);
	check(probe_regs.ds == 0x18 && probe_regs.es == 0x18 &&
	      probe_regs.ss == 0x18, "DS, ES and SS are __BOOT_DS 0x18");
}

void probe_main(void)
{
	static struct probe_view v;
	const struct boot_params *bp = (const void *)(uintptr_t)probe_regs.rsi;
	uint64_t sd;

	v.info_start = probe_regs.rsi;
	v.info_end = probe_regs.rsi + sizeof(*bp);
	check(bp->hdr.header == HDRS_MAGIC && bp->hdr.boot_flag == BOOT_FLAG_MAGIC,
	      "boot_params holds the setup header");
	check(bp->sentinel == 0, "the sentinel is clear");
	check(bp->hdr.type_of_loader != 0, "type_of_loader is set (0x%x)",
	      bp->hdr.type_of_loader);
	v.cmdline = (const char *)(uintptr_t)(bp->hdr.cmd_line_ptr |
					       (uint64_t)bp->ext_cmd_line_ptr << 32);
	check(bp->e820_entries > 0 && bp->e820_entries <= E820_MAX_ENTRIES_ZEROPAGE,
	      "%u e820 entries in the zero page", bp->e820_entries);
	for (unsigned i = 0; i < bp->e820_entries && v.nmem < PROBE_MAX_MEMMAP; i++)
		v.mem[v.nmem++] = (struct probe_range){ bp->e820_table[i].addr,
							bp->e820_table[i].size,
							bp->e820_table[i].type };
	for (sd = bp->hdr.setup_data; sd;) {
		const struct setup_data *n = (const void *)(uintptr_t)sd;
		if (n->type == SETUP_E820_EXT)
			for (uint32_t i = 0; i < n->len / 20 && v.nmem < PROBE_MAX_MEMMAP; i++) {
				const struct e820_entry *e = (const void *)(n->data + i * 20);
				v.mem[v.nmem++] = (struct probe_range){ e->addr, e->size,
									e->type };
			}
		if (n->type == SETUP_EFIKEXEC)
			v.handoff = n->data;
		sd = n->next;
	}
	if (bp->hdr.ramdisk_size) {
		uint64_t start = bp->hdr.ramdisk_image |
				 (uint64_t)bp->ext_ramdisk_image << 32;
		v.mod[0].start = start;
		v.mod[0].end = start + (bp->hdr.ramdisk_size |
					(uint64_t)bp->ext_ramdisk_size << 32);
		v.mod[0].string = "initrd";
		v.nmodules = 1;
	}
	/* EFI, with a system table and memory map, or none of it (a BIOS
	 * machine: efikexec.mb) */
	if (bp->efi_info.efi_systab || bp->efi_info.efi_systab_hi)
		check(bp->efi_info.efi_loader_signature == EFI64_LOADER_SIGNATURE &&
		      bp->efi_info.efi_memmap && bp->efi_info.efi_memdesc_size >= 40,
		      "efi_info says EL64, with the memory map");
	else
		check(!bp->efi_info.efi_loader_signature && !bp->efi_info.efi_memmap,
		      "no EFI system table, and efi_info says nothing");
	v.rsdp = bp->acpi_rsdp_addr;
	check(v.rsdp != 0, "acpi_rsdp_addr is set");
	probe_finish(&v);
}
