/* The boot sequence both front ends ship (core/boot_sequence.c), run on
 * the simulated machine of the fuzzers (test/fuzz/simulated_machine.c). */
#include <stdlib.h>
#include <string.h>

#include "boot/elf64.h"
#include "boot/linux.h"
#include "boot/multiboot.h"
#include "boot/multiboot2.h"
#include "core/load.h"
#include "core/session.h"
#include "elf_util.h"
#include "harness.h"
#include "image_util.h"
#include "lib/sha256.h"
#include "test/fuzz/simulated_machine.h"

/* a kernel linked at 16 MiB: text, then data with a bss */
static const struct test_phdr kernel[] = {
	{ 1, 0x1000, 0x1000000, 0x1000000, 0x2000, 0x2000 },
	{ 1, 0x3000, 0x1002000, 0x1002000, 0x800, 0x5000 },
};

static bool kept(const struct plan *p, const char *what)
{
	for (size_t i = 0; i < p->nkeep; i++)
		if (!strcmp(p->keep[i].what, what))
			return true;
	return false;
}

TEST(sequence_boots_an_elf64_kernel_with_two_modules)
{
	uint8_t *img = test_elf(true, 62, 0x1000040, kernel, 2, 0x4000);
	struct session s;
	const struct plan *p = &s.plan;
	struct diag d;

	CHECK_EQ(machine_boot(&s, &elf64_format, img, 0x4000, "a  b", &d), 0);
	CHECK(!strcmp(p->format, "elf64"));
	CHECK_EQ(s.nmodules, 2);
	CHECK(!strcmp(s.modules[0].args, "first module"));
	CHECK_EQ(s.modules[0].size, 5000);
	/* two kernel segments at the link address, two modules in place and
	 * the boot information */
	CHECK(p->nseg >= 4);
	CHECK_EQ(p->seg[0].dst, 0x1000000);
	CHECK_EQ(p->entry.rip, 0x1000040);
	CHECK_EQ(p->entry.mode, ENTRY_LONG64);
	/* the park area, the memory map, the trampoline and its page
	 * tables are kept */
	CHECK(kept(p, "AP park area") && kept(p, "EFI memory map") &&
	      kept(p, "trampoline") && kept(p, "page tables"));
	/* the machine was asked to make the trampoline's code executable
	 * and read-only, and nothing else */
	CHECK_EQ(simulated_nprotected, 1);
	CHECK(!strcmp(simulated_protected[0].what, "trampoline"));
	CHECK_EQ(simulated_protected[0].base, phys_of(s.tramp));
	CHECK_EQ(simulated_protected[0].clear, MEM_ATTR_XP);
	CHECK_EQ(simulated_protected[0].set, MEM_ATTR_RO);
	free(img);
	machine_unreserve();
}

TEST(sequence_reports_what_it_cannot_boot)
{
	static const uint8_t junk[4096] = { 'J', 'U', 'N', 'K' };
	struct session s;
	struct diag d;

	/* --format elf64 on something that is not ELF */
	CHECK(machine_boot(&s, &elf64_format, junk, sizeof(junk), "", &d) != 0);
	CHECK(!s.checking);
	/* detected as nothing: the bytes it starts with are in the message */
	CHECK_EQ(machine_boot(&s, &linux_format, junk, 0, "", &d),
		 ERR_NOT_FOUND);
	CHECK_CONTAINS(d.msg, "kernel");
	machine_unreserve();
}

/* An ELF32 kernel at 4 MiB (ELF entry 0x400100; a segment 0x400000-0x402fff,
 * and with nseg 2 another at 0x404000-0x404fff) with a Multiboot 2 header
 * asking to keep EFI boot services (tag 7, optional or not) with an EFI
 * amd64 entry (tag 9, at 0x400200), and an entry address tag (3) when
 * entry is not 0. */
static uint8_t *mb2_efi_kernel(uint16_t bs_flags, uint32_t entry, size_t nseg)
{
	static const struct test_phdr ph[] = {
		{ 1, 0x1000, 0x400000, 0x400000, 0x2000, 0x3000 },
		{ 1, 0x3000, 0x404000, 0x404000, 0x800, 0x1000 },
	};
	uint32_t len = entry ? 64 : 48;
	const uint32_t words[] = {
		MB2_HEADER_MAGIC, 0, len, 0u - MB2_HEADER_MAGIC - len,
		7 | (uint32_t)bs_flags << 16, 8,
		9 | (uint32_t)MB2_TAG_OPTIONAL << 16, 12, 0x400200, 0,
		3, 12, entry, 0,
		0, 8,
	};
	uint8_t *img = test_elf(false, 3, 0x400100, ph, nseg, 0x4000);

	memcpy(img + 0x1000, words, 4 * 10);
	if (entry)
		memcpy(img + 0x1000 + 40, words + 10, 4 * 6);
	else
		memcpy(img + 0x1000 + 40, words + 14, 4 * 2);
	return img;
}

