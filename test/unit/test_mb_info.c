/* mb/info.c: the Multiboot information as the loaders in boot-facts.md
 * write it, and as nobody should. */
#include <stdlib.h>
#include <string.h>

#include "boot/multiboot.h"
#include "harness.h"
#include "mb/info.h"
#include "memmap_util.h"

/* 2 MiB of "physical memory" from address 0 */
#define MEM_SIZE MiB(2)
static uint8_t *mem;

static struct mb_phys window(void)
{
	if (!mem)
		mem = malloc(MEM_SIZE);
	return (struct mb_phys){ 0, MEM_SIZE, (uintptr_t)mem };
}

static void reset(void)
{
	window();
	memset(mem, 0, MEM_SIZE);
}

static void w32(uint64_t at, uint32_t v)
{
	memcpy(mem + at, &v, 4);
}

static void w64(uint64_t at, uint64_t v)
{
	memcpy(mem + at, &v, 8);
}

static void wstr(uint64_t at, const char *s)
{
	memcpy(mem + at, s, strlen(s) + 1);
}

static void e820_mb1(uint64_t at, uint64_t base, uint64_t len, uint32_t type)
{
	w32(at, 20);
	w64(at + 4, base);
	w64(at + 12, len);
	w32(at + 20, type);
}

static int parse(struct mb_info *mi, uint32_t magic, uint32_t info,
		 struct diag *d)
{
	struct mb_phys w = window();

	return mb_info_parse(mi, &w, magic, info, d);
}

#define MB1_INFO 0x9500

/* What QEMU 7.2's -kernel writes (hw/i386/multiboot.c): 88 bytes of
 * information, an e820 map from SeaBIOS at 0x9000, the image path first on
 * the command line, module strings "path args". */
static void qemu_info(void)
{
	reset();
	w32(MB1_INFO, MB1_INFO_MEMORY | (1u << 1) | MB1_INFO_CMDLINE |
		      MB1_INFO_MODS | MB1_INFO_MEM_MAP | MB1_INFO_LOADER_NAME);
	w32(MB1_INFO + 4, 639);
	w32(MB1_INFO + 8, 7192); /* never to be used */
	w32(MB1_INFO + 16, 0x10000);
	wstr(0x10000, "build/efikexec.mb x y");
	w32(MB1_INFO + 20, 2);
	w32(MB1_INFO + 24, 0x10100);
	w32(0x10100, 0x100000);
	w32(0x10104, 0x100123);
	w32(0x10108, 0x10200);
	wstr(0x10200, "/tmp/vmlinuz console=ttyS0");
	w32(0x10110, 0x101000);
	w32(0x10114, 0x101000); /* an empty file */
	w32(0x10118, 0x10300);
	wstr(0x10300, "initrd.img");
	w32(MB1_INFO + 64, 0x10400);
	wstr(0x10400, "qemu");
	e820_mb1(0x9000, 0, 0x9fc00, 1);
	e820_mb1(0x9018, 0x9fc00, 0x400, 2);
	e820_mb1(0x9030, 0xf0000, 0x10000, 2);
	e820_mb1(0x9048, 0x100000, 0x3fee0000, 1);
	e820_mb1(0x9060, 0xfffc0000, 0x40000, 2);
	w32(MB1_INFO + 44, 5 * 24);
	w32(MB1_INFO + 48, 0x9000);
}

