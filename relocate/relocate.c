#include "relocate.h"

#include "lib/mem.h"
#include "lib/range.h"
#include "relocate/reloc_params.h"

/* The trampoline code, relocate/trampoline.asm. */
extern const unsigned char reloc_tramp_start[];
extern const unsigned char reloc_tramp_end[];

#define STACK_SIZE 4096u

static size_t code_size(void)
{
	return (size_t)(reloc_tramp_end - reloc_tramp_start);
}

static size_t params_offset(void)
{
	return align_up(code_size(), 64);
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
	rp->entry = p->entry.rip;
	rp->rax = p->entry.rax;
	rp->rbx = p->entry.rbx;
	rp->rsi = p->entry.rsi;
	rp->rdi = p->entry.rdi;
	rp->nseg = p->nseg;
	for (size_t i = 0; i < p->nseg; i++) {
		const struct segment *s = &p->seg[i];
		rp->seg[i] = (struct reloc_seg){
			.src = s->src,
			.dst = s->dst,
			.copy = s->bufsz,
			.zero = s->zero_fill ? s->memsz - s->bufsz : 0,
		};
	}
}

_Noreturn void relocate_jump(void *area)
{
	void (*tramp)(struct reloc_params *) =
		(void (*)(struct reloc_params *))area;

	tramp(params_of(area));
	__builtin_unreachable();
}
