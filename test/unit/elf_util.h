/* Building synthetic ELF files for parser tests. */
#ifndef TEST_ELF_UTIL_H
#define TEST_ELF_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct test_phdr {
	uint32_t type;
	uint64_t offset, vaddr, paddr, filesz, memsz;
};

/* An ELF file of `size` bytes (pattern-filled) with the given program
 * headers right after the ELF header; free() it. */
uint8_t *test_elf(bool is64, uint16_t machine, uint64_t entry,
		  const struct test_phdr *ph, size_t n, size_t size);

#endif
