#include "fake_alloc.h"

#include <stdlib.h>
#include <string.h>

static void *fake_pages(struct allocator *a, uint64_t size, uint64_t max_addr)
{
	struct fake_alloc *f = (struct fake_alloc *)a;
	size_t bytes = (size + 4095) & ~(size_t)4095;
	void *p;

	if (f->n == 64 || (f->fail_after && f->n + 1 == f->fail_after))
		return NULL;
	p = aligned_alloc(4096, bytes);
	memset(p, 0, bytes);
	f->ptr[f->n] = p;
	f->max[f->n] = max_addr;
	f->n++;
	return p;
}

void fake_alloc_init(struct fake_alloc *f)
{
	memset(f, 0, sizeof(*f));
	f->a.pages = fake_pages;
}

void fake_alloc_free(struct fake_alloc *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->ptr[i]);
	f->n = 0;
}
