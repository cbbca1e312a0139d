/* URLs and redirects (lib/url.c). */
#include <string.h>

#include "harness.h"
#include "lib/url.h"

/* The path and query of a parsed URL, as a string */
static const char *path_of(const struct url *u)
{
	static char buf[URL_MAX + 1];

	memcpy(buf, u->path, u->path_len);
	buf[u->path_len] = '\0';
	return buf;
}

TEST(url_schemes)
{
	CHECK_EQ(url_scheme_of("http://h/x"), URL_HTTP);
	CHECK_EQ(url_scheme_of("HTTPS://h/x"), URL_HTTPS);
	CHECK_EQ(url_scheme_of("tftp://h/x"), URL_TFTP);
	CHECK_EQ(url_scheme_of("\\vmlinuz"), URL_NONE);
	CHECK_EQ(url_scheme_of("fs0:\\http://x"), URL_NONE);
	CHECK_EQ(url_scheme_of("http:/x"), URL_NONE);
	CHECK_EQ(url_scheme_of("ftp://h/x"), URL_NONE);
}

TEST(url_path_mappings)
{
	CHECK_EQ(url_path_mapping("fs0:\\EFI\\Linux\\a.efi"), 4);
	CHECK_EQ(url_path_mapping("xbootldr:/loader/entries"), 9);
	/* the first colon ends it; none before a separator: no mapping */
	CHECK_EQ(url_path_mapping("a:b:\\x"), 2);
	CHECK_EQ(url_path_mapping("\\EFI\\a:b"), 0);
	CHECK_EQ(url_path_mapping("dir/fs0:x"), 0);
	CHECK_EQ(url_path_mapping("vmlinuz"), 0);
	CHECK_EQ(url_path_mapping(""), 0);
}

TEST(url_parse_parts)
{
	struct url u;
	struct diag d;

	CHECK_EQ(url_parse("http://10.0.2.100/boot/vmlinuz", &u, &d), 0);
	CHECK_EQ(u.scheme, URL_HTTP);
	CHECK_STR(u.host, "10.0.2.100");
	CHECK_EQ(u.port, 80);
	CHECK_STR(path_of(&u), "/boot/vmlinuz");

	CHECK_EQ(url_parse("https://Boot.Example-1.org:8443/a?b=c#frag", &u, &d), 0);
	CHECK_EQ(u.scheme, URL_HTTPS);
	CHECK_STR(u.host, "Boot.Example-1.org");
	CHECK_EQ(u.port, 8443);
	CHECK_STR(path_of(&u), "/a?b=c");

	CHECK_EQ(url_parse("tftp://server", &u, &d), 0);
	CHECK_EQ(u.port, 69);
	CHECK_STR(path_of(&u), "/");
	CHECK_EQ(url_parse("http://h:65535", &u, &d), 0);
	CHECK_EQ(u.port, 65535);
}

TEST(url_parse_refuses)
{
	static const struct {
		const char *url, *why;
	} bad[] = {
		{ "http:///x", "has no host" },
		{ "http://:80/x", "has no host" },
		{ "http://user@h/x", "user name" },
		{ "http://[fe80::1]/x", "IPv6" },
		{ "http://h:0/x", "port" },
		{ "http://h:65536/x", "port" },
		{ "http://h:/x", "port" },
		{ "http://h:8x/x", "expected '/' after the host, found 'x'" },
		{ "http://h:99999999999999999999/x", "port" },
		{ "http://h/a b", "space" },
		{ "http://h/a\tb", "control" },
		{ "http://h/\xc3\xa9", "non-ASCII" },
		{ "http://h?x", "expected '/'" },
		{ "http://h%41/x", "cannot be in a host name" },
		{ "\\vmlinuz", "is not an http://" },
	};
	struct url u;
	struct diag d;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK(url_parse(bad[i].url, &u, &d) != 0);
		CHECK_CONTAINS(d.msg, bad[i].why);
	}
}

