/* lib/mem.c, the target's memcpy/memmove/memset, built here under other
 * names beside the host's C library: every length around the word size,
 * every alignment, both directions of an overlapping move. */
#include <stdint.h>
#include <string.h>

#include "harness.h"

#define memcpy target_memcpy
#define memmove target_memmove
#define memset target_memset
#define memcmp target_memcmp
#define strlen target_strlen
#define strcmp target_strcmp
#define strncmp target_strncmp
#include "lib/mem.c"
#undef memcpy
#undef memmove
#undef memset
#undef memcmp
#undef strlen
#undef strcmp
#undef strncmp

#define AREA 96

static void fill(unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(i * 7 + 1);
}

TEST(mem_copy_every_length_and_alignment)
{
	unsigned char src[AREA], dst[AREA], want[AREA];

	fill(src, sizeof(src));
	for (size_t n = 0; n <= 40; n++)
		for (size_t from = 0; from < 9; from++)
			for (size_t to = 0; to < 9; to++) {
				memset(dst, 0xee, sizeof(dst));
				memset(want, 0xee, sizeof(want));
				for (size_t i = 0; i < n; i++)
					want[to + i] = src[from + i];
				CHECK(target_memcpy(dst + to, src + from, n) == dst + to);
				CHECK(!memcmp(dst, want, sizeof(dst)));
			}
}

TEST(mem_move_overlapping_both_ways)
{
	unsigned char buf[AREA], want[AREA];

	for (size_t n = 0; n <= 40; n++)
		for (size_t from = 0; from < 20; from++)
			for (size_t to = 0; to < 20; to++) {
				fill(buf, sizeof(buf));
				fill(want, sizeof(want));
				for (size_t i = 0; i < n; i++) /* what a copy via a buffer gives */
					want[to + i] = (unsigned char)((from + i) * 7 + 1);
				CHECK(target_memmove(buf + to, buf + from, n) == buf + to);
				CHECK(!memcmp(buf, want, sizeof(buf)));
			}
}

TEST(mem_set_every_length_and_alignment)
{
	unsigned char buf[AREA], want[AREA];

	for (size_t n = 0; n <= 40; n++)
		for (size_t at = 0; at < 9; at++) {
			fill(buf, sizeof(buf));
			fill(want, sizeof(want));
			for (size_t i = 0; i < n; i++)
				want[at + i] = 0xa5;
			CHECK(target_memset(buf + at, 0x1a5, n) == buf + at);
			CHECK(!memcmp(buf, want, sizeof(buf)));
		}
}
