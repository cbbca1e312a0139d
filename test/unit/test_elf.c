#include <stdlib.h>

#include "boot/elf.h"
#include "elf_util.h"
#include "harness.h"

static const uint16_t any[] = { EM_386, EM_X86_64, 0 };
static const uint16_t x86_64_only[] = { EM_X86_64, 0 };

/* a higher-half kernel: text at 0xffffffff80100000 loaded at 1 MiB,
 * data with a bss after it */
static const struct test_phdr two[] = {
	{ 1, 0x1000, 0xffffffff80100000ull, 0x100000, 0x2000, 0x2000 },
	{ 4 /* PT_NOTE */, 0x100, 0, 0, 0x10, 0x10 },
	{ 1, 0x3000, 0xffffffff80102000ull, 0x102000, 0x800, 0x5000 },
};

TEST(elf_loads_by_physical_address)
{
	uint8_t *f = test_elf(true, 62, 0xffffffff80100040ull, two, 3, 0x4000);
	struct kernel_layout l;
	struct elf_image e;
	struct diag d;

	CHECK_EQ(elf_parse(f, 0x4000, any, ELF_ENTRY_VIRTUAL, &l, &e, &d), 0);
	CHECK(e.is64);
	CHECK_EQ(l.nseg, 2);
	CHECK_EQ(l.seg[0].offset, 0x1000);
	CHECK_EQ(l.seg[0].addr, 0x100000);
	CHECK_EQ(l.seg[0].filesz, 0x2000);
	CHECK(!l.seg[0].zero_fill);
	CHECK_EQ(l.seg[1].addr, 0x102000);
	CHECK_EQ(l.seg[1].memsz, 0x5000);
	CHECK(l.seg[1].zero_fill);
	CHECK_EQ(e.entry_phys, 0x100040); /* the entry, translated */
	CHECK_EQ(e.lo, 0x100000);
	CHECK_EQ(e.hi, 0x107000);
	free(f);

	const struct test_phdr one32[] = { { 1, 0x80, 0x200000, 0x200000, 0x100, 0x200 } };
	f = test_elf(false, 3, 0x200000, one32, 1, 0x200);
	CHECK_EQ(elf_parse(f, 0x200, any, ELF_ENTRY_VIRTUAL, &l, &e, &d), 0);
	CHECK(!e.is64);
	CHECK_EQ(e.entry_phys, 0x200000);
	CHECK_EQ(elf_parse(f, 0x200, x86_64_only, ELF_ENTRY_VIRTUAL, &l, &e, &d), ERR_UNSUPPORTED);
	CHECK_CONTAINS(d.msg, "ELF machine 3");
	free(f);
}

/* mutate one program header of `two` and expect an error */
static void expect_bad(struct test_phdr *ph, size_t n, uint64_t entry, size_t size,
		       const char *text)
{
	uint8_t *f = test_elf(true, 62, entry, ph, n, size);
	struct kernel_layout l;
	struct elf_image e;
	struct diag d;

	CHECK_EQ(elf_parse(f, size, any, ELF_ENTRY_VIRTUAL, &l, &e, &d), ERR_BAD_IMAGE);
	CHECK_CONTAINS(d.msg, text);
	free(f);
}