TEST(sequence_without_boot_services_enters_the_usual_way)
{
	uint8_t *img = mb2_efi_kernel(MB2_TAG_OPTIONAL, 0, 1);
	struct session s;
	const struct plan *p = &s.plan;
	struct diag d;

	/* under UEFI: entered at the amd64 entry with the firmware up */
	CHECK_EQ(machine_boot(&s, &multiboot2_format, img, 0x4000, "", &d), 0);
	CHECK_EQ(p->entry.mode, ENTRY_EFI64);
	CHECK_EQ(p->entry.rip, 0x400200);
	/* it runs on the firmware's page tables from where it is copied:
	 * that is what the machine is asked to make executable */
	CHECK_EQ(simulated_nprotected, 1);
	CHECK(!strcmp(simulated_protected[0].what, "kernel"));
	CHECK(simulated_protected[0].base <= 0x400200 &&
	      0x400200 < simulated_protected[0].base + simulated_protected[0].size);
	CHECK_EQ(simulated_protected[0].clear, MEM_ATTR_XP);
	CHECK_EQ(simulated_protected[0].set, 0);
	/* under Multiboot: the tag was a request; the ELF entry, in 32-bit
	 * protected mode */
	simulated_boot_services = false;
	CHECK_EQ(machine_boot(&s, &multiboot2_format, img, 0x4000, "", &d), 0);
	CHECK_EQ(p->entry.mode, ENTRY_PROT32);
	CHECK_EQ(p->entry.rip, 0x400100);
	free(img);
	/* a kernel that requires them cannot boot there */
	img = mb2_efi_kernel(0, 0, 1);
	CHECK_EQ(machine_boot(&s, &multiboot2_format, img, 0x4000, "", &d),
		 ERR_UNSUPPORTED);
	CHECK_CONTAINS(d.msg, "needs EFI boot services (Multiboot2 tag 7 required)");
	free(img);
	/* nor one whose usual entry (its entry address tag) is outside it,
	 * ignored with boot services (Multiboot2 §3.1.8): under UEFI it
	 * boots */
	img = mb2_efi_kernel(MB2_TAG_OPTIONAL, 0x900000, 1);
	CHECK_EQ(machine_boot(&s, &multiboot2_format, img, 0x4000, "", &d),
		 ERR_UNSUPPORTED);
	CHECK_CONTAINS(d.msg, "no other entry in the image");
	simulated_boot_services = true;
	CHECK_EQ(machine_boot(&s, &multiboot2_format, img, 0x4000, "", &d), 0);
	CHECK_EQ(p->entry.rip, 0x400200);
	free(img);
	/* nor one whose usual entry lies between its segments, where the
	 * plan check would refuse it only at the end */
	img = mb2_efi_kernel(MB2_TAG_OPTIONAL, 0x403800, 2);
	simulated_boot_services = false;
	CHECK_EQ(machine_boot(&s, &multiboot2_format, img, 0x4000, "", &d),
		 ERR_UNSUPPORTED);
	CHECK_CONTAINS(d.msg, "no other entry in the image");
	simulated_boot_services = true;
	free(img);
	machine_unreserve();
}

/* A unified kernel image (boot/uki.h), detected as such: its .linux is
 * the kernel, its .initrd the first initrd (before the archive of its
 * .osrel its stub makes, and the two given), its .cmdline the command
 * line unless one is given (Secure Boot is off). */
TEST(sequence_boots_a_unified_kernel_image)
{
	size_t bz_size, size;
	uint8_t *bz = test_bzimage(&bz_size);
	static const char initrd[0x345] = "070701 the initrd";
	const struct test_section sec[] = {
		{ ".text", NULL, 0x200, 0 },
		{ ".osrel", "ID=test\n", 8, 0 },
		{ ".cmdline", "console=ttyS0\tquiet\n", 20, 0 },
		{ ".linux", bz, (uint32_t)bz_size, (uint32_t)bz_size },
		{ ".initrd", initrd, sizeof(initrd), sizeof(initrd) },
	};
	uint8_t *uki = test_pe(sec, 5, &size);
	struct session session;
	const struct session *s = &session;
	struct diag d;

	CHECK_EQ(machine_boot(&session, NULL, uki, size, "", &d), 0);
	CHECK(s->uki_file != NULL);
	CHECK_STR(s->plan.format, "linux");
	CHECK_EQ(s->image_size, bz_size);
	CHECK(!memcmp(s->image, bz, bz_size));
	CHECK_STR(s->opt.cmdline, "console=ttyS0 quiet");
	/* one initrd: the section, padded to 4 bytes, then m1 and m2 after
	 * /.extra/os-release (the image names no stub: followed as 258) */
	CHECK_EQ(s->nmodules, 1);
	CHECK_EQ(s->nextras, 1);
	CHECK_STR(s->extras[0].name, "os-release");
	CHECK_EQ(s->modules[0].size, 0x348 + s->extras[0].size + 5000 + 5000);
	CHECK(!memcmp((const void *)(uintptr_t)s->modules[0].addr, initrd,
		      sizeof(initrd)));
	/* what is measured of the files read: the whole image */
	CHECK_EQ(s->files.file[0].size, size);
	CHECK(s->files.file[0].data == s->uki_file);

	CHECK_EQ(machine_boot(&session, NULL, uki, size, "given", &d), 0);
	CHECK_STR(s->opt.cmdline, "given");
	/* named as Linux (a Type #1 `linux` line): taken apart the same */
	CHECK_EQ(machine_boot(&session, &linux_format, uki, size, "", &d), 0);
	CHECK(s->uki_file != NULL);
	/* named as a kernel of another format: not taken apart */
	CHECK(machine_boot(&session, &elf64_format, uki, size, "", &d) != 0);
	free(uki);
	free(bz);
	machine_unreserve();
}

/* Where bytes are in the initrd of the session s, from offset `from` */
static size_t initrd_find(const struct session *s, size_t from,
			  const void *what, size_t n)
{
	const uint8_t *p = (const uint8_t *)(uintptr_t)s->modules[0].addr;

	for (size_t i = from; i + n <= s->modules[0].size; i++)
		if (!memcmp(p + i, what, n))
			return i;
	return SIZE_MAX;
}

#define FIND(s, from, text) initrd_find(s, from, text, sizeof(text) - 1)

/* The initrd of a unified kernel image as systemd-stub 252 hands it to
 * the kernel (stub.c combine_initrd()): its .initrd, then the archives it
 * makes, credentials from beside the image (in name order, whatever the
 * order listed; one that cannot be read left out, its inode not taken),
 * its .pcrsig and .pcrpkey; the initrds given come after
 * them all (a Type #1 entry's, which systemd-boot and the stub never
 * combine: the stub refuses to start when the boot loader registered
 * initrds and it has its own, see docs/bls.md). */
