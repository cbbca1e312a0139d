/* The helpers every format uses (boot/format.h): memory for boot
 * information that the plan keeps, the segments of the image and modules,
 * and the strings packed behind boot information. */
#include "boot/format.h"

#include "lib/mem.h"
#include "lib/range.h"
#include "lib/sizes.h"

static void *alloc_kept(struct boot_ctx *ctx, const char *what, uint64_t size,
			uint64_t max_addr, enum alloc_kind kind, struct diag *d)
{
	void *p = ctx->alloc->pages(ctx->alloc, size, max_addr, kind);

	if (!p) {
		diag_fail(d, ERR_NO_MEMORY,
			  "no memory for the %s (0x%lx bytes below 0x%lx)",
			  what, size, max_addr);
		return NULL;
	}
	if (plan_add_keep(ctx->plan, what, phys_of(p), align_up(size, PAGE_SIZE),
			  d))
		return NULL;
	return p;
}

void *boot_alloc(struct boot_ctx *ctx, const char *what, uint64_t size,
		 uint64_t max_addr, struct diag *d)
{
	return alloc_kept(ctx, what, size, max_addr, ALLOC_RAM, d);
}

void *boot_alloc_reserved(struct boot_ctx *ctx, const char *what,
			  uint64_t size, uint64_t max_addr, struct diag *d)
{
	return alloc_kept(ctx, what, size, max_addr, ALLOC_RESERVED, d);
}

bool layout_holds(const struct kernel_layout *l, uint64_t addr)
{
	for (size_t i = 0; i < l->nseg; i++)
		if (addr >= l->seg[i].addr && addr - l->seg[i].addr < l->seg[i].memsz)
			return true;
	return false;
}

int boot_add_segments(struct boot_ctx *ctx, struct diag *d)
{
	const struct kernel_layout *l = ctx->layout;
	int rc;

	for (size_t i = 0; i < l->nseg; i++) {
		const struct image_seg *s = &l->seg[i];
		struct segment seg = {
			.what = s->what,
			.src = phys_of(ctx->image) + s->offset,
			.bufsz = s->filesz,
			.dst = s->addr + ctx->delta,
			.memsz = s->memsz,
			.align = s->align,
			.zero_fill = s->zero_fill,
		};
		if ((rc = plan_add_segment(ctx->plan, &seg, d)))
			return rc;
	}
	for (size_t i = 0; i < ctx->nmodules; i++) {
		const struct module *m = &ctx->modules[i];
		struct segment seg = {
			.what = l->modules.concatenate ? "initrd" : "module",
			.src = m->addr,
			.bufsz = m->size,
			.dst = m->addr,
			.memsz = align_up(m->size, PAGE_SIZE),
		};
		if ((rc = plan_add_segment(ctx->plan, &seg, d)))
			return rc;
	}
	return 0;
}

size_t boot_strings_size(const struct boot_ctx *ctx)
{
	size_t n = strlen(ctx->cmdline) + 1;

	for (size_t i = 0; i < ctx->nmodules; i++)
		n += strlen(ctx->modules[i].args) + 1;
	return n;
}

uint64_t boot_put_string(char **area, const char *s)
{
	size_t n = strlen(s) + 1;
	char *at = *area;

	memcpy(at, s, n);
	*area += n;
	return phys_of(at);
}