TEST(mb_info_qemu_mb1)
{
	struct mb_info mi;
	struct mem_range r[16];
	struct memmap m = { r, 0, 16 };
	struct diag d;

	qemu_info();
	CHECK_EQ(parse(&mi, MB1_LOADER_MAGIC, MB1_INFO, &d), 0);
	CHECK_EQ(mi.version, 1);
	CHECK_STR(mi.loader, "qemu");
	CHECK_STR(mi.cmdline, "build/efikexec.mb x y");
	CHECK_EQ(mi.nmod, 2);
	CHECK_EQ(mi.mod[0].start, 0x100000);
	CHECK_EQ(mi.mod[0].end, 0x100123);
	CHECK_STR(mi.mod[0].string, "/tmp/vmlinuz console=ttyS0");
	CHECK_EQ(mi.mod[1].end - mi.mod[1].start, 0);
	CHECK_STR(mi.mod[1].string, "initrd.img");
	CHECK(!mi.has_fb);
	CHECK_EQ(mi.size, 88);
	CHECK_EQ(mi.rsdp, 0);

	CHECK_EQ(mb_info_memmap(&mi, &m, &d), 0);
	CHECK_EQ(m.n, 5);
	/* RAM shrunk to whole pages, the reserved rest grown to them */
	CHECK_EQ(r[0].base, 0);
	CHECK_EQ(r[0].size, 0x9f000);
	CHECK_EQ(r[0].type, MEM_CONVENTIONAL);
	CHECK_EQ(r[1].base, 0x9f000);
	CHECK_EQ(r[1].size, 0x1000);
	CHECK_EQ(r[1].type, MEM_RESERVED);
	CHECK_EQ(r[2].base, 0xf0000);
	CHECK_EQ(r[3].base, 0x100000);
	CHECK_EQ(r[3].size, 0x3fee0000);
	CHECK_EQ(r[3].type, MEM_CONVENTIONAL);
	CHECK_EQ(r[4].base + r[4].size, GiB(4));

	/* the structure, its arrays and strings are all kept */
	CHECK(mi.nkeep >= 7);
	CHECK_EQ(mi.keep[0].base, MB1_INFO);
}

TEST(mb_info_mb1_malformed)
{
	struct mb_info mi;
	struct diag d;

	qemu_info();
	CHECK_EQ(parse(&mi, 0x12345678, MB1_INFO, &d), ERR_UNSUPPORTED);
	CHECK_CONTAINS(d.msg, "not started by a Multiboot loader");

	CHECK_EQ(parse(&mi, MB1_LOADER_MAGIC, MEM_SIZE - 40, &d), ERR_BAD_IMAGE);
	CHECK_CONTAINS(d.msg, "runs outside memory");

	qemu_info();
	w32(MB1_INFO + 20, 1000);
	CHECK_EQ(parse(&mi, MB1_LOADER_MAGIC, MB1_INFO, &d), ERR_UNSUPPORTED);
	CHECK_CONTAINS(d.msg, "1000 modules");

	qemu_info();
	w32(MB1_INFO + 24, MEM_SIZE - 16);
	CHECK_EQ(parse(&mi, MB1_LOADER_MAGIC, MB1_INFO, &d), ERR_BAD_IMAGE);
	CHECK_CONTAINS(d.msg, "module entries");

	/* a string whose NUL is beyond the window */
	qemu_info();
	memset(mem + MEM_SIZE - 8, 'x', 8);
	w32(MB1_INFO + 16, MEM_SIZE - 8);
	CHECK_EQ(parse(&mi, MB1_LOADER_MAGIC, MB1_INFO, &d), ERR_BAD_IMAGE);
	CHECK_CONTAINS(d.msg, "command line");

	qemu_info();
	w32(0x10114, 0xfffff);
	CHECK_EQ(parse(&mi, MB1_LOADER_MAGIC, MB1_INFO, &d), ERR_BAD_IMAGE);
	CHECK_CONTAINS(d.msg, "mod_end");

	qemu_info();
	w32(0x9030, 3); /* an entry too short */
	CHECK_EQ(parse(&mi, MB1_LOADER_MAGIC, MB1_INFO, &d), ERR_BAD_IMAGE);
	CHECK_CONTAINS(d.msg, "offset 48");

	qemu_info();
	w32(0x9048, 0x7fffffff); /* an entry past the map */
	CHECK_EQ(parse(&mi, MB1_LOADER_MAGIC, MB1_INFO, &d), ERR_BAD_IMAGE);

	qemu_info();
	w32(MB1_INFO + 44, MB_INFO_MAX + 1);
	CHECK_EQ(parse(&mi, MB1_LOADER_MAGIC, MB1_INFO, &d), ERR_BAD_IMAGE);
}

