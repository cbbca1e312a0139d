#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "lib/diag.h"
#include "lib/fmt.h"

/* Our formatter must agree with the C library wherever both are defined. */
#define SAME(...)                                                   \
	do {                                                        \
		char ours[128], libc[128];                          \
		size_t n = fmt_snprintf(ours, sizeof(ours), __VA_ARGS__); \
		int m = snprintf(libc, sizeof(libc), __VA_ARGS__);  \
		CHECK_STR(ours, libc);                              \
		CHECK_EQ(n, m);                                     \
	} while (0)

TEST(fmt_matches_libc)
{
	SAME("plain text");
	SAME("%d %i %u", -42, 17, 4000000000u);
	SAME("%x %X %08x %-6x|", 0xbeefu, 0xbeefu, 0x1234u, 0xabu);
	SAME("%llx %lld %llu", 0xfedcba9876543210ull, -9000000000ll,
	     18446744073709551615ull);
	SAME("%zu %zx", (size_t)12345, (size_t)0x1000);
	SAME("%lx %ld", 0x7fffffffffffffffl, -1l);
	SAME("%hhx %hx %hd", 0x1ff, 0x1ffff, -2);
	SAME("[%5s] [%-5s] [%s]", "ab", "ab", "");
	SAME("[%.3s] [%.*s] [%8.2s]", "abcdef", 2, "xyz", "hello");
	SAME("[%.*s] [%-4.*s]", -1, "whole", -2, "ab");
	SAME("%c%c%%", 'o', 'k');
	SAME("%d %05d %-5d| %5d", 0, -42, 7, -3);
	SAME("%d", -2147483647 - 1);
	SAME("%lld", -9223372036854775807ll - 1);
}

/* What every message does with an address or a size: a uint64_t through
 * "%lx" or "%lu", uncast, as -Wformat accepts it on LP64. */
TEST(fmt_takes_uint64_t_with_l)
{
	const uint64_t top = UINT64_MAX, addr = 0x100000000, none = 0;
	char buf[64];

	SAME("%lx %lu %lx", top, top, none);
	fmt_snprintf(buf, sizeof(buf), "0x%lx-0x%lx", addr, addr + 0xfff);
	CHECK_STR(buf, "0x100000000-0x100000fff");
}

/* '-': the padding after the text, for every conversion; without a width
 * it changes nothing. */
TEST(fmt_left_justifies)
{
	SAME("[%-s] [%-8s] [%-2s] [%-6.2s]", "ab", "ab", "abcdef", "abcdef");
	SAME("[%-6d] [%-6d] [%-1d]", 42, -42, 12345);
	SAME("[%-10lx] [%-4u] [%-3c] [%-5hhx]", 0xabcdefl, 7u, 'z', 0x1ff);
}

/* Bytes above 0x7f, in the format and in arguments, are text like any
 * other: UTF-8 names and messages come out as they went in. */
TEST(fmt_passes_high_bytes_through)
{
	SAME("caf\xc3\xa9 \x80\xfe\xff %s|%-4s|", "\xe2\x82\xac", "\xff");
}

TEST(fmt_truncates_and_reports_full_length)
{
	char buf[8];
	size_t n = fmt_snprintf(buf, sizeof(buf), "%s-%d", "abcdefgh", 123);

	CHECK_EQ(n, 12);
	CHECK_STR(buf, "abcdefg");
	CHECK_EQ(fmt_snprintf(NULL, 0, "%x", 0xffffu), 4);
	memset(buf, 'x', sizeof(buf));
	fmt_snprintf(buf, 1, "abc");
	CHECK_EQ(buf[0], 0);
}

/* Through variables, so the compiler's format checking lets them pass. */
static const char *volatile null_string;
static const char *volatile lone_percent = "a%";

TEST(fmt_null_string_and_lone_percent)
{
	char buf[32];

	fmt_snprintf(buf, sizeof(buf), "%s", null_string);
	CHECK_STR(buf, "(null)");
	fmt_snprintf(buf, sizeof(buf), lone_percent, 0);
	CHECK_STR(buf, "a");
}

TEST(diag_prefix_keeps_code_and_message)
{
	struct diag d;

	diag_fail(&d, ERR_NOT_FOUND, "cannot open '%s'", "/x");
	diag_prefix(&d, "%s:%u: ", "\\loader\\entries\\a.conf", 4u);
	CHECK_STR(d.msg, "\\loader\\entries\\a.conf:4: cannot open '/x'");
	CHECK_EQ(d.code, ERR_NOT_FOUND);
}
