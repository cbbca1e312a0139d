/* Linux's uncompressed x86-64 kernel, vmlinux: the ELF a kernel build links
 * and a bzImage's decompressor unpacks. Its segments go where the
 * decompressor would put them, at their physical addresses, and it is
 * entered at startup_64 through the 64-bit boot protocol
 * (Documentation/arch/x86/boot.rst, "64-bit Boot Protocol") with the
 * boot_params a bzImage gets (boot/linux.c), built from a setup header of
 * efikexec's own: a vmlinux has none.
 *
 * Without the decompressor there is no KASLR: it is the decompressor that
 * picks the random physical and virtual offsets
 * (arch/x86/boot/compressed/kaslr.c); the kernel runs where it is linked. */
#include "boot/vmlinux.h"

#include "boot/bootparams.h"
#include "boot/elf.h"
#include "boot/linux.h"
#include "lib/bytes.h"
#include "lib/sizes.h"

/* arch/x86/include/asm/page_64_types.h: __START_KERNEL_map, the virtual
 * address of physical 0 in the kernel's mapping of itself.
 * arch/x86/kernel/vmlinux.lds.S links each output section at it plus its
 * load address (AT(ADDR(...) - LOAD_OFFSET), LOAD_OFFSET being
 * __START_KERNEL_map) and makes e_entry phys_startup_64: the entry is a
 * physical address, and the segment holding it has p_vaddr - p_paddr equal
 * to __START_KERNEL_map. */
#define START_KERNEL_MAP UINT64_C(0xffffffff80000000)
#define ET_EXEC 2
/* arch/x86/boot/header.S: what every x86-64 bzImage declares */
#define INITRD_ADDR_MAX 0x7fffffff
/* arch/x86/include/asm/setup.h COMMAND_LINE_SIZE, less its NUL: the most
 * copy_bootdata() (arch/x86/kernel/head64.c) takes */
#define CMDLINE_SIZE 2047
/* boot.rst: protocol 2.14 added acpi_rsdp_addr, the newest field filled */
#define PROTOCOL_VERSION 0x020e

static const uint16_t elf_machines[] = { EM_X86_64, 0 };

/* The shape vmlinux.lds.S gives a vmlinux (above), read from the ELF and
 * program headers alone, so that it is seen in the head of the file: an
 * ELF64 x86-64 executable whose e_entry lies in no PT_LOAD's virtual
 * range but at the physical address of one linked at __START_KERNEL_map.
 * (A plain ELF64 kernel's entry is virtual: boot/elf64.c refuses an entry
 * outside every segment, so no kernel it boots has this shape.) */
static bool linux_shape(const uint8_t *img, size_t size)
{
	struct elf_phdr ph;
	bool physical = false;
	uint64_t entry;

	if (!elf_detect(img, size) || size < 64 || img[4] != 2 /* ELFCLASS64 */ ||
	    img[5] != 1 /* ELFDATA2LSB */ || get16(img + 16) != ET_EXEC ||
	    get16(img + 18) != EM_X86_64)
		return false;
	entry = get64(img + 24);
	/* every one of them: any might hold the entry at its virtual
	 * address */
	for (uint16_t i = 0, n = get16(img + 56); i < n; i++) {
		if (!elf_phdr_at(img, size, i, &ph))
			return false;
		if (ph.type != PT_LOAD)
			continue;
		if (entry - ph.vaddr < ph.memsz)
			return false;
		if (ph.vaddr - ph.paddr == START_KERNEL_MAP &&
		    entry - ph.paddr < ph.memsz)
			physical = true;
	}
	return physical;
}

bool vmlinux_detect(const uint8_t *img, size_t size)
{
	return linux_shape(img, size);
}

int vmlinux_parse(const uint8_t *img, size_t size, struct kernel_layout *l,
		  struct diag *d)
{
	struct elf_image e;
	int rc;

	*l = (struct kernel_layout){ 0 };
	if ((rc = elf_parse(img, size, elf_machines, ELF_ENTRY_PHYSICAL, l, &e, d)))
		return rc;
	if (!e.is64 || !linux_shape(img, size))
		return diag_fail(d, ERR_UNSUPPORTED,
				 "not an x86-64 Linux vmlinux: its entry point 0x%lx is not the physical address of a segment linked at 0x%lx above it (arch/x86/kernel/vmlinux.lds.S)",
				 e.entry, START_KERNEL_MAP);
	/* Where the decompressor puts it (arch/x86/boot/compressed/misc.c,
	 * parse_elf(): p_paddr from LOAD_PHYSICAL_ADDR on) when it does not
	 * move it: the kernel's page tables are built for that. */
	if ((rc = elf_place_fixed(&e, "vmlinux", l, d)))
		return rc;
	l->modules = (struct module_policy){
		.soft_max = INITRD_ADDR_MAX,
		.hard_max = FOUR_GIB - 1,
		.concatenate = true,
	};
	return 0;
}

int vmlinux_prepare(struct boot_ctx *ctx, struct diag *d)
{
	/* The fields the kernel reads from the zero page's header, as a
	 * bzImage's would have them; the rest stay 0. loadflags lacks
	 * KASLR_FLAG: the kernel learns from it that nothing randomized it
	 * (kaslr_enabled(), arch/x86/include/asm/setup.h). */
	const struct setup_header hdr = {
		.boot_flag = BOOT_FLAG_MAGIC,
		.header = HDRS_MAGIC,
		.version = PROTOCOL_VERSION,
		.loadflags = LOADED_HIGH,
		.initrd_addr_max = INITRD_ADDR_MAX,
		.xloadflags = XLF_KERNEL_64,
		.cmdline_size = CMDLINE_SIZE,
	};

	/* A bzImage says whether it can be entered with 5-level paging on
	 * (XLF_5LEVEL); a vmlinux does not. */
	if (ctx->platform->paging_5level)
		return diag_fail(d, ERR_UNSUPPORTED,
				 "the firmware runs with 5-level paging, and a vmlinux carries no header to say whether it can be entered that way: boot its bzImage");
	return linux_prepare_with_header(ctx, &hdr, sizeof(hdr), d);
}

const struct boot_format vmlinux_format = {
	.name = "vmlinux",
	.note = "no KASLR: a vmlinux runs where it is linked, and only the decompressor of a bzImage picks random offsets",
	.detect = vmlinux_detect,
	.parse = vmlinux_parse,
	.prepare = vmlinux_prepare,
	.finish = linux_finish,
};