TEST(sequence_uki_initrd_order)
{
	size_t bz_size, size, at;
	uint8_t *bz = test_bzimage(&bz_size);
	static const char magic[] = "#### LoaderInfo: systemd-stub 252.39-1~deb12u2 ####";
	static const char initrd[0x345] = "070701 the initrd";
	const struct test_section sec[] = {
		{ ".text", NULL, 0x200, 0 },
		{ ".sdmagic", magic, sizeof(magic), 0 },
		{ ".osrel", "ID=test\n", 8, 0 },
		{ ".pcrsig", "{\"sig\"}", 7, 0 },
		{ ".pcrpkey", "PEM", 3, 0 },
		{ ".linux", bz, (uint32_t)bz_size, (uint32_t)bz_size },
		{ ".initrd", initrd, sizeof(initrd), sizeof(initrd) },
	};
	uint8_t *uki = test_pe(sec, 7, &size);
	static const uint8_t m1[5000] = { 1 }, m2[5000] = { 2 };
	struct session session;
	const struct session *s = &session;
	struct diag d;

	simulated_extra_d[0] = (struct simulated_file){ "b.cred", "BBB", 3 };
	simulated_extra_d[1] = (struct simulated_file){ "ignored.txt", "x", 1 };
	simulated_extra_d[2] = (struct simulated_file){ "a.CRED", "AAAA", 4 };
	simulated_extra_d[3] = (struct simulated_file){ "a0.cred", NULL, 9 };
	simulated_nextra_d = 4;
	CHECK_EQ(machine_boot(&session, NULL, uki, size, "", &d), 0);
	simulated_nextra_d = 0;
	CHECK_EQ(s->nmodules, 1);
	CHECK_EQ(s->nextras, 3);
	CHECK_STR(s->extras[0].name, ".extra/credentials");
	CHECK_EQ(s->extras[0].pcr, 12);
	CHECK_STR(s->extras[0].description, "Credentials initrd");
	CHECK_STR(s->extras[1].name, "tpm2-pcr-signature.json");
	CHECK_STR(s->extras[2].name, "tpm2-pcr-public-key.pem");
	CHECK_EQ(s->extras[1].pcr, 0);
	CHECK_EQ(s->modules[0].size, 0x348 + s->extras[0].size + s->extras[1].size +
					     s->extras[2].size + 5000 + 5000);
	CHECK_EQ(initrd_find(s, 0, initrd, sizeof(initrd)), 0);
	at = FIND(s, 0, ".extra/credentials/a.CRED\0AAAA");
	CHECK_EQ(at, 0x348 + 120 + 132 + 110);
	at = FIND(s, 0, ".extra/credentials/b.cred\0BBB");
	CHECK_EQ(at, 0x348 + 120 + 132 + 136 + 4 + 110);
	CHECK(!memcmp((const uint8_t *)(uintptr_t)s->modules[0].addr + at - 110,
		      "07070100000004", 14));
	CHECK_EQ(FIND(s, 0, "a0.cred"), SIZE_MAX);
	CHECK_EQ(FIND(s, 0, "ignored"), SIZE_MAX);
	at = FIND(s, 0, ".extra/tpm2-pcr-signature.json\0\0\0\0{\"sig\"}");
	CHECK_EQ(at, 0x348 + s->extras[0].size + 120 + 110);
	CHECK(FIND(s, at, ".extra/tpm2-pcr-public-key.pem\0\0\0\0PEM") > at);
	/* 252 does not pass .osrel */
	CHECK_EQ(FIND(s, 0, "os-release"), SIZE_MAX);
	CHECK_EQ(initrd_find(s, 0, m1, sizeof(m1)), s->modules[0].size - 10000);
	CHECK_EQ(initrd_find(s, 0, m2, sizeof(m2)), s->modules[0].size - 5000);
	free(uki);
	free(bz);
	machine_unreserve();
}

/* A unified kernel image whose stub names a release, with a .ucode:
 * booted as that release boots it (boot/systemd_stub.h) */
static uint8_t *stub_uki(const char *sdmagic, const uint8_t *bz, size_t bz_size,
			 size_t *size)
{
	static const char ucode[0x101] = "070701 microcode";
	static const char initrd[0x345] = "070701 the initrd";
	const struct test_section sec[] = {
		{ ".text", NULL, 0x200, 0 },
		{ ".sdmagic", sdmagic, (uint32_t)strlen(sdmagic) + 1, 0 },
		{ ".cmdline", "  console=ttyS0\tquiet \n", 23, 0 },
		{ ".linux", bz, (uint32_t)bz_size, (uint32_t)bz_size },
		{ ".ucode", ucode, sizeof(ucode), sizeof(ucode) },
		{ ".initrd", initrd, sizeof(initrd), sizeof(initrd) },
	};

	return test_pe(sec, 6, size);
}

TEST(sequence_boots_a_unified_kernel_image_as_its_stub)
{
	size_t bz_size, size;
	uint8_t *bz = test_bzimage(&bz_size);
	uint8_t *uki = stub_uki("#### LoaderInfo: systemd-stub 252.39-1~deb12u2 ####",
				bz, bz_size, &size);
	struct session session;
	const struct session *s = &session;
	struct diag d;

	/* 252 knows no .ucode: the initrd alone, then m1 and m2; its
	 * .cmdline with the blanks at its end dropped */
	CHECK_EQ(machine_boot(&session, NULL, uki, size, "", &d), 0);
	CHECK_EQ(s->stub->since.major, 252);
	CHECK_EQ(s->modules[0].size, 0x348 + 5000 + 5000);
	CHECK(!memcmp((const void *)(uintptr_t)s->modules[0].addr, "070701 the", 10));
	CHECK_STR(s->opt.cmdline, "  console=ttyS0 quiet");
	CHECK(!s->uki_cmdline_given);
	/* a line given: cleaned as 252.6 does, and measured */
	CHECK_EQ(machine_boot(&session, NULL, uki, size, " given\t", &d), 0);
	CHECK_STR(s->opt.cmdline, " given");
	CHECK(s->uki_cmdline_given);
	/* one the stub takes for garbage: the .cmdline */
	CHECK_EQ(machine_boot(&session, NULL, uki, size, "\tgiven", &d), 0);
	CHECK_STR(s->opt.cmdline, "  console=ttyS0 quiet");
	CHECK(!s->uki_cmdline_given);
	free(uki);

	/* 256 loads .ucode first; cleans blanks at both ends */
	uki = stub_uki("#### LoaderInfo: systemd-stub 256.7 ####", bz, bz_size, &size);
	CHECK_EQ(machine_boot(&session, NULL, uki, size, "", &d), 0);
	CHECK_EQ(s->modules[0].size, 0x104 + 0x348 + 5000 + 5000);
	CHECK(!memcmp((const void *)(uintptr_t)s->modules[0].addr, "070701 micro", 12));
	CHECK_STR(s->opt.cmdline, "console=ttyS0 quiet");
	free(uki);

	/* 257: "@0 " is its first profile, the whole image without
	 * .profile; it has no other */
	uki = stub_uki("#### LoaderInfo: systemd-stub 257 ####", bz, bz_size, &size);
	CHECK_EQ(machine_boot(&session, NULL, uki, size, "@0 given ", &d), 0);
	CHECK_STR(s->opt.cmdline, "given");
	CHECK(s->uki_cmdline_given);
	CHECK_EQ(s->uki_lines.profile, 0);
	CHECK_EQ(machine_boot(&session, NULL, uki, size, "@0", &d), 0);
	CHECK_STR(s->opt.cmdline, "console=ttyS0 quiet");
	CHECK(!s->uki_cmdline_given);
	CHECK_EQ(machine_boot(&session, NULL, uki, size, "@2 given", &d), ERR_BAD_IMAGE);
	CHECK_CONTAINS(d.msg, "UKI has no profile 2: it has 0");
	free(uki);
	free(bz);
	machine_unreserve();
}