TEST(url_parse_refuses_overlong)
{
	static char s[URL_MAX + 64];
	struct url u;
	struct diag d;

	memcpy(s, "http://", 7);
	memset(s + 7, 'a', URL_HOST_MAX + 1);
	strcpy(s + 7 + URL_HOST_MAX + 1, "/x");
	CHECK(url_parse(s, &u, &d) != 0);
	CHECK_CONTAINS(d.msg, "host name is longer");
	memset(s + 7, 'a', sizeof(s) - 8);
	s[sizeof(s) - 1] = '\0';
	CHECK(url_parse(s, &u, &d) != 0);
	CHECK_CONTAINS(d.msg, "longer than 1024 bytes");
}

TEST(url_ipv4_literals)
{
	uint8_t a[4];

	CHECK(url_ipv4("10.0.2.2", a));
	CHECK(a[0] == 10 && a[1] == 0 && a[2] == 2 && a[3] == 2);
	CHECK(url_ipv4("255.255.255.255", a));
	CHECK(!url_ipv4("256.0.0.1", a));
	CHECK(!url_ipv4("10.0.2", a));
	CHECK(!url_ipv4("10.0.2.2.", a));
	CHECK(!url_ipv4("10.0.02.2", a));
	CHECK(!url_ipv4("1000.0.0.1", a));
	CHECK(!url_ipv4("boot.example.org", a));
	CHECK(!url_ipv4("", a));
}

static const char *redirect(const char *base, const char *location)
{
	static char out[URL_MAX + 1];
	static struct diag d;

	if (url_redirect(base, location, out, sizeof(out), &d))
		return d.msg;
	return out;
}

TEST(url_redirect_forms)
{
	CHECK_STR(redirect("http://a/b/c?q", "http://x:81/y"), "http://x:81/y");
	CHECK_STR(redirect("http://a/b/c", "https://x/y"), "https://x/y");
	CHECK_STR(redirect("https://a/b/c", "//x/y"), "https://x/y");
	CHECK_STR(redirect("http://a:8080/b/c", "/y/z"), "http://a:8080/y/z");
	CHECK_STR(redirect("http://a/b/c?q=/r", "d"), "http://a/b/d");
	CHECK_STR(redirect("http://a/b/", "d?e"), "http://a/b/d?e");
	CHECK_STR(redirect("http://a", "d"), "http://a/d");
	CHECK_STR(redirect("http://a?x", "d"), "http://a/d");
	CHECK_STR(redirect("http://a/b", "  /c"), "http://a/c");
}

TEST(url_redirect_refuses)
{
	CHECK_CONTAINS(redirect("https://a/b", "http://a/b"), "never without TLS");
	CHECK_CONTAINS(redirect("http://a/b", "tftp://a/b"), "only http:// and https://");
	CHECK_CONTAINS(redirect("http://a/b", "file:///etc"), "only http:// and https://");
	CHECK_CONTAINS(redirect("http://a/b", ""), "without a Location");
}

TEST(url_redirect_too_long)
{
	static char loc[URL_MAX + 10];
	char out[32];
	struct diag d;

	memset(loc, 'x', sizeof(loc) - 1);
	loc[0] = '/';
	CHECK(url_redirect("http://a/b", loc, out, sizeof(out), &d) != 0);
	CHECK_CONTAINS(d.msg, "longer than 31 bytes");
	CHECK(url_redirect("http://a/b", "/c", out, 10, &d) != 0);
	CHECK_EQ(url_redirect("http://a/b", "/c", out, 11, &d), 0);
	CHECK_STR(out, "http://a/c");
}

static const char *beside(const char *base, const char *name)
{
	static char out[URL_MAX + 1];
	static struct diag d;

	if (url_beside(base, name, out, sizeof(out), &d))
		return d.msg;
	return out;
}

TEST(url_beside_replaces_the_file_name)
{
	CHECK_STR(beside("http://example.com/somedir/loader.img", "fooos.efi"),
		  "http://example.com/somedir/fooos.efi");
	CHECK_STR(beside("https://h:8443/a/b/c.efi?x=/y#z", "d.efi"),
		  "https://h:8443/a/b/d.efi");
	CHECK_STR(beside("tftp://10.0.2.2/efikexec.efi", "uki.efi"),
		  "tftp://10.0.2.2/uki.efi");
	CHECK_STR(beside("http://h", "uki.efi"), "http://h/uki.efi");
	CHECK_STR(beside("http://h/d/", "uki.efi"), "http://h/d/uki.efi");
	/* the pin belongs to the file named */
	CHECK_STR(beside("http://h/d/x.efi", "uki.efi#sha256=00"),
		  "http://h/d/uki.efi#sha256=00");
}

