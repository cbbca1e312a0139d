/* URLs a file may be fetched from instead of a path: http://, https://,
 * tftp:// (RFC 3986 syntax, the part efikexec takes). Pure: parsing and
 * resolving only; the front end does the fetching (efi/net.c). */
#ifndef LIB_URL_H
#define LIB_URL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/diag.h"

enum url_scheme {
	URL_NONE, /* not a URL: a path on a volume */
	URL_HTTP,
	URL_HTTPS,
	URL_TFTP,
};

/* The longest URL taken, and the longest host name (RFC 1035 §2.3.4) */
#define URL_MAX 1024
#define URL_HOST_MAX 253

struct url {
	enum url_scheme scheme;
	char host[URL_HOST_MAX + 1]; /* a name or a dotted IPv4 address */
	uint16_t port;               /* the scheme's own when none is given */
	/* the path and query ("/dir/file?x"), pointing into the string
	 * parsed; "/" when it has none. Never the fragment. */
	const char *path;
	size_t path_len;
};

/* The scheme `s` starts with ("HTTP://" too), URL_NONE for anything
 * else: a path. */
enum url_scheme url_scheme_of(const char *s);

/* The length of a path's leading "name:" shell mapping ("fs0:", with the
 * colon), which names its volume; 0 when it has none. */
size_t url_path_mapping(const char *path);

/* Parses a URL of one of the three schemes. Refuses what efikexec cannot
 * fetch, naming it: user names, IPv6 literals, an empty host, a port
 * out of range, a space or control character anywhere. */
int url_parse(const char *s, struct url *u, struct diag *d);

/* Whether host is a dotted IPv4 address ("10.0.2.2"): four decimal
 * numbers of at most 255, no leading zeros (an octal trap elsewhere). */
bool url_ipv4(const char *host, uint8_t out[4]);

/* Where a redirect from base (a URL url_parse() took) to `location` (a
 * Location field) leads, written to out (not base): a URL as it is,
 * "//host/path" with base's scheme, "/path" on base's host, anything
 * else after the last '/' of base's path (RFC 3986 §5.2.2's merge; dot
 * segments are left to the server). Refuses a scheme but http and
 * https, and https to http: an https download never goes on without
 * TLS. */
int url_redirect(const char *base, const char *location, char *out,
		 size_t out_size, struct diag *d);

/* A file beside base: base (a URL) with the last segment of its path,
 * its query and its fragment replaced by name, written to out. The Boot
 * Loader Specification's `uki-url :NAME`, base the URL the boot loader
 * was loaded from. name is a file name: no '/', ':' or '?' (a pin,
 * "#sha256=...", stays on it). */
int url_beside(const char *base, const char *name, char *out,
	       size_t out_size, struct diag *d);

/* The URL in the first URI node (UEFI 2.10 §10.3.4.23: messaging type 3,
 * subtype 24) of the device path at dp, up to its end node, written to
 * out with a NUL: false when it has none, when it does not fit, or when a
 * node is shorter than its header. An image the firmware fetched by HTTP
 * boot has one in its device's path. */
bool url_of_device_path(const void *dp, char *out, size_t out_size);

#endif