TEST(mb_info_mb1_framebuffer_and_no_map)
{
	struct mb_info mi;
	struct framebuffer fb;
	struct mem_range r[4];
	struct memmap m = { r, 0, 4 };
	struct diag d;

	reset();
	w32(MB1_INFO, MB1_INFO_FRAMEBUFFER);
	w64(MB1_INFO + 88, 0xfd000000);
	w32(MB1_INFO + 96, 4096);
	w32(MB1_INFO + 100, 1024);
	w32(MB1_INFO + 104, 768);
	mem[MB1_INFO + 108] = 32;
	mem[MB1_INFO + 109] = MB_FB_RGB;
	memcpy(mem + MB1_INFO + 110, "\x10\x08\x08\x08\x00\x08", 6);
	CHECK_EQ(parse(&mi, MB1_LOADER_MAGIC, MB1_INFO, &d), 0);
	CHECK_EQ(mi.size, 116);
	CHECK(mi.loader == NULL);
	CHECK(mi.cmdline == NULL);
	CHECK(mb_info_framebuffer(&mi, &fb));
	CHECK_EQ(fb.base, 0xfd000000);
	CHECK_EQ(fb.stride, 1024);
	CHECK_EQ(fb.size, 4096 * 768);
	CHECK_EQ(fb.red.pos, 16);
	CHECK_EQ(fb.red.size, 8);
	CHECK_EQ(fb.blue.pos, 0);

	/* mem_upper alone is no memory map */
	CHECK_EQ(mb_info_memmap(&mi, &m, &d), ERR_UNSUPPORTED);
	CHECK_CONTAINS(d.msg, "no memory map");

	/* EGA text is for the console, not for the kernel's framebuffer */
	mem[MB1_INFO + 109] = MB_FB_EGA_TEXT;
	CHECK_EQ(parse(&mi, MB1_LOADER_MAGIC, MB1_INFO, &d), 0);
	CHECK(mi.has_fb);
	CHECK(!mb_info_framebuffer(&mi, &fb));
}

/* ---- Multiboot 2 ---- */

#define MB2_INFO 0x20000

struct tags {
	uint64_t at; /* next tag */
};

static uint64_t tag(struct tags *t, uint32_t type, uint32_t size)
{
	uint64_t at = t->at;

	w32(at, type);
	w32(at + 4, size);
	t->at += (size + 7) & ~7u;
	return at;
}

static void tag_str(struct tags *t, uint32_t type, const char *s)
{
	uint64_t at = tag(t, type, 8 + (uint32_t)strlen(s) + 1);

	wstr(at + 8, s);
}

static void tag_mod(struct tags *t, uint32_t start, uint32_t end, const char *s)
{
	uint64_t at = tag(t, MB2_IT_MODULE, 16 + (uint32_t)strlen(s) + 1);

	w32(at + 8, start);
	w32(at + 12, end);
	wstr(at + 16, s);
}

static void tag_mmap(struct tags *t)
{
	uint64_t at = tag(t, MB2_IT_MMAP, 16 + 3 * 24);

	w32(at + 8, 24);
	w64(at + 16, 0);
	w64(at + 24, 0x9fc00);
	w32(at + 32, 1);
	w64(at + 40, 0x100000);
	w64(at + 48, 0x3ff00000);
	w32(at + 56, 1);
	w64(at + 64, 0x3ff00000);
	w64(at + 72, 0x100000);
	w32(at + 80, 3); /* ACPI */
}

static void rsdp_at(uint8_t *p, uint32_t rsdt, int rev)
{
	uint8_t sum = 0;

	memset(p, 0, 36);
	memcpy(p, "RSD PTR ", 8);
	memcpy(p + 9, "BOCHS ", 6);
	p[15] = (uint8_t)rev;
	memcpy(p + 16, &rsdt, 4);
	for (int i = 0; i < 20; i++)
		sum += p[i];
	p[8] = (uint8_t)-sum;
	if (rev >= 2) {
		uint32_t len = 36;

		memcpy(p + 20, &len, 4);
		sum = 0;
		for (int i = 0; i < 36; i++)
			sum += p[i];
		p[32] = (uint8_t)-sum;
	}
}

static void tag_acpi(struct tags *t, uint32_t type, uint32_t rsdt, int rev)
{
	/* tag 14 holds the first 20 bytes, even of a revision 2 RSDP */
	uint32_t len = type == MB2_IT_ACPI_OLD || rev < 2 ? 20 : 36;
	uint64_t at = tag(t, type, 8 + len);
	uint8_t rsdp[36];

	rsdp_at(rsdp, rsdt, rev);
	memcpy(mem + at + 8, rsdp, len);
}

