#include <string.h>

#include "harness.h"
#include "lib/utf.h"

TEST(utf_ascii_round_trip)
{
	const uint16_t in[] = { 'f', 's', '0', ':', '\\', 'a', 0 };
	char out[16];
	uint16_t back[16];

	CHECK_EQ(ucs2_to_utf8(in, 16, out, sizeof(out)), 6);
	CHECK_STR(out, "fs0:\\a");
	CHECK_EQ(utf8_to_ucs2(out, back, 16), 6);
	CHECK(!memcmp(back, in, sizeof(in)));
}

TEST(utf_multibyte_round_trip)
{
	const uint16_t in[] = { 0xe9, 0x20ac, 'x' }; /* é € x, not NUL-ended */
	char out[16];
	uint16_t back[8];

	CHECK_EQ(ucs2_to_utf8(in, 3, out, sizeof(out)), 6);
	CHECK_STR(out, "\xc3\xa9\xe2\x82\xac" "x");
	CHECK_EQ(utf8_to_ucs2(out, back, 8), 3);
	CHECK_EQ(back[0], 0xe9);
	CHECK_EQ(back[1], 0x20ac);
	CHECK_EQ(back[2], 'x');
	CHECK_EQ(back[3], 0);
}

TEST(utf_invalid_input_becomes_replacement)
{
	const uint16_t surrogate[] = { 0xd800, 'a', 0 };
	char out[16];
	uint16_t w[8];

	ucs2_to_utf8(surrogate, 8, out, sizeof(out));
	CHECK_STR(out, "\xef\xbf\xbd" "a");
	/* a stray continuation byte, a truncated sequence, an overlong NUL,
	 * and a character outside the BMP */
	CHECK_EQ(utf8_to_ucs2("\x80" "b", w, 8), 2);
	CHECK_EQ(w[0], 0xfffd);
	CHECK_EQ(w[1], 'b');
	CHECK_EQ(utf8_to_ucs2("\xe2\x82" "c", w, 8), 2);
	CHECK_EQ(w[0], 0xfffd);
	CHECK_EQ(w[1], 'c');
	CHECK_EQ(utf8_to_ucs2("\xc0\x80", w, 8), 1);
	CHECK_EQ(w[0], 0xfffd);
	CHECK_EQ(utf8_to_ucs2("\xf0\x9f\x98\x80", w, 8), 1);
	CHECK_EQ(w[0], 0xfffd);
}

TEST(utf_truncates_to_capacity)
{
	uint16_t w[3];
	char s[4];
	const uint16_t in[] = { 'a', 'b', 'c', 'd', 0 };

	CHECK_EQ(utf8_to_ucs2("abcd", w, 3), 4);
	CHECK_EQ(w[0], 'a');
	CHECK_EQ(w[1], 'b');
	CHECK_EQ(w[2], 0);
	CHECK_EQ(ucs2_to_utf8(in, 5, s, sizeof(s)), 4);
	CHECK_STR(s, "abc");
}
