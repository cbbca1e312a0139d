#include "harness.h"
#include "lib/glob.h"
#include "lib/vercmp.h"

/* Each version is older than every one after it. */
static void check_ascending(const char *const *v, int n)
{
	for (int i = 0; i < n; i++)
		for (int j = 0; j < n; j++) {
			int r = vercmp(v[i], v[j]);
			if (!CHECK(i < j ? r < 0 : i > j ? r > 0 : r == 0))
				harness_check_str(v[i], v[j], "vercmp order",
						  __FILE__, __LINE__);
		}
}

TEST(vercmp_specification_examples)
{
	static const char *const v[] = {
		"122.1", "123~rc1-1", "123", "123-a", "123-a.1", "123-1",
		"123-1.1", "123^post1", "123.a-1", "123.1-1", "123a-1", "124-1",
	};
	check_ascending(v, sizeof(v) / sizeof(v[0]));
}

TEST(vercmp_numbers_letters_and_separators)
{
	static const char *const kernels[] = {
		"6.1.0-9-amd64", "6.1.0-10-amd64", "6.1.0-27-amd64", "6.10",
		"6.10.1",
	};
	check_ascending(kernels, sizeof(kernels) / sizeof(kernels[0]));
	CHECK_EQ(vercmp("1.007", "1.7"), 0); /* leading zeros skipped */
	CHECK(vercmp("1.0", "1.0.0") < 0);    /* the longer is newer */
	CHECK(vercmp("1~rc1", "1") < 0);
	/* the '~' pair is skipped and the round goes on: "~" against the
	 * end, which is older (systemd's strverscmp_improved agrees) */
	CHECK(vercmp("1~~", "1~") > 0);
	CHECK(vercmp("1^", "1") > 0);         /* '^' above the end ... */
	CHECK(vercmp("1^", "1.0") < 0);       /* ... below anything else */
	CHECK(vercmp("A", "a") < 0);
	CHECK(vercmp("ab", "a") > 0);
	CHECK_EQ(vercmp("1_2", "1+2"), 0);   /* other characters separate */
	CHECK(vercmp("1_2_3", "1.3.3") > 0); /* "1" then "2" vs "1.3.3" */
	CHECK(vercmp("99999999999999999999999", "99999999999999999999998") > 0);
	CHECK_EQ(vercmp("", ""), 0);
	CHECK(vercmp("", "0") < 0);
}

TEST(glob_wildcards_and_sets)
{
	CHECK(glob_match("debian-*", "debian-6.1.0-27-amd64.conf"));
	CHECK(glob_match("*", ""));
	CHECK(glob_match("*.conf", "a.b.conf"));
	CHECK(!glob_match("*.conf", "a.confx"));
	CHECK(glob_match("a*b*c", "aXXbYbZc"));
	CHECK(!glob_match("a*b*c", "aXXbYbZ"));
	CHECK(glob_match("?.conf", "x.conf"));
	CHECK(!glob_match("?.conf", ".conf"));
	CHECK(glob_match("[a-c]1", "b1"));
	CHECK(!glob_match("[!a-c]1", "b1"));
	CHECK(glob_match("[^a-c]1", "d1"));
	CHECK(glob_match("[]]", "]"));
	CHECK(glob_match("[", "["));        /* unterminated: literal */
	CHECK(glob_match("\\*", "*"));
	CHECK(!glob_match("\\*", "x"));
	CHECK(glob_match("DEBIAN-*.CONF", "debian-6.1.conf"));
	CHECK(glob_match("[A-C]", "b"));
	CHECK(!glob_match("abc", "ab"));
	CHECK(!glob_match("ab", "abc"));
	/* a range ending in a lone backslash: nothing read past the NUL */
	CHECK(!glob_match("[a-\\", "b"));
	CHECK(glob_match("[A-\\]]", "]")); /* an escaped upper bound */
}
