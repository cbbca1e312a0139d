/* Linux's vmlinux (boot/vmlinux.c): detected by the shape its linker
 * script gives it, loaded at its physical addresses, entered at its
 * physical e_entry with the boot_params a bzImage gets. */
#include <stdlib.h>
#include <string.h>

#include "boot/bootparams.h"
#include "boot/elf64.h"
#include "boot/vmlinux.h"
#include "core/session.h"
#include "elf_util.h"
#include "harness.h"
#include "test/fuzz/simulated_machine.h"

#define KMAP 0xffffffff80000000ull
#define SIZE 0x5000

/* As arch/x86/kernel/vmlinux.lds.S lays out an SMP kernel: text and data
 * at __START_KERNEL_map + physical, the per-CPU segment linked at 0, the
 * init segment with the bss; a note; the entry the physical address of
 * startup_64 (16 MiB, LOAD_PHYSICAL_ADDR). */
static const struct test_phdr vmlinux[] = {
	{ 1, 0x1000, KMAP + 0x1000000, 0x1000000, 0x2000, 0x2000 },
	{ 1, 0x3000, 0, 0x1002000, 0x800, 0x1000 },
	{ 1, 0x4000, KMAP + 0x1003000, 0x1003000, 0x800, 0x3000 },
	{ 4 /* PT_NOTE */, 0x1800, KMAP + 0x1000800, 0x1000800, 0x30, 0x30 },
};

static uint8_t *vmlinux_image(void)
{
	return test_elf(true, 62, 0x1000000, vmlinux, 4, SIZE);
}

TEST(vmlinux_detected_by_its_shape)
{
	uint8_t *img = vmlinux_image();

	CHECK(vmlinux_detect(img, SIZE));
	CHECK(format_detect(img, SIZE) == &vmlinux_format);
	/* on the head alone: the program headers are all it reads */
	CHECK(format_detect(img, 0x200) == &vmlinux_format);
	CHECK(!vmlinux_detect(img, 0x100)); /* the last is cut off */
	CHECK(!vmlinux_format.signed_pe);   /* refused under Secure Boot */
	CHECK(vmlinux_format.note && strstr(vmlinux_format.note, "no KASLR"));
	free(img);

	/* a plain ELF64 kernel: its entry is virtual */
	img = test_elf(true, 62, KMAP + 0x1000040, vmlinux, 4, SIZE);
	CHECK(!vmlinux_detect(img, SIZE));
	CHECK(format_detect(img, SIZE) == &elf64_format);
	free(img);

	/* entry at a physical address, but the segment holding it is not
	 * linked at __START_KERNEL_map above it */
	struct test_phdr other[] = { vmlinux[0] };
	other[0].vaddr = 0xffff800000000000ull + 0x1000000;
	img = test_elf(true, 62, 0x1000000, other, 1, SIZE);
	CHECK(!vmlinux_detect(img, SIZE));
	free(img);

	/* 32-bit Linux is ELF32, and another machine is not x86-64 */
	img = test_elf(false, 3, 0x1000000, vmlinux, 1, SIZE);
	CHECK(!vmlinux_detect(img, SIZE));
	free(img);
	img = test_elf(true, 183 /* EM_AARCH64 */, 0x1000000, vmlinux, 4, SIZE);
	CHECK(!vmlinux_detect(img, SIZE));
	free(img);
}

TEST(vmlinux_parse_places_segments_at_physical_addresses)
{
	uint8_t *img = vmlinux_image();
	struct kernel_layout l;
	struct diag d;

	CHECK_EQ(vmlinux_parse(img, SIZE, &l, &d), 0);
	CHECK_EQ(l.nseg, 3);
	CHECK_EQ(l.seg[0].addr, 0x1000000);
	CHECK_EQ(l.seg[1].addr, 0x1002000); /* per-CPU: by p_paddr, not 0 */
	CHECK_EQ(l.seg[2].addr, 0x1003000);
	CHECK(l.seg[2].zero_fill);
	CHECK_EQ(l.entry, 0x1000000);
	CHECK(l.place.fixed);
	CHECK_EQ(l.place.pref, 0x1000000);
	CHECK_EQ(l.place.size, 0x6000);
	/* initrds, as a bzImage of a 64-bit kernel declares them */
	CHECK(l.modules.concatenate);
	CHECK_EQ(l.modules.soft_max, 0x7fffffff);
	CHECK_EQ(l.modules.hard_max, 0xffffffff);
	free(img);
}