static void finish(struct tags *t, bool end_tag)
{
	if (end_tag)
		tag(t, MB2_IT_END, 8);
	w32(MB2_INFO, (uint32_t)(t->at - MB2_INFO));
}

/* GRUB 2.06 on UEFI, boot services exited: EFI system table, both ACPI
 * copies, the EFI memory map besides the e820 one. */
static void grub_efi_info(void)
{
	struct tags t = { MB2_INFO + 8 };
	uint64_t at;

	reset();
	tag_str(&t, MB2_IT_CMDLINE, "--initrd initrd vmlinuz console=ttyS0");
	tag_str(&t, MB2_IT_LOADER_NAME, "GRUB 2.06-13+deb12u2");
	tag_mod(&t, 0x200000, 0x300000, "vmlinuz");
	tag_mod(&t, 0x300000, 0x380000, "initrd");
	tag_mmap(&t);
	at = tag(&t, MB2_IT_EFI64, 16);
	w64(at + 8, 0x40000);
	tag_acpi(&t, MB2_IT_ACPI_OLD, 0x3ffe0000, 2);
	tag_acpi(&t, MB2_IT_ACPI_NEW, 0x3ffe0000, 2);
	at = tag(&t, MB2_IT_EFI_MMAP, 16 + 2 * 48);
	w32(at + 8, 48);
	w32(at + 12, 1);
	w32(at + 16, MEM_CONVENTIONAL);
	w64(at + 24, 0);
	w64(at + 40, 0xa0);
	w32(at + 64, MEM_RT_DATA);
	w64(at + 72, 0x100000);
	w64(at + 88, 16);
	w64(at + 96, MEM_ATTR_RUNTIME);
	finish(&t, true);

	/* the system table, its configuration table, the real RSDP */
	w64(0x40000, 0x5453595320494249ull);
	w64(0x40000 + 104, 2);
	w64(0x40000 + 112, 0x41000);
	memcpy(mem + 0x41000, "\x30\x2d\x9d\xeb\x88\x2d\xd3\x11\x9a\x16\x00\x90\x27\x3f\xc1\x4d", 16);
	w64(0x41010, 0x42000);
	memcpy(mem + 0x41018, "\x71\xe8\x68\x88\xf1\xe4\xd3\x11\xbc\x22\x00\x80\xc7\xc3\xb4\xfd", 16);
	w64(0x41028, 0x42000);
	rsdp_at(mem + 0x42000, 0x3ffe0000, 2);
}

TEST(mb_info_grub_efi)
{
	struct mb_info mi;
	struct mem_range r[8];
	struct memmap m = { r, 0, 8 };
	struct diag d;

	grub_efi_info();
	CHECK_EQ(parse(&mi, MB2_LOADER_MAGIC, MB2_INFO, &d), 0);
	CHECK_EQ(mi.version, 2);
	CHECK(!mi.no_end_tag);
	CHECK_STR(mi.loader, "GRUB 2.06-13+deb12u2");
	CHECK_STR(mi.cmdline, "--initrd initrd vmlinuz console=ttyS0");
	CHECK_EQ(mi.nmod, 2);
	CHECK_STR(mi.mod[1].string, "initrd");
	CHECK_EQ(mi.mod[1].start, 0x300000);
	CHECK_EQ(mi.efi_systab, 0x40000);
	/* the firmware's RSDP, not the copy in the tag */
	CHECK_EQ(mi.rsdp, 0x42000);
	CHECK_EQ(mi.rsdp_len, 36);
	CHECK(!mi.rsdp_is_copy);
	CHECK_STR(mi.rsdp_source, "EFI configuration table");
	CHECK_EQ(mi.keep[0].base, MB2_INFO);
	CHECK_EQ(mi.keep[0].size, mi.size);

	/* the EFI map wins over the e820 one */
	CHECK_EQ(mb_info_memmap(&mi, &m, &d), 0);
	CHECK_EQ(m.n, 2);
	CHECK_EQ(r[1].type, MEM_RT_DATA);
	CHECK_EQ(r[1].attr, MEM_ATTR_RUNTIME);
	CHECK_EQ(mi.efi_desc_size, 48);
	CHECK_EQ(mi.efi_desc_version, 1);
}