/* A multi-profile image: 257 boots the profile "@N " picks, its sections
 * in place of the base's; 256 refuses it, as efikexec did before it knew
 * profiles */
static uint8_t *profile_uki(const char *sdmagic, const uint8_t *bz,
			    size_t bz_size, size_t *size)
{
	static const char initrd[0x345] = "070701 the initrd";
	static const char other[0x200] = "070701 another";
	const struct test_section sec[] = {
		{ ".text", NULL, 0x200, 0 },
		{ ".sdmagic", sdmagic, (uint32_t)strlen(sdmagic) + 1, 0 },
		{ ".cmdline", "console=ttyS0", 13, 0 },
		{ ".linux", bz, (uint32_t)bz_size, (uint32_t)bz_size },
		{ ".initrd", initrd, sizeof(initrd), sizeof(initrd) },
		{ ".profile", "ID=default", 10, 0 },
		{ ".profile", "ID=rescue\nTITLE=Rescue", 22, 0 },
		{ ".cmdline", "console=ttyS0 rescue", 20, 0 },
		{ ".initrd", other, sizeof(other), sizeof(other) },
	};

	return test_pe(sec, 9, size);
}

TEST(sequence_boots_a_profile_of_a_unified_kernel_image)
{
	size_t bz_size, size;
	uint8_t *bz = test_bzimage(&bz_size);
	uint8_t *uki = profile_uki("#### LoaderInfo: systemd-stub 257.13-1~deb13u1 ####",
				   bz, bz_size, &size);
	struct session session;
	const struct session *s = &session;
	struct diag d;

	CHECK_EQ(machine_boot(&session, NULL, uki, size, "", &d), 0);
	CHECK_STR(s->opt.cmdline, "console=ttyS0");
	CHECK_EQ(s->uki_lines.profile, 0);
	CHECK_EQ(s->uki.sec[UKI_PROFILE].size, 10);
	CHECK(!memcmp((const void *)(uintptr_t)s->modules[0].addr, "070701 the", 10));
	/* "@1 ": the second profile, its own .cmdline and .initrd */
	CHECK_EQ(machine_boot(&session, NULL, uki, size, "@1 ", &d), 0);
	CHECK_STR(s->opt.cmdline, "console=ttyS0 rescue");
	CHECK(!s->uki_cmdline_given);
	CHECK_EQ(s->uki_lines.profile, 1);
	CHECK_EQ(s->uki.sec[UKI_PROFILE].size, 22);
	CHECK(!memcmp((const void *)(uintptr_t)s->modules[0].addr, "070701 another", 14));
	/* with a line of its own */
	CHECK_EQ(machine_boot(&session, NULL, uki, size, "@1 given", &d), 0);
	CHECK_STR(s->opt.cmdline, "given");
	CHECK(s->uki_cmdline_given);
	CHECK_EQ(machine_boot(&session, NULL, uki, size, "@2", &d), ERR_BAD_IMAGE);
	CHECK_CONTAINS(d.msg, "UKI has no profile 2: it has 2");
	free(uki);

	uki = profile_uki("#### LoaderInfo: systemd-stub 256.7 ####", bz, bz_size, &size);
	CHECK_EQ(machine_boot(&session, NULL, uki, size, "", &d), ERR_BAD_IMAGE);
	CHECK_CONTAINS(d.msg, "('.profile') repeats an earlier one");
	free(uki);
	free(bz);
	machine_unreserve();
}

/* systemd-stub 254's add-ons and SMBIOS line: the add-ons of .extra.d it
 * takes, their .cmdline after the image's, then the OEM string
 * io.systemd.stub.kernel-cmdline-extra; each a line measured apart */
