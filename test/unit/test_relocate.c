#include <stdlib.h>
#include <string.h>

#include "cpu/policy.h"
#include "harness.h"
#include "lib/sha256.h"
#include "relocate/relocate.h"
#include "mm/alloc.h"
#include "relocate/reloc_params.h"

extern const unsigned char reloc_tramp_start[];
extern const unsigned char reloc_tramp_end[];
extern const unsigned char reloc_fault_stubs[];

static const unsigned char endbr64[4] = { 0xf3, 0x0f, 0x1e, 0xfa };

/* The parameter block in a prepared area, found by its cr3. */
static struct reloc_params *find_params(unsigned char *area, uint64_t cr3)
{
	size_t code = (size_t)(reloc_tramp_end - reloc_tramp_start);

	for (size_t off = (code + 63) & ~(size_t)63; off < relocate_area_size(); off += 64)
		if (((struct reloc_params *)(area + off))->cr3 == cr3)
			return (struct reloc_params *)(area + off);
	return NULL;
}

TEST(relocate_prepare_copies_code_and_plan)
{
	size_t size = relocate_area_size();
	unsigned char *area = aligned_alloc(4096, size);
	struct plan p = { .format = "test", .flush_cache = true };
	size_t code = (size_t)(reloc_tramp_end - reloc_tramp_start);
	struct diag d;

	CHECK_EQ(size % 4096, 0);
	CHECK(size >= code + sizeof(struct reloc_params) + 4096);
	plan_add_segment(&p, &(struct segment){ .what = "kernel", .src = 0x5000000,
		.bufsz = 0x1234, .dst = 0x1000000, .memsz = 0x3000, .zero_fill = true }, &d);
	plan_add_segment(&p, &(struct segment){ .what = "initrd", .src = 0x7000000,
		.bufsz = 0x10, .dst = 0x7000000, .memsz = 0x1000 }, &d);
	p.entry = (struct entry_state){ .mode = ENTRY_LONG64, .rip = 0x1000200,
					.rax = 1, .rbx = 2, .rsi = 0x9000, .rdi = 4 };
	memset(area, 0xaa, size);
	relocate_prepare(area, &p, 0x8000000);

	CHECK(!memcmp(area, reloc_tramp_start, code));
	struct reloc_params *rp = find_params(area, 0x8000000);
	CHECK(rp != NULL);
	if (!rp)
		return;
	CHECK_EQ(rp->cache_flush, 1);
	CHECK_EQ(rp->entry, 0x1000200);
	CHECK_EQ(rp->rax, 1);
	CHECK_EQ(rp->rbx, 2);
	CHECK_EQ(rp->rsi, 0x9000);
	CHECK_EQ(rp->rdi, 4);
	CHECK_EQ(rp->nseg, 2);
	CHECK_EQ(rp->seg[0].src, 0x5000000);
	CHECK_EQ(rp->seg[0].dst, 0x1000000);
	CHECK_EQ(rp->seg[0].copy, 0x1234);
	CHECK_EQ(rp->seg[0].zero, 0x3000 - 0x1234);
	CHECK_EQ(rp->seg[1].copy, 0x10);
	CHECK_EQ(rp->seg[1].zero, 0); /* no zero fill asked */
	/* the stack is the area's end, 16-byte aligned, above the params */
	CHECK_EQ(rp->stack_top, phys_of(area) + size);
	CHECK(rp->stack_top - 4096 >= phys_of(rp + 1));
	/* the IDTR image covers a gate per vector, which the trampoline
	 * fills in (test/qemu/fault.sh shows them working): zero until then */
	CHECK_EQ(rp->fault_test, 0);
	CHECK_EQ(rp->idt_limit, FAULT_VECTORS * 16 - 1);
	CHECK_EQ(rp->idt_base, phys_of(rp->idt));
	for (size_t v = 0; v < FAULT_VECTORS; v++)
		CHECK_EQ(rp->idt[v].type, 0);
	/* the entry is an indirect branch target: it starts with ENDBR64;
	 * each stub pushes its vector ("push imm8") and jumps to the common
	 * handler, which adds the zero error code (CET is off by then) */
	CHECK(!memcmp(reloc_tramp_start, endbr64, 4));
	for (int v = 0; v < FAULT_VECTORS; v++) {
		CHECK_EQ(reloc_fault_stubs[v * FAULT_STUB_SIZE], 0x6a);
		CHECK_EQ(reloc_fault_stubs[v * FAULT_STUB_SIZE + 1], v);
	}
	/* outside a TDX guest CR4 keeps nothing beyond PAE and LA57 */
	CHECK_EQ(rp->cr4_keep, 0);
	/* no --verify: nothing for the trampoline to call or change */
	CHECK_EQ(rp->verify, 0);
	CHECK_EQ(rp->verify_flip, 0);
	relocate_test_fault(area);
	CHECK_EQ(rp->fault_test, 1);
	free(area);
}

