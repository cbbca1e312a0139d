#include "boot/elf.h"

#include "lib/bytes.h"
#include "lib/mem.h"
#include "lib/range.h"
#include "lib/sizes.h"
#include "mm/pagetable.h"

#define ET_EXEC 2
#define ELFCLASS32 1
#define ELFCLASS64 2
#define ELFDATA2LSB 1
/* Program headers beyond this are not a kernel anyone would write. */
#define MAX_PHNUM 256

bool elf_detect(const uint8_t *img, size_t size)
{
	return size >= 52 && !memcmp(img, "\x7f" "ELF", 4);
}

/* Elf32_Phdr and Elf64_Phdr field offsets (gABI). */
static struct elf_phdr read_phdr(const uint8_t *p, bool is64)
{
	if (is64)
		return (struct elf_phdr){ get32(p), get64(p + 8), get64(p + 16),
				      get64(p + 24), get64(p + 32), get64(p + 40) };
	return (struct elf_phdr){ get32(p), get32(p + 4), get32(p + 8), get32(p + 12),
			      get32(p + 16), get32(p + 20) };
}

bool elf_phdr_at(const uint8_t *img, size_t size, uint16_t i,
		 struct elf_phdr *ph)
{
	bool is64 = img[4] == ELFCLASS64;
	uint64_t phoff, at;
	uint16_t phentsize;

	if (size < (is64 ? 64u : 52u))
		return false;
	phoff = is64 ? get64(img + 32) : get32(img + 28);
	phentsize = get16(img + (is64 ? 54 : 42));
	if (i >= get16(img + (is64 ? 56 : 44)) || phentsize < (is64 ? 56 : 32))
		return false;
	at = phoff + (uint64_t)i * phentsize;
	if (at < phoff || at > size || size - at < phentsize)
		return false;
	*ph = read_phdr(img + at, is64);
	return true;
}

static bool machine_ok(uint16_t m, const uint16_t *machines)
{
	for (; *machines; machines++)
		if (*machines == m)
			return true;
	return false;
}

int elf_parse(const uint8_t *img, size_t size, const uint16_t *machines,
	      enum elf_entry how, struct kernel_layout *out,
	      struct elf_image *info, struct diag *d)
{
	bool is64;
	uint64_t phoff;
	uint16_t phentsize, phnum;
	size_t ehsize;

	if (!elf_detect(img, size))
		return diag_fail(d, ERR_BAD_IMAGE, "not an ELF file");
	if ((img[4] != ELFCLASS32 && img[4] != ELFCLASS64) ||
	    img[5] != ELFDATA2LSB)
		return diag_fail(d, ERR_UNSUPPORTED,
				 "ELF class %u, data encoding %u: only little-endian ELF32 and ELF64",
				 img[4], img[5]);
	is64 = img[4] == ELFCLASS64;
	ehsize = is64 ? 64 : 52;
	if (size < ehsize)
		return diag_fail(d, ERR_BAD_IMAGE,
				 "truncated ELF header: file is %zu bytes", size);
	*info = (struct elf_image){ .is64 = is64, .machine = get16(img + 18) };
	if (get16(img + 16) != ET_EXEC)
		return diag_fail(d, ERR_UNSUPPORTED,
				 "ELF type %u is not an executable (ET_EXEC)",
				 get16(img + 16));
	if (!machine_ok(info->machine, machines))
		return diag_fail(d, ERR_UNSUPPORTED,
				 "ELF machine %u is not one this format boots",
				 info->machine);
	info->entry = is64 ? get64(img + 24) : get32(img + 24);
	phoff = is64 ? get64(img + 32) : get32(img + 28);
	phentsize = get16(img + (is64 ? 54 : 42));
	phnum = get16(img + (is64 ? 56 : 44));
	if (phentsize < (is64 ? 56 : 32) || !phnum || phnum > MAX_PHNUM)
		return diag_fail(d, ERR_BAD_IMAGE,
				 "ELF program headers: %u entries of %u bytes",
				 phnum, phentsize);
	if (phoff > size || (uint64_t)phnum * phentsize > size - phoff)
		return diag_fail(d, ERR_BAD_IMAGE,
				 "ELF program headers at 0x%lx (%u x %u bytes) lie outside the 0x%zx-byte file",
				 phoff, phnum, phentsize, size);

