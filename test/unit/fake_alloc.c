#include "fake_alloc.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

static void *fake_pages(struct allocator *a, uint64_t size, uint64_t max_addr,
			enum alloc_kind kind)
{
	struct fake_alloc *f = (struct fake_alloc *)a;
	size_t bytes = (size + 4095) & ~(size_t)4095;
	void *p;

	if (f->n == 64 || (f->fail_after && f->n + 1 == f->fail_after))
		return NULL;
	if (max_addr < 0x100000) {
		/* below 1 MiB (and above Linux's 64 KiB mmap floor): the
		 * highest free pages, as the firmware hands them out */
		p = MAP_FAILED;
		for (uint64_t at = (max_addr + 1 - bytes) & ~4095ull;
		     p == MAP_FAILED && at >= 0x10000; at -= 4096)
			p = mmap((void *)(uintptr_t)at, bytes, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
				 -1, 0);
	} else {
		p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS |
				 (max_addr <= 0xffffffffu ? MAP_32BIT : 0),
			 -1, 0);
	}
	if (p == MAP_FAILED || (uint64_t)(uintptr_t)p + bytes - 1 > max_addr)
		return NULL;
	f->ptr[f->n] = p;
	f->bytes[f->n] = bytes;
	f->max[f->n] = max_addr;
	f->kind[f->n] = kind;
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
		munmap(f->ptr[i], f->bytes[i]);
	f->n = 0;
}