/* What runs outside efikexec's image under the firmware's page tables
 * (docs/secure-boot.md, "NX"): the trampoline's code pages, made
 * executable then read-only, apart from the parameters and the stack it
 * writes; or, for a kernel entered with boot services kept, that kernel's
 * segments, executable and writable, and not its modules. */
TEST(relocate_protections_cover_only_what_runs)
{
	size_t size = relocate_area_size();
	unsigned char *area = aligned_alloc(4096, size);
	size_t code = (size_t)(reloc_tramp_end - reloc_tramp_start);
	struct mem_protect r[RELOCATE_MAX_PROTECT];
	struct plan p = { .format = "test" };
	struct diag d;
	size_t n;

	plan_add_segment(&p, &(struct segment){ .what = "kernel", .src = 0x5000000,
		.bufsz = 0x1234, .dst = 0x1000200, .memsz = 0x2000 }, &d);
	plan_add_segment(&p, &(struct segment){ .what = "module", .src = 0x7000000,
		.bufsz = 0x10, .dst = 0x7000000, .memsz = 0x1000 }, &d);
	plan_add_segment(&p, &(struct segment){ .what = "kernel", .src = 0x6000000,
		.bufsz = 0x10, .dst = 0x2000000, .memsz = 0x1000 }, &d);
	for (int mode = ENTRY_LONG64; mode <= ENTRY_PROT32; mode++) {
		p.entry = (struct entry_state){ .mode = mode, .rip = 0x1000200 };
		relocate_prepare(area, &p, 0x8000000);
		struct reloc_params *rp = find_params(area, 0x8000000);

		n = relocate_protections(area, &p, r);
		CHECK_EQ(n, 1);
		CHECK(!strcmp(r[0].what, "trampoline"));
		CHECK_EQ(r[0].base, phys_of(area));
		CHECK_EQ(r[0].size % 4096, 0);
		CHECK(r[0].size >= code);
		CHECK_EQ(r[0].clear, MEM_ATTR_XP);
		CHECK_EQ(r[0].set, MEM_ATTR_RO);
		/* the parameters and the stack, which stay writable, lie
		 * past the read-only pages */
		CHECK(rp != NULL && phys_of(rp) >= r[0].base + r[0].size);
		CHECK(rp != NULL && rp->stack_top - 4096 >= r[0].base + r[0].size);
	}
	p.entry = (struct entry_state){ .mode = ENTRY_EFI64, .rip = 0x1000200 };
	n = relocate_protections(area, &p, r);
	CHECK_EQ(n, 2);
	/* page-aligned: 0x1000200 + 0x2000 ends in the third page */
	CHECK_EQ(r[0].base, 0x1000000);
	CHECK_EQ(r[0].size, 0x3000);
	CHECK_EQ(r[1].base, 0x2000000);
	CHECK_EQ(r[1].size, 0x1000);
	for (size_t i = 0; i < n; i++) {
		CHECK(!strcmp(r[i].what, "kernel"));
		CHECK_EQ(r[i].clear, MEM_ATTR_XP);
		CHECK_EQ(r[i].set, 0);
	}
	free(area);
}

/* The trampoline's GDT is in its code, whose page is read-only when it
 * loads the selectors: every descriptor has its accessed bit set, so
 * that the CPU writes none of them. */
TEST(relocate_gdt_descriptors_are_accessed)
{
	static const uint64_t descriptors[] = {
		0x00af9b000000ffff, 0x00cf93000000ffff, 0x00cf9b000000ffff,
	};
	size_t code = (size_t)(reloc_tramp_end - reloc_tramp_start);
	size_t found = 0;

	for (size_t off = 0; off + 24 <= code; off += 8) {
		uint64_t q[3];

		memcpy(q, reloc_tramp_start + off, sizeof(q));
		if (!memcmp(q, descriptors, sizeof(q)))
			found++;
	}
	CHECK_EQ(found, 1);
}

/* A TDX guest may not clear CR4.MCE (Linux's relocate_kernel_64.S keeps it
 * there): the trampoline is told to keep it, and only it, for both entry
 * modes; the 32-bit exit masks CR4 with cr4_keep, so PAE and LA57 must
 * never be in it. */