TEST(sequence_uki_addons_and_smbios_line)
{
	size_t bz_size, size, a_size, b_size, c_size;
	uint8_t *bz = test_bzimage(&bz_size);
	uint8_t *uki = stub_uki("#### LoaderInfo: systemd-stub 254.26-1~bpo12+1 ####",
				bz, bz_size, &size);
	const struct test_section a[] = {
		{ ".text", NULL, 0x200, 0 },
		{ ".cmdline", "debug\tloglevel=7\n", 16, 0 },
	};
	/* a kernel inside: a UKI, not an add-on */
	const struct test_section b[] = {
		{ ".cmdline", "not=taken", 9, 0 },
		{ ".linux", bz, (uint32_t)bz_size, (uint32_t)bz_size },
	};
	/* nothing 254 takes from one */
	const struct test_section c[] = { { ".dtb", "dtb", 3, 0 } };
	uint8_t *addon_a = test_pe(a, 2, &a_size), *addon_b = test_pe(b, 2, &b_size);
	uint8_t *addon_c = test_pe(c, 1, &c_size);
	static const uint8_t smbios[] = {
		11, 5, 0, 0, 2,
		'o', 't', 'h', 'e', 'r', '=', '1', 0,
		'i', 'o', '.', 's', 'y', 's', 't', 'e', 'm', 'd', '.', 's', 't', 'u',
		'b', '.', 'k', 'e', 'r', 'n', 'e', 'l', '-', 'c', 'm', 'd', 'l', 'i',
		'n', 'e', '-', 'e', 'x', 't', 'r', 'a', '=', 'v', 'm', '=', '1', 0, 0,
		127, 4, 1, 0, 0, 0,
	};
	struct session session;
	const struct session *s = &session;
	struct diag d;

	simulated_extra_d[0] = (struct simulated_file){ "c.addon.efi", addon_c, c_size };
	simulated_extra_d[1] = (struct simulated_file){ "A.Addon.EFI", addon_a, a_size };
	simulated_extra_d[2] = (struct simulated_file){ "b.addon.efi", addon_b, b_size };
	simulated_extra_d[3] = (struct simulated_file){ "d.efi", addon_a, a_size };
	simulated_nextra_d = 4;
	simulated_smbios = smbios;
	simulated_smbios_size = sizeof(smbios);
	CHECK_EQ(machine_boot(&session, NULL, uki, size, "", &d), 0);
	CHECK_STR(s->opt.cmdline, "  console=ttyS0 quiet debug loglevel=7 vm=1");
	CHECK(!s->uki_lines.given);
	CHECK_EQ(s->uki_lines.naddons, 1);
	CHECK_STR(s->uki_lines.addons[0], "debug loglevel=7");
	CHECK_STR(s->uki_lines.smbios, "vm=1");
	/* a line given: measured first, the others after it */
	CHECK_EQ(machine_boot(&session, NULL, uki, size, "given", &d), 0);
	CHECK_STR(s->opt.cmdline, "given debug loglevel=7 vm=1");
	CHECK_STR(s->uki_lines.given, "given");
	simulated_nextra_d = 0;
	simulated_smbios = NULL;
	free(uki);

	/* 253 takes neither */
	uki = stub_uki("#### LoaderInfo: systemd-stub 253.5 ####", bz, bz_size, &size);
	simulated_nextra_d = 2;
	simulated_smbios = smbios;
	CHECK_EQ(machine_boot(&session, NULL, uki, size, "", &d), 0);
	CHECK_STR(s->opt.cmdline, "  console=ttyS0 quiet");
	CHECK_EQ(s->uki_lines.naddons, 0);
	CHECK(!s->uki_lines.smbios);
	simulated_nextra_d = 0;
	simulated_smbios = NULL;
	free(uki);
	free(addon_a);
	free(addon_b);
	free(addon_c);
	free(bz);
	machine_unreserve();
}

/* The add-ons' parts: their devicetrees, which 255 on measure, each
 * taken add-on's .dtb, in the order of the add-ons, named by its file;
 * and, from 257 on, their .ucode, in the reverse order, before the
 * image's initrds, and their .initrd after them (and after the stub's
 * archives); 254 takes none */