TEST(mb_info_acpi_copy_and_bios_area)
{
	struct tags t = { MB2_INFO + 8 };
	struct mb_info mi;
	struct diag d;

	/* GRUB on a BIOS: only the copy, the original in 0xE0000-0xFFFFF */
	reset();
	tag_acpi(&t, MB2_IT_ACPI_OLD, 0x7fe1000, 0);
	finish(&t, true);
	rsdp_at(mem + 0xf5a00, 0x1234, 0); /* another one, earlier: not ours */
	mem[0xf5a00 + 16] = 0x34;
	rsdp_at(mem + 0xf5b00, 0x7fe1000, 0);
	CHECK_EQ(parse(&mi, MB2_LOADER_MAGIC, MB2_INFO, &d), 0);
	CHECK_EQ(mi.rsdp, 0xf5b00);
	CHECK(!mi.rsdp_is_copy);
	CHECK_STR(mi.rsdp_source, "BIOS area");

	/* the EBDA's first KiB is searched first */
	w32(0x40e, 0x9fc0);
	rsdp_at(mem + 0x9fc00 + 0x40, 0x7fe1000, 0);
	CHECK_EQ(parse(&mi, MB2_LOADER_MAGIC, MB2_INFO, &d), 0);
	CHECK_EQ(mi.rsdp, 0x9fc40);

	/* nowhere else: the copy, flagged for the front end to keep */
	memset(mem + 0x9fc00, 0, 0x400);
	memset(mem + 0xe0000, 0, 0x20000);
	CHECK_EQ(parse(&mi, MB2_LOADER_MAGIC, MB2_INFO, &d), 0);
	CHECK_EQ(mi.rsdp, MB2_INFO + 16);
	CHECK(mi.rsdp_is_copy);
	CHECK_EQ(mi.rsdp_len, 20);

	/* no tag: what a kernel would find by itself */
	t.at = MB2_INFO + 8;
	finish(&t, true);
	rsdp_at(mem + 0xe1230, 0x7fe1000, 2);
	CHECK_EQ(parse(&mi, MB2_LOADER_MAGIC, MB2_INFO, &d), 0);
	CHECK_EQ(mi.rsdp, 0xe1230);
	CHECK_EQ(mi.rsdp_len, 36);

	/* a broken copy is ignored, not fatal */
	t.at = MB2_INFO + 8;
	tag_acpi(&t, MB2_IT_ACPI_NEW, 0x7fe1000, 2);
	finish(&t, true);
	mem[MB2_INFO + 16 + 30] ^= 1;
	memset(mem + 0xe0000, 0, 0x20000);
	CHECK_EQ(parse(&mi, MB2_LOADER_MAGIC, MB2_INFO, &d), 0);
	CHECK_EQ(mi.rsdp, 0);
}

/* kexec-tools 2.0.25 (kexec-mb2-x86.c): meminfo, mmap, cmdline, loader
 * name, modules; total_size counts module tags without padding, the end
 * tag lies past it and reads as zeros. */
static uint32_t kexec_info(const char *m1, const char *m2, bool end_tag)
{
	struct tags t = { MB2_INFO + 8 };
	uint32_t short_by;

	reset();
	tag(&t, MB2_IT_MEMINFO, 16);
	tag_mmap(&t);
	tag_str(&t, MB2_IT_CMDLINE, "/payload");
	tag_str(&t, MB2_IT_LOADER_NAME, "kexec 2.0.25");
	tag_mod(&t, 0x100000, 0x180000, m1);
	tag_mod(&t, 0x180000, 0x190000, m2);
	short_by = (uint32_t)(-(16 + strlen(m1) + 1) & 7) +
		   (uint32_t)(-(16 + strlen(m2) + 1) & 7);
	if (end_tag)
		tag(&t, MB2_IT_END, 8);
	w32(MB2_INFO, (uint32_t)(t.at - MB2_INFO) - short_by -
		      (end_tag ? 0 : 8) + 8);
	return short_by;
}