TEST(relocate_keeps_mce_only_in_a_tdx_guest)
{
	unsigned char *area = aligned_alloc(4096, relocate_area_size());
	struct diag d;

	for (int mode = ENTRY_LONG64; mode <= ENTRY_PROT32; mode++)
		for (uint32_t flags = 0; flags < 256; flags++) {
			struct plan p = { .format = "test", .flags = flags };
			plan_add_segment(&p, &(struct segment){ .what = "kernel",
				.src = 0x5000000, .bufsz = 0x1000, .dst = 0x1000000,
				.memsz = 0x1000 }, &d);
			p.entry = (struct entry_state){ .mode = (enum entry_mode)mode,
							.rip = 0x1000000 };
			memset(area, 0, relocate_area_size());
			relocate_prepare(area, &p, 0x9000000);
			struct reloc_params *rp = find_params(area, 0x9000000);
			CHECK(rp != NULL);
			if (!rp)
				break;
			CHECK_EQ(rp->mode, (uint64_t)mode);
			/* CR4.MCE is bit 6 (SDM Vol. 3A §2.5) */
			CHECK_EQ(rp->cr4_keep, flags & EFIKEXEC_TDX_GUEST ? 1u << 6 : 0);
		}
	free(area);
}

static void sha256_of(const void *p, size_t n, uint8_t out[SHA256_SIZE])
{
	struct sha256 c;

	sha256_init(&c);
	sha256_update(&c, p, n);
	sha256_final(&c, out);
}

/* --verify: the digests are taken from the sources when the trampoline is
 * armed, and its check, run over the destinations after the copies, finds
 * a byte that changed there, in a copied segment as in one loaded in
 * place, and says which segment and what it hashes to now. */
TEST(relocate_verify_digests_and_check)
{
	unsigned char *area = aligned_alloc(4096, relocate_area_size());
	uint8_t *src = malloc(5000), *dst = malloc(5000), *initrd = malloc(3000);
	uint8_t want[SHA256_SIZE];
	struct plan p = { .format = "test" };
	struct diag d;

	for (int i = 0; i < 5000; i++)
		src[i] = (uint8_t)(i * 7);
	memset(dst, 0xcc, 5000);
	memset(initrd, 0x5a, 3000);
	plan_add_segment(&p, &(struct segment){ .what = "kernel",
		.src = phys_of(src), .bufsz = 5000, .dst = phys_of(dst),
		.memsz = 0x2000, .zero_fill = true }, &d);
	plan_add_segment(&p, &(struct segment){ .what = "initrd",
		.src = phys_of(initrd), .bufsz = 3000, .dst = phys_of(initrd),
		.memsz = 0x1000 }, &d);
	p.entry = (struct entry_state){ .mode = ENTRY_LONG64, .rip = phys_of(dst) };
	relocate_prepare(area, &p, 0xa000000);
	struct reloc_params *rp = find_params(area, 0xa000000);
	CHECK(rp != NULL);
	if (!rp)
		return;

	relocate_set_verify(area, false);
	sha256_of(src, 5000, want);
	CHECK(!memcmp(rp->seg[0].sha256, want, SHA256_SIZE));
	sha256_of(initrd, 3000, want);
	CHECK(!memcmp(rp->seg[1].sha256, want, SHA256_SIZE));
	CHECK_EQ(rp->verify, (uint64_t)(uintptr_t)relocate_digest);
	CHECK_EQ(rp->verify_flip, 0);

	/* before the copy the destination is not what was loaded; after it,
	 * everything is */
	CHECK_EQ(relocate_digest(rp, rp->now), 0);
	memcpy(dst, src, 5000);
	CHECK_EQ(relocate_digest(rp, rp->now), -1);
	/* (the zero-filled tail is not hashed: it was never loaded) */
	dst[4999] ^= 1;
	CHECK_EQ(relocate_digest(rp, rp->now), 0);
	sha256_of(dst, 5000, want);
	CHECK(!memcmp(rp->now, want, SHA256_SIZE));
	CHECK(memcmp(rp->now, rp->seg[0].sha256, SHA256_SIZE));
	dst[4999] ^= 1;
	initrd[1234] = 0;
	CHECK_EQ(relocate_digest(rp, rp->now), 1);
	initrd[1234] = 0x5a;
	CHECK_EQ(relocate_digest(rp, rp->now), -1);

	/* --verify-test: the trampoline inverts the first byte of the first
	 * destination, which the check then finds */
	relocate_set_verify(area, true);
	CHECK_EQ(rp->verify_flip, phys_of(dst));
	dst[0] = (uint8_t)~dst[0];
	CHECK_EQ(relocate_digest(rp, rp->now), 0);
	free(initrd);
	free(dst);
	free(src);
	free(area);
}
