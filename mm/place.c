#include "place.h"

#include "lib/range.h"

#define X(v) ((unsigned long long)(v))

static bool is_free(const struct memmap *m, uint64_t base, uint64_t size)
{
	struct mem_range blocker;

	return !memmap_find_blocker(m, base, size, mem_free_after_ebs, &blocker);
}

int place_find(const struct memmap *m, const struct place_req *req,
	       uint64_t *out, struct diag *d)
{
	struct mem_range b;

	if (!req->size || !range_valid(req->pref, req->size))
		return diag_fail(d, ERR_BAD_IMAGE,
				 "%s: impossible placement 0x%llx+0x%llx",
				 req->what, X(req->pref), X(req->size));
	if (req->pref + req->size <= req->limit &&
	    is_free(m, req->pref, req->size)) {
		*out = req->pref;
		return 0;
	}
	if (req->fixed) {
		if (req->pref + req->size > req->limit)
			return diag_fail(d, ERR_UNSUPPORTED,
					 "%s must be at 0x%llx-0x%llx, above the limit 0x%llx",
					 req->what, X(req->pref),
					 X(req->pref + req->size - 1), X(req->limit));
		memmap_find_blocker(m, req->pref, req->size, mem_free_after_ebs,
				    &b);
		return diag_fail(d, ERR_UNSUPPORTED,
				 "%s must be at 0x%llx-0x%llx, which hits %s memory at 0x%llx-0x%llx",
				 req->what, X(req->pref),
				 X(req->pref + req->size - 1),
				 mem_type_name(b.type), X(b.base),
				 X(b.base + b.size - 1));
	}
	if (!is_pow2(req->align))
		return diag_fail(d, ERR_BAD_IMAGE,
				 "%s: alignment 0x%llx is not a power of two",
				 req->what, X(req->align));

	/* The lowest fit: walk maximal runs of contiguous usable memory. */
	for (size_t i = 0; i < m->n;) {
		if (!mem_free_after_ebs(&m->r[i])) {
			i++;
			continue;
		}
		uint64_t run = m->r[i].base, run_end = run + m->r[i].size;
		for (i++; i < m->n && m->r[i].base == run_end &&
			  mem_free_after_ebs(&m->r[i]);
		     i++)
			run_end += m->r[i].size;

		uint64_t lo = run > req->min ? run : req->min;
		uint64_t hi = run_end < req->limit ? run_end : req->limit;
		uint64_t base = align_up(lo, req->align);
		if (base >= lo && base < hi && hi - base >= req->size) {
			*out = base;
			return 0;
		}
	}
	return diag_fail(d, ERR_NO_MEMORY,
			 "%s: no free RAM for 0x%llx bytes aligned to 0x%llx between 0x%llx and 0x%llx",
			 req->what, X(req->size), X(req->align), X(req->min),
			 X(req->limit));
}
