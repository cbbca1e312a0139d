/* Building synthetic kernel images for tests: a bzImage, and PE32+ images
 * such as unified kernel images. */
#ifndef TEST_IMAGE_UTIL_H
#define TEST_IMAGE_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* A bzImage as a 6.x x86_64 kernel's header describes one (protocol 2.15,
 * relocatable, 64-bit entry) with TEST_BZ_SETUP_SECTS setup sectors and a
 * TEST_BZ_PAYLOAD-byte payload (bytes i * 7). Bytes after the header are
 * 0xee, so that copying too much of the setup area would show. free() it. */
#define TEST_BZ_SETUP_SECTS 4
#define TEST_BZ_SETUP_BYTES ((TEST_BZ_SETUP_SECTS + 1) * 512)
#define TEST_BZ_PAYLOAD 0x10000
uint8_t *test_bzimage(size_t *size);

/* A PE32+ image as ukify lays one out: the PE header at TEST_PE_HEADER, a
 * standard 0xf0-byte optional header, the section table at TEST_PE_TABLE,
 * the contents from TEST_PE_DATA, each padded to 0x200 (SizeOfRawData)
 * with VirtualSize exact. */
#define TEST_PE_HEADER 0x80
#define TEST_PE_TABLE (TEST_PE_HEADER + 24 + 0xf0)
#define TEST_PE_DATA 0x400

struct test_section {
	const char *name; /* up to 8 bytes, NUL-padded */
	const void *data; /* NULL: zeros */
	uint32_t size;    /* VirtualSize */
	/* bytes of data to copy, the rest zeros; 0: data is text, up to
	 * its NUL */
	uint32_t len;
};

uint8_t *test_pe(const struct test_section *s, unsigned n, size_t *size);

#endif
