#include "relocate.h"

#include "cpu/policy.h"
#include "cpu/x86.h"
#include "lib/mem.h"
#include "lib/range.h"
#include "lib/sizes.h"
#include "mm/alloc.h"
#include "mm/memmap.h"
#include "relocate/reloc_params.h"

/* The trampoline code, relocate/trampoline.asm; hidden: the image reaches
 * it RIP-relative, with no GOT entry to relocate. */
#define HIDDEN __attribute__((visibility("hidden")))
extern const unsigned char reloc_tramp_start[] HIDDEN;
extern const unsigned char reloc_tramp_end[] HIDDEN;

#define STACK_SIZE 4096u

_Static_assert(offsetof(struct reloc_params, rax) == offsetof(struct reloc_params, entry) + 8 &&
		       offsetof(struct reloc_params, rbx) == offsetof(struct reloc_params, entry) + 16 &&
		       offsetof(struct reloc_params, rsi) == offsetof(struct reloc_params, entry) + 24 &&
		       offsetof(struct reloc_params, rdi) == offsetof(struct reloc_params, entry) + 32,
	       "reloc_params: entry, rax, rbx, rsi, rdi");
_Static_assert(offsetof(struct entry_state, rax) == offsetof(struct entry_state, rip) + 8 &&
		       offsetof(struct entry_state, rbx) == offsetof(struct entry_state, rip) + 16 &&
		       offsetof(struct entry_state, rsi) == offsetof(struct entry_state, rip) + 24 &&
		       offsetof(struct entry_state, rdi) == offsetof(struct entry_state, rip) + 32,
	       "entry_state: rip, rax, rbx, rsi, rdi");

static size_t code_size(void)
{
	return (size_t)(reloc_tramp_end - reloc_tramp_start);
}

/* The parameters on the page after the code: the code's pages can be
 * made read-only once copied (relocate_protections()). */
static size_t params_offset(void)
{
	return align_up(code_size(), PAGE_SIZE);
}

static struct reloc_params *params_of(void *area)
{
	return (struct reloc_params *)((unsigned char *)area + params_offset());
}

size_t relocate_area_size(void)
{
	return align_up(params_offset() + sizeof(struct reloc_params) +
				STACK_SIZE,
			PAGE_SIZE);
}

void relocate_prepare(void *area, const struct plan *p, uint64_t cr3)
{
	struct reloc_params *rp = params_of(area);

	memcpy(area, reloc_tramp_start, code_size());
	memset(rp, 0, sizeof(*rp));
	rp->cr3 = cr3;
	rp->mode = p->entry.mode;
	/* 16-byte aligned top of the area's last bytes */
	rp->stack_top = ((uint64_t)(uintptr_t)area + relocate_area_size()) & ~15ull;
	rp->cache_flush = p->flush_cache;
	rp->cr4_keep = p->flags & EFIKEXEC_TDX_GUEST ? RELOC_CR4_MCE : 0;
	/* entry, rax, rbx, rsi and rdi at once: the same five words in
	 * the same order in both (asserted below) */
	memcpy(&rp->entry, &p->entry.rip, 5 * sizeof(uint64_t));
	/* every exception to its stub in the copy (the trampoline fills in
	 * the gates): a fault after ExitBootServices is reported, not a
	 * silent reset */
	rp->idt_limit = sizeof(rp->idt) - 1;
	rp->idt_base = (uint64_t)(uintptr_t)rp->idt;
	rp->nseg = p->nseg;
	for (size_t i = 0; i < p->nseg; i++) {
		const struct segment *s = &p->seg[i];
		struct reloc_seg *g = &rp->seg[i];

		/* (field by field: the memset above cleared the digest) */
		g->src = s->src;
		g->dst = s->dst;
		g->copy = s->bufsz;
		g->zero = s->zero_fill ? s->memsz - s->bufsz : 0;
	}
}

size_t relocate_protections(const void *area, const struct plan *p,
			    struct mem_protect *out)
{
	size_t n = 0;

	if (p->entry.mode != ENTRY_EFI64) {
		out[n++] = (struct mem_protect){ "trampoline", phys_of(area),
			params_offset(), MEM_ATTR_XP, MEM_ATTR_RO };
		return n;
	}
	for (size_t i = 0; i < p->nseg && n < RELOCATE_MAX_PROTECT; i++) {
		const struct segment *s = &p->seg[i];
		uint64_t lo = align_down(s->dst, PAGE_SIZE);

		/* (plan_validate() checked that no segment wraps) */
		if (strcmp(s->what, "kernel") || !s->memsz)
			continue;
		out[n++] = (struct mem_protect){ "kernel", lo,
			align_up(s->dst + s->memsz, PAGE_SIZE) - lo, MEM_ATTR_XP, 0 };
	}
	return n;
}

_Noreturn void relocate_jump(void *area)
{
	void (*tramp)(struct reloc_params *) =
		(void (*)(struct reloc_params *))area;

	tramp(params_of(area));
	__builtin_unreachable();
}

void relocate_test_fault(void *area)
{
	params_of(area)->fault_test = 1;
}

void relocate_set_stamps(void *area, uint64_t *stamps)
{
	params_of(area)->stamp_addr = (uint64_t)(uintptr_t)stamps;
}

int relocate_digest(struct reloc_params *rp, uint8_t *now)
{
	for (size_t i = 0; i < rp->nseg; i++) {
		struct reloc_seg *g = &rp->seg[i];
		uint8_t *out = now ? now : g->sha256;
		struct sha256 c;

		sha256_init(&c);
		sha256_update(&c, (const void *)(uintptr_t)(now ? g->dst : g->src),
			      g->copy);
		sha256_final(&c, out);
		/* (out is the record itself when taking them) */
		if (memcmp(out, g->sha256, SHA256_SIZE))
			return (int)i;
	}
	return -1;
}

void relocate_set_verify(void *area, bool test)
{
	struct reloc_params *rp = params_of(area);

	relocate_digest(rp, NULL);
	rp->verify = (uint64_t)(uintptr_t)relocate_digest;
	if (test)
		rp->verify_flip = rp->seg[0].dst;
}

/* relocate/enter_efi.asm */
_Noreturn void reloc_enter_efi(uint64_t rip, uint64_t rax, uint64_t rbx) HIDDEN;

_Noreturn void relocate_enter_efi64(const struct plan *p, uint64_t *stamps)
{
	for (size_t i = 0; i < p->nseg; i++) {
		const struct segment *s = &p->seg[i];
		uint8_t *dst = (uint8_t *)(uintptr_t)s->dst;

		if (s->src != s->dst)
			memmove(dst, (const void *)(uintptr_t)s->src, s->bufsz);
		if (s->zero_fill)
			memset(dst + s->bufsz, 0, s->memsz - s->bufsz);
	}
	if (stamps) {
		stamps[0] = rdtsc();
		stamps[1] = rdtsc();
	}
	reloc_enter_efi(p->entry.rip, p->entry.rax, p->entry.rbx);
}
