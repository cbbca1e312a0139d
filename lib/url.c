#include "lib/url.h"

#include "lib/ascii.h"
#include "lib/mem.h"

/* The schemes by enum url_scheme: how a URL starts, the port it means
 * when it names none */
static const struct {
	const char *prefix;
	uint16_t port;
} schemes[] = {
	[URL_HTTP] = { "http://", 80 },
	[URL_HTTPS] = { "https://", 443 },
	[URL_TFTP] = { "tftp://", 69 },
};

/* Whether s starts with prefix, ignoring the case of letters. */
static bool starts_with_nocase(const char *s, const char *prefix)
{
	for (; *prefix; s++, prefix++)
		if (ascii_lower(*s) != *prefix)
			return false;
	return true;
}

enum url_scheme url_scheme_of(const char *s)
{
	for (enum url_scheme k = URL_HTTP; k <= URL_TFTP; k++)
		if (starts_with_nocase(s, schemes[k].prefix))
			return k;
	return URL_NONE;
}

size_t url_path_mapping(const char *path)
{
	for (size_t i = 0; path[i] && path[i] != '\\' && path[i] != '/'; i++)
		if (path[i] == ':')
			return i + 1;
	return 0;
}

/* A byte a host name may hold: letters, digits, '-', '.', and '_' (not
 * in RFC 1123 host names, but in names that resolve all the same). */
static bool host_char(char c)
{
	return ascii_alpha(c) || ascii_digit(c) || c == '-' || c == '.' || c == '_';
}

int url_parse(const char *s, struct url *u, struct diag *d)
{
	enum url_scheme scheme = url_scheme_of(s);
	const char *p, *host, *end;
	size_t n = strlen(s);

	*u = (struct url){ .scheme = scheme };
	if (scheme == URL_NONE)
		return diag_fail(d, ERR_USAGE,
				 "'%s' is not an http://, https:// or tftp:// URL", s);
	if (n > URL_MAX)
		return diag_fail(d, ERR_USAGE, "URL '%.64s...' is longer than %d bytes",
				 s, URL_MAX);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] <= ' ' || (unsigned char)s[i] >= 0x7f)
			return diag_fail(d, ERR_USAGE,
					 "URL '%s' has a space, control or non-ASCII byte (0x%02x) at %zu: write it %%-encoded",
					 s, (unsigned char)s[i], i);
	host = p = s + strlen(schemes[scheme].prefix);
	while (*p && *p != '/' && *p != ':' && *p != '?' && *p != '#') {
		if (*p == '@')
			return diag_fail(d, ERR_USAGE,
					 "URL '%s': a user name in a URL is not supported", s);
		if (*p == '[')
			return diag_fail(d, ERR_UNSUPPORTED,
					 "URL '%s': IPv6 addresses are not supported yet", s);
		if (!host_char(*p))
			return diag_fail(d, ERR_USAGE,
					 "URL '%s': '%c' cannot be in a host name", s, *p);
		p++;
	}
	if (p == host)
		return diag_fail(d, ERR_USAGE, "URL '%s' has no host", s);
	if ((size_t)(p - host) > URL_HOST_MAX)
		return diag_fail(d, ERR_USAGE, "URL '%s': the host name is longer than %d bytes",
				 s, URL_HOST_MAX);
	memcpy(u->host, host, (size_t)(p - host));
	u->host[p - host] = '\0';
	u->port = schemes[scheme].port;
	if (*p == ':') {
		uint32_t port = 0;
		const char *digits = ++p;

		while (ascii_digit(*p) && port <= 65535)
			port = port * 10 + (uint32_t)(*p++ - '0');
		if (p == digits || port == 0 || port > 65535 || ascii_digit(*p))
			return diag_fail(d, ERR_USAGE,
					 "URL '%s': the port must be a number from 1 to 65535", s);
		u->port = (uint16_t)port;
	}
	if (*p && *p != '/' && *p != '#')
		return diag_fail(d, ERR_USAGE, "URL '%s': expected '/' after the host, found '%c'",
				 s, *p);
	for (end = p; *end && *end != '#'; end++)
		;
	u->path = p == end ? "/" : p;
	u->path_len = p == end ? 1 : (size_t)(end - p);
	return 0;
}

bool url_ipv4(const char *host, uint8_t out[4])
{
	const char *p = host;

	for (int i = 0; i < 4; i++) {
		const char *start;
		unsigned v = 0;

		if (i && *p++ != '.')
			return false;
		for (start = p; ascii_digit(*p) && p - start < 4; p++)
			v = v * 10 + (unsigned)(*p - '0');
		if (p == start || p - start > 3 || v > 255 ||
		    (p - start > 1 && *start == '0'))
			return false;
		out[i] = (uint8_t)v;
	}
	return !*p;
}