TEST(url_beside_refuses)
{
	CHECK_CONTAINS(beside("\\EFI\\BOOT\\BOOTX64.EFI", "uki.efi"),
		       "is not an http://, https:// or tftp:// URL");
	CHECK_CONTAINS(beside("http://h/x", ""), "expected a file name");
	CHECK_CONTAINS(beside("http://h/x", "d/uki.efi"), "expected a file name");
	CHECK_CONTAINS(beside("http://h/x", "http://o/uki.efi"), "expected a file name");
	CHECK_CONTAINS(beside("http://h/x", "u.efi?a"), "expected a file name");
}

TEST(url_beside_too_long)
{
	char out[20];
	struct diag d;

	CHECK(url_beside("http://h/d/x", "uki.efi", out, 17, &d) != 0);
	CHECK_CONTAINS(d.msg, "the file name 'uki.efi' leads to a URL longer than 16 bytes");
	CHECK_EQ(url_beside("http://h/d/x", "uki.efi", out, 19, &d), 0);
	CHECK_STR(out, "http://h/d/uki.efi");
}

/* A node: type, subtype, length (little-endian), then the data */
static size_t node(uint8_t *at, uint8_t type, uint8_t subtype,
		   const void *data, size_t n)
{
	at[0] = type;
	at[1] = subtype;
	at[2] = (uint8_t)(n + 4);
	at[3] = (uint8_t)((n + 4) >> 8);
	if (n)
		memcpy(at + 4, data, n);
	return n + 4;
}

TEST(url_of_device_path_finds_the_uri_node)
{
	/* PciRoot/Pci/MAC/IPv4/Uri as OVMF's HTTP boot makes it */
	static const char uri[] = "http://10.0.2.100/boot/efikexec.efi";
	uint8_t dp[256], blank[40] = { 0 };
	size_t n = 0;
	char out[64];

	n += node(dp + n, 2, 1, blank, 8);   /* ACPI PciRoot */
	n += node(dp + n, 1, 1, blank, 2);   /* PCI */
	n += node(dp + n, 3, 11, blank, 33); /* MAC */
	n += node(dp + n, 3, 12, blank, 23); /* IPv4 */
	n += node(dp + n, 3, 24, uri, sizeof(uri) - 1);
	node(dp + n, 0x7f, 0xff, NULL, 0);
	CHECK(url_of_device_path(dp, out, sizeof(out)));
	CHECK_STR(out, uri);
	/* a NUL counted in the node is not part of the URL */
	node(dp + n - sizeof(uri) + 1 - 4, 3, 24, uri, sizeof(uri));
	node(dp + n + 1, 0x7f, 0xff, NULL, 0);
	CHECK(url_of_device_path(dp, out, sizeof(out)));
	CHECK_STR(out, uri);
	/* too long for out */
	CHECK(!url_of_device_path(dp, out, sizeof(uri) - 1));
}

TEST(url_of_device_path_none)
{
	uint8_t dp[64], blank[40] = { 0 };
	size_t n = 0;
	char out[64];

	/* a disk: no URI node */
	n += node(dp + n, 2, 1, blank, 8);
	n += node(dp + n, 4, 1, blank, 38);
	node(dp + n, 0x7f, 0xff, NULL, 0);
	CHECK(!url_of_device_path(dp, out, sizeof(out)));
	/* an end of instance (0x7f, 0x01) is not the end: the walk goes on */
	n = node(dp, 0x7f, 0x01, NULL, 0);
	n += node(dp + n, 3, 24, "tftp://h/x", 10);
	node(dp + n, 0x7f, 0xff, NULL, 0);
	CHECK(url_of_device_path(dp, out, sizeof(out)));
	CHECK_STR(out, "tftp://h/x");
	/* an empty URI node, and a node shorter than its header */
	n = node(dp, 3, 24, NULL, 0);
	node(dp + n, 0x7f, 0xff, NULL, 0);
	CHECK(!url_of_device_path(dp, out, sizeof(out)));
	dp[0] = 2;
	dp[1] = 1;
	dp[2] = 2;
	dp[3] = 0;
	CHECK(!url_of_device_path(dp, out, sizeof(out)));
}