TEST(vmlinux_parse_errors)
{
	struct kernel_layout l;
	struct diag d;
	struct test_phdr ph[4];
	uint8_t *img;

	/* --format vmlinux on a plain ELF64 kernel */
	img = test_elf(true, 62, KMAP + 0x1000040, vmlinux, 4, SIZE);
	CHECK_EQ(vmlinux_parse(img, SIZE, &l, &d), ERR_BAD_IMAGE);
	CHECK_CONTAINS(d.msg, "at its physical address");
	free(img);
	memcpy(ph, vmlinux, sizeof(ph));
	ph[0].vaddr = 0x1000000; /* entry both virtual and physical */
	img = test_elf(true, 62, 0x1000000, ph, 4, SIZE);
	CHECK_EQ(vmlinux_parse(img, SIZE, &l, &d), ERR_UNSUPPORTED);
	CHECK_CONTAINS(d.msg, "not an x86-64 Linux vmlinux");
	free(img);
	/* the file's checks, fail closed: overlap, truncation, wrap */
	memcpy(ph, vmlinux, sizeof(ph));
	ph[1].paddr = 0x1001000;
	img = test_elf(true, 62, 0x1000000, ph, 4, SIZE);
	CHECK_EQ(vmlinux_parse(img, SIZE, &l, &d), ERR_BAD_IMAGE);
	CHECK_CONTAINS(d.msg, "overlaps");
	free(img);
	memcpy(ph, vmlinux, sizeof(ph));
	ph[2].filesz = 0x2000;
	img = test_elf(true, 62, 0x1000000, ph, 4, SIZE);
	CHECK_EQ(vmlinux_parse(img, SIZE, &l, &d), ERR_BAD_IMAGE);
	CHECK_CONTAINS(d.msg, "outside the");
	free(img);
	memcpy(ph, vmlinux, sizeof(ph));
	ph[2].paddr = 0xfffffffffffff000ull;
	img = test_elf(true, 62, 0x1000000, ph, 4, SIZE);
	CHECK_EQ(vmlinux_parse(img, SIZE, &l, &d), ERR_BAD_IMAGE);
	CHECK_CONTAINS(d.msg, "wraps");
	free(img);
	/* beyond what the identity map reaches */
	memcpy(ph, vmlinux, sizeof(ph));
	ph[2].paddr = 1ull << 48;
	ph[2].vaddr = KMAP + ph[2].paddr;
	img = test_elf(true, 62, 0x1000000, ph, 4, SIZE);
	CHECK_EQ(vmlinux_parse(img, SIZE, &l, &d), ERR_UNSUPPORTED);
	CHECK_CONTAINS(d.msg, "beyond what efikexec maps");
	free(img);
}

/* The boot_params the kernel gets, on the simulated machine through the
 * whole boot sequence (with boot services: efikexec.efi; without:
 * efikexec.mb). */
TEST(vmlinux_boots_with_boot_params)
{
	uint8_t *img = vmlinux_image();
	struct session s;
	struct diag d;

	for (int bs = 1; bs >= 0; bs--) {
		simulated_boot_services = bs;
		CHECK_EQ(machine_boot(&s, NULL, img, SIZE, "console=ttyS0 a=\"b  c\"", &d), 0);
		CHECK(!strcmp(s.plan.format, "vmlinux"));
		CHECK_EQ(s.plan.entry.mode, ENTRY_LONG64);
		CHECK_EQ(s.plan.entry.rip, 0x1000000);
		CHECK_EQ(s.plan.seg[0].dst, 0x1000000);

		const struct boot_params *bp =
			(const struct boot_params *)(uintptr_t)s.plan.entry.rsi;
		CHECK_EQ(bp->hdr.boot_flag, 0xaa55);
		CHECK_EQ(bp->hdr.header, 0x53726448);
		CHECK_EQ(bp->hdr.version, 0x020e);
		CHECK_EQ(bp->hdr.type_of_loader, 0xff);
		CHECK_EQ(bp->hdr.loadflags, LOADED_HIGH); /* no KASLR_FLAG */
		CHECK_EQ(bp->hdr.cmdline_size, 2047);
		uint64_t cl = bp->hdr.cmd_line_ptr | (uint64_t)bp->ext_cmd_line_ptr << 32;
		CHECK_STR((const char *)(uintptr_t)cl, "console=ttyS0 a=\"b  c\"");
		/* the two modules, one initrd */
		CHECK_EQ(bp->hdr.ramdisk_image, s.modules[0].addr);
		CHECK(bp->hdr.ramdisk_size >= s.modules[0].size + s.modules[1].size);
		CHECK(bp->hdr.ramdisk_image + bp->hdr.ramdisk_size - 1 <= 0x7fffffff);
		CHECK(bp->e820_entries > 0);
		CHECK(bp->hdr.setup_data != 0); /* the efikexec flags word */
		/* booted from 64-bit EFI, with the final memory map for
		 * runtime services */
		if (bs) {
			CHECK_EQ(bp->efi_info.efi_loader_signature, EFI64_LOADER_SIGNATURE);
			CHECK(bp->efi_info.efi_memmap != 0);
		}
	}
	simulated_boot_services = true;
	free(img);
	machine_unreserve();
}

TEST(vmlinux_refuses_long_cmdline_and_5level_firmware)
{
	uint8_t *img = vmlinux_image();
	char *cmdline = malloc(2049);
	struct session s;
	struct diag d;

	memset(cmdline, 'x', 2048);
	cmdline[2048] = 0;
	CHECK_EQ(machine_boot(&s, NULL, img, SIZE, cmdline, &d), ERR_USAGE);
	CHECK_CONTAINS(d.msg, "at most 2047");
	cmdline[2047] = 0;
	CHECK_EQ(machine_boot(&s, NULL, img, SIZE, cmdline, &d), 0);
	free(cmdline);
	free(img);
	machine_unreserve();

	/* a vmlinux cannot say whether it takes 5-level paging: refused
	 * before anything is allocated */
	struct platform pf = { .paging_5level = true };
	struct boot_ctx ctx = { .platform = &pf };
	CHECK_EQ(vmlinux_prepare(&ctx, &d), ERR_UNSUPPORTED);
	CHECK_CONTAINS(d.msg, "5-level paging");
}