TEST(sequence_uki_addon_parts)
{
	size_t bz_size, size, a_size, b_size, c_size;
	uint8_t *bz = test_bzimage(&bz_size);
	uint8_t *uki = stub_uki("#### LoaderInfo: systemd-stub 257.13-1~deb13u1 ####",
				bz, bz_size, &size);
	const struct test_section a[] = {
		{ ".cmdline", " x\t", 3, 0 },
		{ ".dtb", "first dtb", 9, 0 },
		{ ".ucode", "ucode a", 7, 0 },
	};
	const struct test_section b[] = {
		{ ".cmdline", "debug", 5, 0 },
		{ ".initrd", "initrd b", 8, 0 },
		{ ".ucode", "ucode b", 7, 0 },
		{ ".dtb", "second", 6, 0 },
	};
	const struct addon_part *p;
	const uint8_t *initrd;
	/* a kernel inside: not taken, its .dtb neither */
	const struct test_section c[] = {
		{ ".dtb", "not taken", 9, 0 },
		{ ".linux", bz, (uint32_t)bz_size, (uint32_t)bz_size },
	};
	uint8_t *addon_a = test_pe(a, 3, &a_size), *addon_b = test_pe(b, 4, &b_size);
	uint8_t *addon_c = test_pe(c, 2, &c_size);
	struct session session;
	const struct session *s = &session;
	struct diag d;

	simulated_extra_d[0] = (struct simulated_file){ "c.addon.efi", addon_c, c_size };
	simulated_extra_d[1] = (struct simulated_file){ "b.addon.efi", addon_b, b_size };
	simulated_extra_d[2] = (struct simulated_file){ "a.addon.efi", addon_a, a_size };
	simulated_nextra_d = 3;
	CHECK_EQ(machine_boot(&session, NULL, uki, size, "", &d), 0);
	CHECK_EQ(s->uki_lines.naddons, 1);
	/* each add-on's line cleaned before they are joined (257) */
	CHECK_STR(s->uki_lines.addons[0], "x debug");
	/* each kind in its order: the .ucode last first */
	CHECK_EQ(s->uki_lines.nparts, 5);
	p = s->uki_lines.parts;
	CHECK_EQ(p[0].section, UKI_UCODE);
	CHECK_STR(p[0].name, "b.addon.efi");
	CHECK_EQ(p[1].section, UKI_UCODE);
	CHECK_STR(p[1].name, "a.addon.efi");
	CHECK_EQ(p[2].section, UKI_DTB);
	CHECK_STR(p[2].name, "a.addon.efi");
	CHECK_EQ(p[2].size, 9);
	CHECK(!memcmp(p[2].data, "first dtb", 9));
	CHECK_EQ(p[3].section, UKI_DTB);
	CHECK_STR(p[3].name, "b.addon.efi");
	CHECK_EQ(p[3].size, 6);
	CHECK(!memcmp(p[3].data, "second", 6));
	CHECK_EQ(p[4].section, UKI_INITRD);
	CHECK_STR(p[4].name, "b.addon.efi");
	/* the initrd: the add-ons' .ucode, each padded to 4 bytes, the
	 * image's .ucode (0x101 bytes) and .initrd (0x345), then the
	 * add-on's .initrd, then those given */
	initrd = (const uint8_t *)(uintptr_t)s->modules[0].addr;
	CHECK_EQ(s->modules[0].size, 8 + 8 + 0x104 + 0x348 + 8 + 5000 + 5000);
	CHECK(!memcmp(initrd, "ucode b", 7));
	CHECK(!memcmp(initrd + 8, "ucode a", 7));
	CHECK(!memcmp(initrd + 16, "070701 micro", 12));
	CHECK(!memcmp(initrd + 16 + 0x104, "070701 the", 10));
	CHECK(!memcmp(initrd + 16 + 0x104 + 0x348, "initrd b", 8));
	/* at most 32 initrds in all, which add-ons can pass: with 15 like
	 * b, their 30, the image's 2 and the 2 given are refused, saying
	 * how many; with 14, 32 boot */
	static const char *const names[15] = {
		"b00.addon.efi", "b01.addon.efi", "b02.addon.efi", "b03.addon.efi",
		"b04.addon.efi", "b05.addon.efi", "b06.addon.efi", "b07.addon.efi",
		"b08.addon.efi", "b09.addon.efi", "b10.addon.efi", "b11.addon.efi",
		"b12.addon.efi", "b13.addon.efi", "b14.addon.efi",
	};
	for (size_t i = 0; i < 15; i++)
		simulated_extra_d[i] = (struct simulated_file){ names[i], addon_b,
								b_size };
	simulated_nextra_d = 15;
	CHECK_EQ(machine_boot(&session, NULL, uki, size, "", &d), ERR_USAGE);
	CHECK_CONTAINS(d.msg, "'kernel' has 34 initrds, more than 32");
	simulated_nextra_d = 14;
	CHECK_EQ(machine_boot(&session, NULL, uki, size, "", &d), 0);
	CHECK_EQ(s->nmodules, 1);
	CHECK_EQ(s->modules[0].size, 28 * 8 + 0x104 + 0x348 + 5000 + 5000);
	simulated_extra_d[0] = (struct simulated_file){ "c.addon.efi", addon_c, c_size };
	simulated_extra_d[1] = (struct simulated_file){ "b.addon.efi", addon_b, b_size };
	simulated_extra_d[2] = (struct simulated_file){ "a.addon.efi", addon_a, a_size };
	simulated_nextra_d = 3;
	free(uki);

	uki = stub_uki("#### LoaderInfo: systemd-stub 254.26-1~bpo12+1 ####", bz,
		       bz_size, &size);
	CHECK_EQ(machine_boot(&session, NULL, uki, size, "", &d), 0);
	CHECK_EQ(s->uki_lines.naddons, 1);
	CHECK_EQ(s->uki_lines.nparts, 0);
	/* (254 loads no .ucode, the image's neither) */
	CHECK_EQ(s->modules[0].size, 0x348 + 5000 + 5000);
	simulated_nextra_d = 0;
	free(uki);
	free(addon_a);
	free(addon_b);
	free(addon_c);
	free(bz);
	machine_unreserve();
}

/* Under Secure Boot (on, or its state unknown) a unified kernel image is
 * verified whole, and its .linux must then be a Linux kernel: one of
 * another format (here ELF64, which boots with Secure Boot off) is
 * refused, as a kernel file of that format is (with Secure Boot off it
 * boots with modules, and takes no initrd from a 257 stub's add-on). A
 * Linux one boots, with the image's own initrd and without the ones
 * given. */
