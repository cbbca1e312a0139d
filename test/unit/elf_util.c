#include "elf_util.h"

#include <stdlib.h>
#include <string.h>

static void put(uint8_t *p, uint64_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

uint8_t *test_elf(bool is64, uint16_t machine, uint64_t entry,
		  const struct test_phdr *ph, size_t n, size_t size)
{
	uint8_t *f = malloc(size);
	size_t eh = is64 ? 64 : 52, phsz = is64 ? 56 : 32;

	for (size_t i = 0; i < size; i++)
		f[i] = (uint8_t)(i * 13 + 7);
	memset(f, 0, eh + n * phsz);
	memcpy(f, "\x7f" "ELF", 4);
	f[4] = is64 ? 2 : 1;
	f[5] = 1;
	f[6] = 1;
	put(f + 16, 2, 2); /* ET_EXEC */
	put(f + 18, machine, 2);
	put(f + 20, 1, 4);
	if (is64) {
		put(f + 24, entry, 8);
		put(f + 32, eh, 8);  /* phoff */
		put(f + 52, eh, 2);
		put(f + 54, phsz, 2);
		put(f + 56, n, 2);
	} else {
		put(f + 24, entry, 4);
		put(f + 28, eh, 4);
		put(f + 40, eh, 2);
		put(f + 42, phsz, 2);
		put(f + 44, n, 2);
	}
	for (size_t i = 0; i < n; i++) {
		uint8_t *p = f + eh + i * phsz;
		put(p, ph[i].type, 4);
		if (is64) {
			put(p + 8, ph[i].offset, 8);
			put(p + 16, ph[i].vaddr, 8);
			put(p + 24, ph[i].paddr, 8);
			put(p + 32, ph[i].filesz, 8);
			put(p + 40, ph[i].memsz, 8);
		} else {
			put(p + 4, ph[i].offset, 4);
			put(p + 8, ph[i].vaddr, 4);
			put(p + 12, ph[i].paddr, 4);
			put(p + 16, ph[i].filesz, 4);
			put(p + 20, ph[i].memsz, 4);
		}
	}
	return f;
}