/* The length of base's "scheme://authority", before its path. */
static size_t origin_length(const char *base)
{
	const char *p = base + strlen(schemes[url_scheme_of(base)].prefix);

	while (*p && *p != '/' && *p != '?' && *p != '#')
		p++;
	return (size_t)(p - base);
}

/* Writes na bytes of a (which may be out itself), then b, to out; `how`
 * names what led there in the error. */
static int join(const char *a, size_t na, const char *b, char *out,
		size_t out_size, const char *how, struct diag *d)
{
	size_t nb = strlen(b);

	if (na + nb >= out_size)
		return diag_fail(d, ERR_UNSUPPORTED,
				 "%s '%.64s' leads to a URL longer than %zu bytes",
				 how, b, out_size - 1);
	memmove(out, a, na);
	memcpy(out + na, b, nb + 1);
	return 0;
}

/* A relative reference: after the last '/' of base's path, before its
 * query and fragment. */
static int merge(const char *base, const char *rel, char *out,
		 size_t out_size, const char *how, struct diag *d)
{
	size_t dir = origin_length(base);

	for (const char *p = base + dir; *p && *p != '?' && *p != '#'; p++)
		if (*p == '/')
			dir = (size_t)(p - base) + 1;
	if (dir == origin_length(base)) { /* no path: "/" is its directory */
		int rc = join(base, dir, "/", out, out_size, how, d);

		return rc ? rc : join(out, dir + 1, rel, out, out_size, how, d);
	}
	return join(base, dir, rel, out, out_size, how, d);
}

int url_redirect(const char *base, const char *location, char *out,
		 size_t out_size, struct diag *d)
{
	const char *how = "a redirect to";
	enum url_scheme from = url_scheme_of(base), to = url_scheme_of(location);
	const char *p;

	while (ascii_space(*location))
		location++;
	if (!*location)
		return diag_fail(d, ERR_BAD_IMAGE, "a redirect without a Location");
	/* "scheme:" before any '/': a URL of its own */
	for (p = location; ascii_alpha(*p) || ascii_digit(*p) || *p == '+' ||
			   *p == '-' || *p == '.'; p++)
		;
	if (*p == ':' && p != location && to != URL_HTTP && to != URL_HTTPS)
		return diag_fail(d, ERR_UNSUPPORTED,
				 "a redirect to '%s': only http:// and https:// are followed",
				 location);
	if (from == URL_HTTPS && to == URL_HTTP)
		return diag_fail(d, ERR_UNSUPPORTED,
				 "a redirect from https to '%s': never without TLS", location);
	if (to != URL_NONE)
		return join("", 0, location, out, out_size, how, d);
	if (location[0] == '/' && location[1] == '/')
		return join(base, strlen(schemes[from].prefix) - 2, location, out,
			    out_size, how, d);
	if (location[0] == '/')
		return join(base, origin_length(base), location, out, out_size,
			    how, d);
	return merge(base, location, out, out_size, how, d);
}

int url_beside(const char *base, const char *name, char *out,
	       size_t out_size, struct diag *d)
{
	const char *p = name;

	while (*p && *p != '/' && *p != ':' && *p != '?')
		p++;
	if (url_scheme_of(base) == URL_NONE)
		return diag_fail(d, ERR_USAGE,
				 "'%s' is not an http://, https:// or tftp:// URL", base);
	if (!*name || *p)
		return diag_fail(d, ERR_USAGE,
				 "':%s': expected a file name after the ':'", name);
	return merge(base, name, out, out_size, "the file name", d);
}

/* UEFI 2.10 §10.3.1: every node starts with its type, subtype and length
 * (little-endian, with the header) */
#define DP_HEADER 4
#define DP_TYPE_MESSAGING 0x03
#define DP_SUBTYPE_URI 24
#define DP_TYPE_END 0x7f
#define DP_SUBTYPE_END_ENTIRE 0xff

bool url_of_device_path(const void *dp, char *out, size_t out_size)
{
	const uint8_t *node = dp;

	for (;;) {
		size_t len = (size_t)node[2] | (size_t)node[3] << 8, n = 0;

		if (node[0] == DP_TYPE_END && node[1] == DP_SUBTYPE_END_ENTIRE)
			return false;
		if (len < DP_HEADER)
			return false;
		if (node[0] == DP_TYPE_MESSAGING && node[1] == DP_SUBTYPE_URI) {
			/* (the firmware may or may not count a NUL in it) */
			while (n < len - DP_HEADER && node[DP_HEADER + n])
				n++;
			if (!n || n >= out_size)
				return false;
			memcpy(out, node + DP_HEADER, n);
			out[n] = '\0';
			return true;
		}
		node += len;
	}
}
