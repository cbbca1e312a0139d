#include "image_util.h"

#include <stdlib.h>
#include <string.h>

#include "boot/linux.h"

static void put16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, 2);
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

uint8_t *test_bzimage(size_t *size)
{
	uint8_t *img = malloc(TEST_BZ_SETUP_BYTES + TEST_BZ_PAYLOAD);
	struct setup_header h = { 0 };

	memset(img, 0, TEST_BZ_SETUP_BYTES);
	memset(img + 0x26c, 0xee, TEST_BZ_SETUP_BYTES - 0x26c);
	for (size_t i = 0; i < TEST_BZ_PAYLOAD; i++)
		img[TEST_BZ_SETUP_BYTES + i] = (uint8_t)(i * 7);
	h.setup_sects = TEST_BZ_SETUP_SECTS;
	h.syssize = TEST_BZ_PAYLOAD / 16;
	h.boot_flag = 0xaa55;
	h.jump = 0x6aeb; /* "jmp +0x6a": the header ends at 0x202 + 0x6a */
	h.header = HDRS_MAGIC;
	h.version = 0x020f;
	h.loadflags = LOADED_HIGH;
	h.initrd_addr_max = 0x7fffffff;
	h.kernel_alignment = 0x200000;
	h.relocatable_kernel = 1;
	h.xloadflags = 0x7f;
	h.cmdline_size = 0x7ff;
	h.pref_address = 0x1000000;
	h.init_size = 0x3000000;
	memcpy(img + SETUP_HEADER_OFFSET, &h, sizeof(h));
	*size = TEST_BZ_SETUP_BYTES + TEST_BZ_PAYLOAD;
	return img;
}

uint8_t *test_pe(const struct test_section *s, unsigned n, size_t *size)
{
	size_t total = TEST_PE_DATA, at = TEST_PE_DATA;
	uint8_t *f;

	for (unsigned i = 0; i < n; i++)
		total += (s[i].size + 0x1ff) & ~0x1ffu;
	f = calloc(1, total);
	f[0] = 'M';
	f[1] = 'Z';
	put32(f + 0x3c, TEST_PE_HEADER);
	memcpy(f + TEST_PE_HEADER, "PE\0\0", 4);
	put16(f + TEST_PE_HEADER + 4, 0x8664);
	put16(f + TEST_PE_HEADER + 6, (uint16_t)n);
	put16(f + TEST_PE_HEADER + 20, 0xf0);
	put16(f + TEST_PE_HEADER + 24, 0x20b);
	for (unsigned i = 0; i < n; i++) {
		uint8_t *h = f + TEST_PE_TABLE + i * 40;
		uint32_t raw = (s[i].size + 0x1ff) & ~0x1ffu;
		size_t len = s[i].len ? s[i].len : s[i].data ? strlen(s[i].data) : 0;

		memcpy(h, s[i].name, strnlen(s[i].name, 8));
		put32(h + 8, s[i].size);
		put32(h + 12, (uint32_t)(0x1000 + at)); /* VirtualAddress */
		put32(h + 16, raw);
		put32(h + 20, (uint32_t)at);
		if (s[i].data) /* the rest of a larger section zeros */
			memcpy(f + at, s[i].data, s[i].size < len ? s[i].size : len);
		at += raw;
	}
	*size = total;
	return f;
}