TEST(mb_info_kexec_tools_short_total_size)
{
	struct mb_info mi;
	struct diag d;

	/* the padding of both module tags missing (7 + 7 bytes): even the
	 * last module tag crosses total_size */
	CHECK_EQ(kexec_info("vmlinuz console=ttyS0 ro", "initrd.img x=yyy", false), 14);
	CHECK_EQ(parse(&mi, MB2_LOADER_MAGIC, MB2_INFO, &d), 0);
	CHECK(mi.no_end_tag);
	CHECK_STR(mi.loader, "kexec 2.0.25");
	CHECK_STR(mi.cmdline, "/payload");
	CHECK_EQ(mi.nmod, 2);
	CHECK_STR(mi.mod[0].string, "vmlinuz console=ttyS0 ro");
	CHECK_STR(mi.mod[1].string, "initrd.img x=yyy");
	CHECK(mi.size > *(uint32_t *)(mem + MB2_INFO));

	/* with the end tag where kexec-tools writes it (past total_size) */
	kexec_info("vmlinuz", "initrd.img", true);
	CHECK_EQ(parse(&mi, MB2_LOADER_MAGIC, MB2_INFO, &d), 0);
	CHECK_EQ(mi.nmod, 2);
	CHECK(!mi.no_end_tag);
}

TEST(mb_info_mb2_malformed)
{
	struct tags t = { MB2_INFO + 8 };
	struct mb_info mi;
	uint64_t at;
	struct diag d;

	/* GRUB kept boot services: not something efikexec.mb can run in */
	reset();
	tag(&t, MB2_IT_EFI_BS, 8);
	finish(&t, true);
	CHECK_EQ(parse(&mi, MB2_LOADER_MAGIC, MB2_INFO, &d), ERR_UNSUPPORTED);
	CHECK_CONTAINS(d.msg, "EFI boot services running");

	/* a tag that runs past the information */
	reset();
	t.at = MB2_INFO + 8;
	tag_str(&t, MB2_IT_CMDLINE, "a b");
	finish(&t, true);
	w32(MB2_INFO + 12, 100);
	CHECK_EQ(parse(&mi, MB2_LOADER_MAGIC, MB2_INFO, &d), ERR_BAD_IMAGE);
	CHECK_CONTAINS(d.msg, "runs past");

	/* a string without its NUL */
	reset();
	t.at = MB2_INFO + 8;
	at = tag(&t, MB2_IT_LOADER_NAME, 12);
	memcpy(mem + at + 8, "GRUB", 4);
	finish(&t, true);
	CHECK_EQ(parse(&mi, MB2_LOADER_MAGIC, MB2_INFO, &d), ERR_BAD_IMAGE);
	CHECK_CONTAINS(d.msg, "no end");

	/* a tag shorter than its header */
	reset();
	t.at = MB2_INFO + 8;
	tag(&t, MB2_IT_CMDLINE, 4);
	finish(&t, true);
	CHECK_EQ(parse(&mi, MB2_LOADER_MAGIC, MB2_INFO, &d), ERR_BAD_IMAGE);

	/* a module tag too short for its fields */
	reset();
	t.at = MB2_INFO + 8;
	tag(&t, MB2_IT_MODULE, 12);
	finish(&t, true);
	CHECK_EQ(parse(&mi, MB2_LOADER_MAGIC, MB2_INFO, &d), ERR_BAD_IMAGE);
	CHECK_CONTAINS(d.msg, "too short");

	/* absurd sizes */
	reset();
	w32(MB2_INFO, 0xfffffff8);
	CHECK_EQ(parse(&mi, MB2_LOADER_MAGIC, MB2_INFO, &d), ERR_BAD_IMAGE);
	CHECK_CONTAINS(d.msg, "total_size");
	w32(MB2_INFO, 4);
	CHECK_EQ(parse(&mi, MB2_LOADER_MAGIC, MB2_INFO, &d), ERR_BAD_IMAGE);
	CHECK_EQ(parse(&mi, MB2_LOADER_MAGIC, MB2_INFO + 2, &d), ERR_BAD_IMAGE);
	CHECK_EQ(parse(&mi, MB2_LOADER_MAGIC, MEM_SIZE - 4, &d), ERR_BAD_IMAGE);

	/* memory map entries smaller than the structure */
	reset();
	t.at = MB2_INFO + 8;
	at = tag(&t, MB2_IT_MMAP, 16 + 32);
	w32(at + 8, 16);
	finish(&t, true);
	CHECK_EQ(parse(&mi, MB2_LOADER_MAGIC, MB2_INFO, &d), ERR_BAD_IMAGE);
	CHECK_CONTAINS(d.msg, "entry_size 16");

	/* information near the end of memory, total_size beyond it */
	reset();
	w32(MEM_SIZE - 16, 64);
	w32(MEM_SIZE - 8, MB2_IT_CMDLINE);
	w32(MEM_SIZE - 4, 16);
	CHECK_EQ(parse(&mi, MB2_LOADER_MAGIC, MEM_SIZE - 16, &d), ERR_BAD_IMAGE);
}

