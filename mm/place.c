#include "place.h"

#include "lib/range.h"

typedef bool (*mem_pred)(const struct mem_range *);

/* The overlapping avoided range that ends last, or NULL. */
static const struct range *avoided(const struct range *avoid, size_t navoid,
				   uint64_t base, uint64_t size)
{
	const struct range *hit = NULL;

	for (size_t i = 0; i < navoid; i++)
		if (ranges_overlap(base, size, avoid[i].base, avoid[i].size) &&
		    (!hit || avoid[i].base + avoid[i].size > hit->base + hit->size))
			hit = &avoid[i];
	return hit;
}

static bool usable(const struct memmap *m, mem_pred pred,
		   const struct range *avoid, size_t navoid, uint64_t base,
		   uint64_t size)
{
	struct mem_range blocker;

	return !memmap_find_blocker(m, base, size, pred, &blocker) &&
	       !avoided(avoid, navoid, base, size);
}

/* The lowest aligned base in [lo, hi) whose range, and the `below` bytes
 * under it, are clear of avoid, if any. */
static bool search_run(const struct range *avoid, size_t navoid,
		       const struct place_req *req, uint64_t below,
		       uint64_t lo, uint64_t hi, uint64_t *out)
{
	for (uint64_t base = align_up(lo, req->align);
	     base >= lo && base < hi && hi - base >= req->size;) {
		const struct range *hit = avoided(avoid, navoid, base - below,
						  req->size + below);
		uint64_t next;

		if (!hit) {
			*out = base;
			return true;
		}
		next = align_up(hit->base + hit->size + below, req->align);
		if (next <= base)
			return false; /* wrapped */
		base = next;
	}
	return false;
}

/* pref, else the lowest fit in maximal runs of memory satisfying pred.
 * pref is only an address the image was linked at: it must meet the same
 * rules as any other base (a Multiboot 2 relocatable tag's min_addr and
 * align, §3.1.13; boot.rst's kernel_alignment). */
static bool find_with(const struct memmap *m, mem_pred pred,
		      const struct range *avoid, size_t navoid,
		      const struct place_req *req, uint64_t *out)
{
	uint64_t below = pred == mem_free_now ? req->below : 0;

	if (req->pref >= req->min && req->pref >= below &&
	    !(req->pref & (req->align - 1)) &&
	    req->pref + req->size <= req->limit &&
	    usable(m, pred, avoid, navoid, req->pref - below, req->size + below)) {
		*out = req->pref;
		return true;
	}
	for (size_t i = 0; i < m->n;) {
		if (!pred(&m->r[i])) {
			i++;
			continue;
		}
		uint64_t run = m->r[i].base, run_end = run + m->r[i].size;
		for (i++; i < m->n && m->r[i].base == run_end && pred(&m->r[i]); i++)
			run_end += m->r[i].size;

		uint64_t lo = run + below > req->min ? run + below : req->min;
		uint64_t hi = run_end < req->limit ? run_end : req->limit;
		if (search_run(avoid, navoid, req, below, lo, hi, out))
			return true;
	}
	return false;
}

int place_find(const struct memmap *m, const struct range *avoid,
	       size_t navoid, const struct place_req *req, uint64_t *out,
	       struct diag *d)
{
	struct mem_range b;
	const struct range *hit;
	const char *why = "where efikexec keeps", *type = "", *memory = "";

	if (!req->size || !range_valid(req->pref, req->size))
		return diag_fail(d, ERR_BAD_IMAGE,
				 "%s: impossible placement 0x%lx+0x%lx",
				 req->what, req->pref, req->size);
	if (req->fixed) {
		if (req->pref + req->size > req->limit)
			return diag_fail(d, ERR_UNSUPPORTED,
					 "%s must be at 0x%lx-0x%lx, above the limit 0x%lx",
					 req->what, req->pref,
					 req->pref + req->size - 1, req->limit);
		/* the first thing in the way, the message's words for it */
		if (memmap_find_blocker(m, req->pref, req->size,
					req->now_only ? mem_free_now : mem_free_after_ebs,
					&b)) {
			why = "which hits ";
			type = mem_type_name(b.type);
			memory = " memory at";
		} else if ((hit = avoided(avoid, navoid, req->pref, req->size))) {
			b.base = hit->base;
			b.size = hit->size;
		} else {
			*out = req->pref;
			return 0;
		}
		return diag_fail(d, ERR_UNSUPPORTED,
				 "%s must be at 0x%lx-0x%lx, %s%s%s 0x%lx-0x%lx",
				 req->what, req->pref,
				 req->pref + req->size - 1, why, type, memory,
				 b.base, b.base + b.size - 1);
	}
	if (!is_pow2(req->align))
		return diag_fail(d, ERR_BAD_IMAGE,
				 "%s: alignment 0x%lx is not a power of two",
				 req->what, req->align);
	if (find_with(m, mem_free_now, avoid, navoid, req, out) ||
	    (!req->now_only &&
	     find_with(m, mem_free_after_ebs, avoid, navoid, req, out)))
		return 0;
	return diag_fail(d, ERR_NO_MEMORY,
			 "%s: no free RAM for 0x%lx bytes aligned to 0x%lx between 0x%lx and 0x%lx",
			 req->what, req->size, req->align, req->min,
			 req->limit);
}