TEST(sequence_under_secure_boot_boots_only_linux_from_a_uki)
{
	size_t elf_size = 0x4000, bz_size, size;
	uint8_t *elf = test_elf(true, 62, 0x1000040, kernel, 2, elf_size);
	uint8_t *bz = test_bzimage(&bz_size);
	static const char initrd[0x100] = "070701 the initrd";
	struct test_section sec[] = {
		{ ".text", NULL, 0x200, 0 },
		{ ".osrel", "ID=test\n", 8, 0 },
		{ ".linux", elf, (uint32_t)elf_size, (uint32_t)elf_size },
		{ ".initrd", initrd, sizeof(initrd), sizeof(initrd) },
	};
	uint8_t *uki = test_pe(sec, 4, &size);
	struct session s;
	struct diag d;

	/* Secure Boot off: taken for the ELF64 kernel it is (which the
	 * simulated machine's two initrds do not suit) */
	CHECK_EQ(machine_boot(&s, NULL, uki, size, "", &d), ERR_USAGE);
	CHECK_CONTAINS(d.msg, "give a elf64 kernel its modules");
	simulated_secure_boot = SECURE_BOOT_ENABLED;
	CHECK_EQ(machine_boot(&s, NULL, uki, size, "", &d), ERR_UNSUPPORTED);
	CHECK_CONTAINS(d.msg, "Secure Boot is on, and the .linux section of unified kernel image 'kernel' is a elf64 kernel, not Linux");
	CHECK(!s.checking);
	simulated_secure_boot = SECURE_BOOT_UNKNOWN;
	CHECK_EQ(machine_boot(&s, NULL, uki, size, "", &d), ERR_UNSUPPORTED);
	CHECK_CONTAINS(d.msg, "Secure Boot is taken as on");
	simulated_secure_boot = SECURE_BOOT_UNSET;
	free(uki);
	/* with modules, on a 257 stub with an add-on: its .cmdline taken,
	 * its .ucode and .initrd not, nor measured */
	{
		const struct test_section b[] = {
			{ ".cmdline", "debug", 5, 0 },
			{ ".initrd", "initrd b", 8, 0 },
			{ ".ucode", "ucode b", 7, 0 },
		};
		const struct test_section with_magic[] = {
			sec[0], sec[1], sec[2],
			{ ".sdmagic", "#### LoaderInfo: systemd-stub 257.13 ####", 42, 0 },
		};
		size_t b_size;
		uint8_t *addon_b = test_pe(b, 3, &b_size);

		uki = test_pe(with_magic, 4, &size);
		simulated_extra_d[0] = (struct simulated_file){ "b.addon.efi", addon_b, b_size };
		simulated_nextra_d = 1;
		simulated_no_initrds = true;
		CHECK_EQ(machine_boot(&s, NULL, uki, size, "", &d), 0);
		CHECK_STR(s.plan.format, "elf64");
		CHECK_EQ(s.uki_lines.naddons, 1);
		CHECK_EQ(s.uki_lines.nparts, 0);
		simulated_no_initrds = false;
		simulated_nextra_d = 0;
		free(uki);
		free(addon_b);
	}

	sec[2] = (struct test_section){ ".linux", bz, (uint32_t)bz_size, (uint32_t)bz_size };
	uki = test_pe(sec, 4, &size);
	simulated_secure_boot = SECURE_BOOT_ENABLED;
	CHECK_EQ(machine_boot(&s, NULL, uki, size, "", &d), 0);
	CHECK_STR(s.plan.format, "linux");
	CHECK_EQ(s.nmodules, 1);
	/* and what the stub adds whatever the Secure Boot state: here
	 * /.extra/os-release */
	CHECK_EQ(s.nextras, 1);
	CHECK_EQ(s.modules[0].size, sizeof(initrd) + s.extras[0].size);
	simulated_secure_boot = SECURE_BOOT_UNSET;
	free(uki);
	free(bz);
	free(elf);
	machine_unreserve();
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

/* Boots the Linux kernel img, read from a file: parsed from its head,
 * placed, then read straight to its destination behind its setup code,
 * so that the trampoline has nothing to copy, and measured whole from
 * there. */
static void check_read_to_place(const uint8_t *img, size_t size)
{
	struct session session;
	const struct session *s = &session;
	const struct segment *k = &s->plan.seg[0];
	struct diag d;

	CHECK_EQ(machine_boot(&session, NULL, img, size, "", &d), 0);
	CHECK(s->copied_why == NULL);
	CHECK_STR(k->what, "kernel");
	CHECK_EQ(k->src, k->dst);
	CHECK_EQ(k->bufsz, size - TEST_BZ_SETUP_BYTES);
	CHECK(!memcmp((const void *)(uintptr_t)k->dst, img + TEST_BZ_SETUP_BYTES,
		      size - TEST_BZ_SETUP_BYTES));
	CHECK_EQ(phys_of(s->files.file[0].data), k->dst - TEST_BZ_SETUP_BYTES);
	CHECK(!memcmp(s->files.file[0].data, img, size));
}

TEST(sequence_reads_a_linux_kernel_to_its_place)
{
	size_t small, size = 2 * KERNEL_HEAD_SIZE + 0x1234;
	uint8_t *bz = test_bzimage(&small), *big = malloc(size);
	struct session session;
	const struct session *s = &session;
	const struct segment *k = &s->plan.seg[0];
	struct diag d;

	/* all of it in the head that is read first */
	check_read_to_place(bz, small);
	/* a head, then the rest */
	memcpy(big, bz, small);
	for (size_t i = small; i < size; i++)
		big[i] = (uint8_t)(i * 13);
	put32(big + HDR_OFF(syssize), (uint32_t)((size - TEST_BZ_SETUP_BYTES + 15) / 16));
	check_read_to_place(big, size);

	/* in memory already, where a Multiboot loader put it: copied */
	simulated_boot_services = false;
	CHECK_EQ(machine_boot(&session, NULL, big, size, "", &d), 0);
	simulated_boot_services = true;
	CHECK(k->src != k->dst);
	CHECK(s->copied_why != NULL);
	/* not relocatable, its place partly boot-services data now: read to
	 * fresh pages, copied once the machine is left */
	big[HDR_OFF(relocatable_kernel)] = 0;
	put32(big + HDR_OFF(pref_address), 0x800000);
	CHECK_EQ(machine_boot(&session, NULL, big, size, "", &d), 0);
	CHECK_EQ(k->dst, 0x800000);
	CHECK(k->src != k->dst);
	CHECK(!memcmp((const void *)(uintptr_t)k->src, big + TEST_BZ_SETUP_BYTES,
		      size - TEST_BZ_SETUP_BYTES));
	CHECK(s->copied_why != NULL);
	free(big);
	free(bz);
	machine_unreserve();
}

/* A kernel whose fixed place lies below its own file offset (pref_address
 * 0x1000, not relocatable, 8 setup sectors: the protected-mode code is at
 * 0x1200 in the file): the file's head cannot go below its place, so it is
 * read to fresh pages and copied, never written at its place minus its
 * offset: an address that wrapped below 0, written before the Secure Boot
 * check (the fuzzers' seed test/fuzz/seeds/linux/read-to-place-wrap is
 * such a file). */
TEST(sequence_never_reads_a_kernel_below_address_0)
{
	size_t small, setup = 9 * 512, size = setup + 0x4000;
	uint8_t *bz = test_bzimage(&small), *img = calloc(1, size);
	struct session session;
	const struct session *s = &session;
	const struct segment *k = &s->plan.seg[0];
	struct diag d;

	memcpy(img, bz, SETUP_HEADER_OFFSET + 0x70);
	img[HDR_OFF(setup_sects)] = 8;
	img[HDR_OFF(relocatable_kernel)] = 0;
	put32(img + HDR_OFF(pref_address), 0x1000);
	put32(img + HDR_OFF(init_size), 0x10000);
	put32(img + HDR_OFF(syssize), (uint32_t)((size - setup) / 16));
	for (size_t i = setup; i < size; i++)
		img[i] = (uint8_t)(i * 13);
	CHECK_EQ(machine_boot(&session, &linux_format, img, size, "", &d), 0);
	CHECK_EQ(k->dst, 0x1000);
	CHECK(k->src != k->dst);
	CHECK_CONTAINS(s->copied_why, "does not fit below its place");
	CHECK(!memcmp((const void *)(uintptr_t)k->src, img + setup, size - setup));
	free(img);
	free(bz);
	machine_unreserve();
}

/* --verify: efikexec's own image is kept out of every destination (the
 * trampoline calls its C code after the copies; test_relocate checks the
 * digests themselves). */
TEST(sequence_with_verify_keeps_efikexec)
{
	uint8_t *img = test_elf(true, 62, 0x1000040, kernel, 2, 0x4000);
	struct session s;
	const struct plan *p = &s.plan;
	struct diag d;

	CHECK_EQ(machine_boot(&s, &elf64_format, img, 0x4000, "", &d), 0);
	CHECK(!kept(p, "efikexec"));
	simulated_verify = true;
	CHECK_EQ(machine_boot(&s, &elf64_format, img, 0x4000, "", &d), 0);
	simulated_verify = false;
	CHECK(kept(p, "efikexec"));
	free(img);
	machine_unreserve();
}

/* Each boot works in the session its caller hands it (core/session.h):
 * two held at once, booted one after the other with different kernels
 * and command lines, each has its own plan, and neither the second boot
 * nor a failed third one changes a byte of the first. */
TEST(sequence_sessions_are_independent)
{
	uint8_t *elf = test_elf(true, 62, 0x1000040, kernel, 2, 0x4000);
	static const uint8_t junk[4096] = { 'J', 'U', 'N', 'K' };
	size_t bz_size;
	uint8_t *bz = test_bzimage(&bz_size);
	struct session *first = malloc(sizeof(*first));
	struct session *second = malloc(sizeof(*second));
	struct session *third = malloc(sizeof(*third));
	struct session *before = malloc(sizeof(*before));
	struct diag d;

	CHECK_EQ(machine_boot(first, &elf64_format, elf, 0x4000, "first", &d), 0);
	memcpy(before, first, sizeof(*first));
	CHECK_EQ(machine_boot(second, NULL, bz, bz_size, "second", &d), 0);
	CHECK(machine_boot(third, &elf64_format, junk, sizeof(junk), "third",
			   &d) != 0);
	CHECK(!memcmp(first, before, sizeof(*first)));
	CHECK_STR(first->plan.format, "elf64");
	CHECK_STR(first->opt.cmdline, "first");
	CHECK_EQ(first->plan.entry.rip, 0x1000040);
	CHECK_STR(second->plan.format, "linux");
	CHECK_STR(second->opt.cmdline, "second");
	CHECK(second->plan.entry.rip != first->plan.entry.rip);
	CHECK(second->fmt != first->fmt);
	free(before);
	free(third);
	free(second);
	free(first);
	free(bz);
	free(elf);
	machine_unreserve();
}

/* The SHA-256 of size bytes at data, as a pin */
static struct pin pin_of(const void *data, size_t size)
{
	struct pin p = { .set = true };
	struct sha256 c;

	sha256_init(&c);
	sha256_update(&c, data, size);
	sha256_final(&c, p.sha256);
	return p;
}

/* A "#sha256=" pin on the kernel and on a module: the files that match
 * boot; one that does not is refused, naming it, before anything is
 * planned */
TEST(sequence_checks_pins)
{
	uint8_t *img = test_elf(true, 62, 0x1000040, kernel, 2, 0x4000);
	uint8_t m1 = 1, m2 = 2, bytes[5000] = { 0 };
	struct session s;
	struct diag d;

	simulated_pins[0] = pin_of(img, 0x4000);
	bytes[0] = m1;
	simulated_pins[1] = pin_of(bytes, sizeof(bytes));
	bytes[0] = m2;
	simulated_pins[2] = pin_of(bytes, sizeof(bytes));
	CHECK_EQ(machine_boot(&s, &elf64_format, img, 0x4000, "", &d), 0);
	CHECK(s.files.file[0].pin->set);

	simulated_pins[2].sha256[31] ^= 1;
	CHECK_EQ(machine_boot(&s, &elf64_format, img, 0x4000, "", &d), ERR_BAD_IMAGE);
	CHECK_CONTAINS(d.msg, "module 'm2' does not match its pin: its sha256 is ");
	CHECK(!s.checking);
	simulated_pins[2].set = false;

	img[0x1000] ^= 0xff; /* a byte of the kernel's text */
	CHECK_EQ(machine_boot(&s, &elf64_format, img, 0x4000, "", &d), ERR_BAD_IMAGE);
	CHECK_CONTAINS(d.msg, "kernel 'kernel' does not match its pin");
	CHECK_EQ(s.nmodules, 0);
	memset(simulated_pins, 0, sizeof(simulated_pins));
	free(img);
	machine_unreserve();
}

/* A pinned Linux kernel is read whole, and checked, before its header
 * is parsed: not read to its place */
TEST(sequence_checks_a_pinned_kernel_before_parsing_it)
{
	size_t small;
	uint8_t *bz = test_bzimage(&small);
	struct session s;
	struct diag d;

	simulated_pins[0] = pin_of(bz, small);
	CHECK_EQ(machine_boot(&s, NULL, bz, small, "", &d), 0);
	CHECK_STR(s.copied_why, "it is pinned: checked whole before it is parsed");
	/* so are its initrds, concatenated */
	simulated_pins[1] = pin_of(bz, small);
	CHECK_EQ(machine_boot(&s, NULL, bz, small, "", &d), ERR_BAD_IMAGE);
	CHECK_CONTAINS(d.msg, "initrd 'm1' does not match its pin");
	simulated_pins[1].set = false;
	/* a header that no longer parses: the pin says so first */
	memset(bz + 0x202, 0, 4);
	CHECK_EQ(machine_boot(&s, NULL, bz, small, "", &d), ERR_BAD_IMAGE);
	CHECK_CONTAINS(d.msg, "kernel 'kernel' does not match its pin");
	simulated_pins[0].set = false;
	CHECK(machine_boot(&s, NULL, bz, small, "", &d) != 0);
	CHECK(strstr(d.msg, "pin") == NULL);
	free(bz);
	machine_unreserve();
}