TEST(elf_malformed)
{
	struct test_phdr ph[3];
	const uint64_t entry = 0xffffffff80100040ull;

	for (int i = 0; i < 3; i++)
		ph[i] = two[i];
	ph[2].offset = 0x3c00; /* segment runs past the end of the file */
	expect_bad(ph, 3, entry, 0x4000, "segment 2: bytes 0x3c00+0x800 lie outside");
	ph[2] = two[2];
	ph[2].filesz = 0x6000;
	expect_bad(ph, 3, entry, 0x10000, "file size 0x6000 exceeds memory size 0x5000");
	ph[2] = two[2];
	ph[2].paddr = 0x101000; /* overlaps segment 0 */
	expect_bad(ph, 3, entry, 0x4000, "overlaps another at 0x100000+0x2000");
	ph[2] = two[2];
	ph[2].paddr = 0xfffffffffffff000ull; /* wraps */
	expect_bad(ph, 3, entry, 0x4000, "wraps around");
	ph[2] = two[2];
	expect_bad(ph, 3, 0x1234, 0x4000, "entry point 0x1234 lies outside every loadable segment");
	ph[0].type = ph[2].type = 4;
	expect_bad(ph, 3, entry, 0x4000, "no loadable segment");

	/* the program header table itself outside the file */
	uint8_t *f = test_elf(true, 62, entry, two, 3, 0x4000);
	struct kernel_layout l;
	struct elf_image e;
	struct diag d;
	f[32] = 0xf0; /* phoff 0x3ff0: the table runs past the end */
	f[33] = 0x3f;
	CHECK_EQ(elf_parse(f, 0x4000, any, ELF_ENTRY_VIRTUAL, &l, &e, &d), ERR_BAD_IMAGE);
	CHECK_CONTAINS(d.msg, "program headers at 0x3ff0 (3 x 56 bytes) lie outside the 0x4000-byte file");
	f[32] = 64;
	f[33] = 0;
	f[56] = 0; /* phnum */
	CHECK_EQ(elf_parse(f, 0x4000, any, ELF_ENTRY_VIRTUAL, &l, &e, &d), ERR_BAD_IMAGE);
	f[56] = 3;
	f[16] = 3; /* ET_DYN */
	CHECK_EQ(elf_parse(f, 0x4000, any, ELF_ENTRY_VIRTUAL, &l, &e, &d), ERR_UNSUPPORTED);
	CHECK_CONTAINS(d.msg, "not an executable");
	CHECK_EQ(elf_parse(f, 40, any, ELF_ENTRY_VIRTUAL, &l, &e, &d), ERR_BAD_IMAGE);
	CHECK_CONTAINS(d.msg, "not an ELF file");
	free(f);
}

/* Linux's vmlinux: e_entry is the physical address (boot/vmlinux.c) */
TEST(elf_physical_entry)
{
	uint8_t *f = test_elf(true, 62, 0x100040, two, 3, 0x4000);
	struct kernel_layout l;
	struct elf_image e;
	struct diag d;

	CHECK_EQ(elf_parse(f, 0x4000, any, ELF_ENTRY_PHYSICAL, &l, &e, &d), 0);
	CHECK_EQ(e.entry, 0x100040);
	CHECK_EQ(e.entry_phys, 0x100040);
	/* the same entry read as virtual lies nowhere */
	CHECK_EQ(elf_parse(f, 0x4000, any, ELF_ENTRY_VIRTUAL, &l, &e, &d), ERR_BAD_IMAGE);
	CHECK_CONTAINS(d.msg, "(at its virtual address)");
	free(f);
	/* and a virtual entry read as physical */
	f = test_elf(true, 62, 0xffffffff80100040ull, two, 3, 0x4000);
	CHECK_EQ(elf_parse(f, 0x4000, any, ELF_ENTRY_PHYSICAL, &l, &e, &d), ERR_BAD_IMAGE);
	CHECK_CONTAINS(d.msg, "(at its physical address)");
	free(f);
}

TEST(elf_phdr_at_reads_what_the_bytes_hold)
{
	uint8_t *f = test_elf(true, 62, 0x100040, two, 3, 0x4000);
	struct elf_phdr ph;

	CHECK(elf_phdr_at(f, 0x4000, 2, &ph));
	CHECK_EQ(ph.type, PT_LOAD);
	CHECK_EQ(ph.paddr, 0x102000);
	CHECK_EQ(ph.memsz, 0x5000);
	CHECK(!elf_phdr_at(f, 0x4000, 3, &ph));       /* past e_phnum */
	CHECK(!elf_phdr_at(f, 64 + 2 * 56 + 55, 2, &ph)); /* cut short */
	CHECK(elf_phdr_at(f, 64 + 3 * 56, 2, &ph));
	f[32] = 0xff; /* phoff near the top: no wrap */
	for (int i = 33; i < 40; i++)
		f[i] = 0xff;
	CHECK(!elf_phdr_at(f, 0x4000, 1, &ph));
	free(f);
}
