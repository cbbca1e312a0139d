#include "plan.h"

#include "lib/fmt.h"
#include "lib/range.h"
#include "lib/sizes.h"

int plan_add_segment(struct plan *p, const struct segment *s, struct diag *d)
{
	if (p->nseg == PLAN_MAX_SEGMENTS)
		return diag_fail(d, ERR_UNSUPPORTED,
				 "%s: more than %d segments in one plan",
				 s->what, PLAN_MAX_SEGMENTS);
	p->seg[p->nseg++] = *s;
	return 0;
}

int plan_add_keep(struct plan *p, const char *what, uint64_t base,
		  uint64_t size, struct diag *d)
{
	if (p->nkeep == PLAN_MAX_KEEP)
		return diag_fail(d, ERR_UNSUPPORTED,
				 "%s: more than %d kept ranges in one plan",
				 what, PLAN_MAX_KEEP);
	p->keep[p->nkeep++] = (struct keep){ what, base, size };
	return 0;
}

static bool in_place(const struct segment *s)
{
	return s->src == s->dst;
}

static int check_segment(const struct segment *s, struct diag *d)
{
	if (!s->memsz)
		return diag_fail(d, ERR_PLAN, "segment %s is empty", s->what);
	if (s->bufsz > s->memsz)
		return diag_fail(d, ERR_PLAN,
				 "segment %s copies 0x%lx bytes into 0x%lx",
				 s->what, s->bufsz, s->memsz);
	if (!range_valid(s->dst, s->memsz) || !range_valid(s->src, s->bufsz))
		return diag_fail(d, ERR_PLAN,
				 "segment %s wraps around the address space (dst 0x%lx+0x%lx, src 0x%lx+0x%lx)",
				 s->what, s->dst, s->memsz, s->src,
				 s->bufsz);
	if (s->align > 1 && (!is_pow2(s->align) || s->dst % s->align))
		return diag_fail(d, ERR_PLAN,
				 "segment %s at 0x%lx is not aligned to 0x%lx",
				 s->what, s->dst, s->align);
	return 0;
}

/* How far the trampoline and the kernel reach at the jump: the identity
 * map, and for a 32-bit entry with paging off, 4 GiB. */
static uint64_t reach(const struct plan *p)
{
	if (p->entry.mode == ENTRY_PROT32 && p->map_top > FOUR_GIB)
		return FOUR_GIB;
	return p->map_top;
}

static bool mapped(const struct plan *p, uint64_t base, uint64_t size)
{
	return base <= reach(p) && size <= reach(p) - base;
}

static const char *mode_name(enum entry_mode m)
{
	return m == ENTRY_PROT32 ? "prot32" : "long64";
}

/* Fails when segment i's destination overlaps another segment's
 * destination (j > i: each pair once), the source of a segment that is
 * copied, or a range the plan keeps. */
static int check_overlaps(const struct plan *p, size_t i, struct diag *d)
{
	const struct segment *s = &p->seg[i];

	for (size_t j = 0; j < 2 * p->nseg + p->nkeep; j++) {
		const char *pre = "", *what, *post = " at";
		uint64_t base, size;

		if (j >= 2 * p->nseg) {
			const struct keep *k = &p->keep[j - 2 * p->nseg];
			what = k->what;
			base = k->base;
			size = k->size;
		} else {
			const struct segment *o = &p->seg[j / 2];
			what = o->what;
			if (j % 2 == 0) {
				if (j / 2 <= i)
					continue;
				pre = "segment ";
				post = " destination";
				base = o->dst;
				size = o->memsz;
			} else {
				if (in_place(o))
					continue;
				pre = "the source of segment ";
				base = o->src;
				size = o->bufsz;
			}
		}
		if (ranges_overlap(s->dst, s->memsz, base, size))
			return diag_fail(d, ERR_PLAN,
					 "segment %s destination 0x%lx+0x%lx overlaps %s%s%s 0x%lx+0x%lx",
					 s->what, s->dst, s->memsz, pre, what,
					 post, base, size);
	}
	return 0;
}

int plan_validate(const struct plan *p, const struct memmap *m,
		  struct diag *d)
{
	bool entry_inside = false;

	for (size_t k = 0; k < p->nkeep; k++)
		if (!mapped(p, p->keep[k].base, p->keep[k].size))
			return diag_fail(d, ERR_PLAN,
					 "%s at 0x%lx+0x%lx is out of reach (below 0x%lx for a %s entry)",
					 p->keep[k].what, p->keep[k].base,
					 p->keep[k].size, reach(p),
					 mode_name(p->entry.mode));

	for (size_t i = 0; i < p->nseg; i++) {
		const struct segment *s = &p->seg[i];
		struct mem_range b;
		int rc = check_segment(s, d);

		if (rc)
			return rc;
		if (!mapped(p, s->dst, s->memsz) || !mapped(p, s->src, s->bufsz))
			return diag_fail(d, ERR_PLAN,
					 "segment %s (0x%lx -> 0x%lx+0x%lx) is out of reach (below 0x%lx for a %s entry)",
					 s->what, s->src, s->dst, s->memsz,
					 reach(p), mode_name(p->entry.mode));
		if (memmap_find_blocker(m, s->dst, s->memsz, mem_free_after_ebs,
					&b))
			return diag_fail(d, ERR_PLAN,
					 "segment %s destination 0x%lx-0x%lx hits %s memory at 0x%lx-0x%lx",
					 s->what, s->dst,
					 s->dst + s->memsz - 1,
					 mem_type_name(b.type), b.base,
					 b.base + b.size - 1);
		if ((rc = check_overlaps(p, i, d)))
			return rc;
		if (p->entry.rip >= s->dst && p->entry.rip - s->dst < s->memsz)
			entry_inside = true;
	}
	if (!entry_inside)
		return diag_fail(d, ERR_PLAN,
				 "entry point 0x%lx lies outside every segment",
				 p->entry.rip);
	return 0;
}

void plan_describe(const struct plan *p,
		   void (*line)(void *ctx, const char *text), void *ctx)
{
	char buf[200];

	fmt_snprintf(buf, sizeof(buf),
		     "plan: format=%s entry=0x%lx mode=%s segments=%zu flags=0x%x",
		     p->format, p->entry.rip, mode_name(p->entry.mode), p->nseg,
		     p->flags);
	line(ctx, buf);
	for (size_t i = 0; i < p->nseg; i++) {
		const struct segment *s = &p->seg[i];
		if (in_place(s))
			fmt_snprintf(buf, sizeof(buf),
				     "  segment %zu %-8s in place at 0x%lx size 0x%lx mem 0x%lx",
				     i, s->what, s->dst, s->bufsz,
				     s->memsz);
		else
			fmt_snprintf(buf, sizeof(buf),
				     "  segment %zu %-8s copy 0x%lx -> 0x%lx size 0x%lx mem 0x%lx%s",
				     i, s->what, s->src, s->dst,
				     s->bufsz, s->memsz,
				     s->zero_fill ? " zero-fill" : "");
		line(ctx, buf);
	}
	for (size_t k = 0; k < p->nkeep; k++) {
		fmt_snprintf(buf, sizeof(buf), "  keep %-20s 0x%lx size 0x%lx",
			     p->keep[k].what, p->keep[k].base,
			     p->keep[k].size);
		line(ctx, buf);
	}
}