TEST(mb_info_mb2_framebuffer)
{
	struct tags t = { MB2_INFO + 8 };
	struct mb_info mi;
	struct framebuffer fb;
	uint64_t at;
	struct diag d;

	reset();
	at = tag(&t, MB2_IT_FRAMEBUFFER, 38);
	w64(at + 8, 0x80000000);
	w32(at + 16, 3200);
	w32(at + 20, 800);
	w32(at + 24, 600);
	mem[at + 28] = 32;
	mem[at + 29] = MB_FB_RGB;
	memcpy(mem + at + 32, "\x10\x08\x08\x08\x00\x08", 6);
	finish(&t, true);
	CHECK_EQ(parse(&mi, MB2_LOADER_MAGIC, MB2_INFO, &d), 0);
	CHECK(mb_info_framebuffer(&mi, &fb));
	CHECK_EQ(fb.base, 0x80000000);
	CHECK_EQ(fb.stride, 800);
	CHECK_EQ(fb.green.pos, 8);

	/* a pitch narrower than the width does not add up */
	w32(at + 16, 3000);
	CHECK_EQ(parse(&mi, MB2_LOADER_MAGIC, MB2_INFO, &d), 0);
	CHECK(!mb_info_framebuffer(&mi, &fb));
}

TEST(mb_info_e820_overlaps)
{
	struct tags t = { MB2_INFO + 8 };
	struct mb_info mi;
	struct mem_range r[8];
	struct memmap m = { r, 0, 8 };
	uint64_t at;
	struct diag d;

	/* RAM with a reserved hole inside and an NVS range over its end,
	 * given out of order */
	reset();
	at = tag(&t, MB2_IT_MMAP, 16 + 3 * 24);
	w32(at + 8, 24);
	w64(at + 16, 0x100000);
	w64(at + 24, 0x100000);
	w32(at + 32, 1);
	w64(at + 40, 0x180800);
	w64(at + 48, 0x100);
	w32(at + 56, 2);
	w64(at + 64, 0x1ff000);
	w64(at + 72, 0x2000);
	w32(at + 80, 4);
	finish(&t, true);
	CHECK_EQ(parse(&mi, MB2_LOADER_MAGIC, MB2_INFO, &d), 0);
	CHECK_EQ(mb_info_memmap(&mi, &m, &d), 0);
	CHECK_EQ(m.n, 4);
	CHECK_EQ(r[0].base, 0x100000);
	CHECK_EQ(r[0].size, 0x80000);
	CHECK_EQ(r[1].base, 0x180000);
	CHECK_EQ(r[1].size, 0x1000);
	CHECK_EQ(r[1].type, MEM_RESERVED);
	CHECK_EQ(r[2].base, 0x181000);
	CHECK_EQ(r[2].type, MEM_CONVENTIONAL);
	CHECK_EQ(r[2].base + r[2].size, 0x1ff000);
	CHECK_EQ(r[3].type, MEM_ACPI_NVS);
	CHECK_EQ(r[3].size, 0x2000);

	/* too many ranges for the caller's buffer */
	m.cap = 2;
	CHECK_EQ(mb_info_memmap(&mi, &m, &d), ERR_NO_MEMORY);
}