	bool entry_found = false;

	out->nseg = 0;
	info->lo = UINT64_MAX;
	info->hi = 0;
	for (uint16_t i = 0; i < phnum; i++) {
		struct elf_phdr ph = read_phdr(img + phoff + (size_t)i * phentsize, is64);
		struct image_seg *s;

		if (ph.type != PT_LOAD || !ph.memsz)
			continue;
		if (ph.filesz > ph.memsz)
			return diag_fail(d, ERR_BAD_IMAGE,
					 "ELF segment %u: file size 0x%lx exceeds memory size 0x%lx",
					 i, ph.filesz, ph.memsz);
		if (ph.offset > size || ph.filesz > size - ph.offset)
			return diag_fail(d, ERR_BAD_IMAGE,
					 "ELF segment %u: bytes 0x%lx+0x%lx lie outside the 0x%zx-byte file",
					 i, ph.offset, ph.filesz, size);
		if (!range_valid(ph.paddr, ph.memsz) ||
		    !range_valid(ph.vaddr, ph.memsz))
			return diag_fail(d, ERR_BAD_IMAGE,
					 "ELF segment %u: 0x%lx+0x%lx wraps around the address space",
					 i, ph.paddr, ph.memsz);
		for (size_t j = 0; j < out->nseg; j++)
			if (ranges_overlap(ph.paddr, ph.memsz, out->seg[j].addr,
					   out->seg[j].memsz))
				return diag_fail(d, ERR_BAD_IMAGE,
						 "ELF segment %u at 0x%lx+0x%lx overlaps another at 0x%lx+0x%lx",
						 i, ph.paddr, ph.memsz,
						 out->seg[j].addr, out->seg[j].memsz);
		if (out->nseg == LAYOUT_MAX_SEGS)
			return diag_fail(d, ERR_UNSUPPORTED,
					 "more than %d loadable ELF segments",
					 LAYOUT_MAX_SEGS);
		s = &out->seg[out->nseg++];
		*s = (struct image_seg){
			.what = "kernel",
			.offset = ph.offset,
			.filesz = ph.filesz,
			.addr = ph.paddr,
			.memsz = ph.memsz,
			.zero_fill = ph.memsz > ph.filesz,
		};
		uint64_t base = how == ELF_ENTRY_PHYSICAL ? ph.paddr : ph.vaddr;

		if (info->entry >= base && info->entry - base < ph.memsz) {
			info->entry_phys = info->entry - base + ph.paddr;
			entry_found = true;
		}
		if (ph.paddr < info->lo)
			info->lo = ph.paddr;
		if (ph.paddr + ph.memsz > info->hi)
			info->hi = ph.paddr + ph.memsz;
	}
	if (!out->nseg)
		return diag_fail(d, ERR_BAD_IMAGE, "ELF file has no loadable segment");
	if (!entry_found)
		return diag_fail(d, ERR_BAD_IMAGE,
				 "ELF entry point 0x%lx lies outside every loadable segment (at its %s address)",
				 info->entry,
				 how == ELF_ENTRY_PHYSICAL ? "physical" : "virtual");
	return 0;
}

int elf_place_fixed(const struct elf_image *e, const char *kind,
		    struct kernel_layout *out, struct diag *d)
{
	if (e->hi > IDMAP_MAX_TOP)
		return diag_fail(d, ERR_UNSUPPORTED,
				 "%s ends at 0x%lx, beyond what efikexec maps",
				 kind, e->hi);
	out->entry = e->entry_phys;
	out->place = (struct place_req){
		.what = "kernel", .size = e->hi - e->lo, .pref = e->lo,
		.fixed = true, .align = PAGE_SIZE, .min = e->lo,
		.limit = IDMAP_MAX_TOP,
	};
	return 0;
}
