/* URLs, redirects and pins as a command line or a boot entry brings them
 * (lib/url.c, lib/pin.c): the input is "URL\nLOCATION" (a Location field,
 * or uki-url's :NAME), or a path with a pin. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/pin.h"
#include "lib/url.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), *location, out[URL_MAX + 1];
	struct url u, v;
	struct pin pin;
	struct diag d;
	uint8_t ip[4];

	memcpy(s, data, size);
	s[size] = '\0';
	if (!pin_split(s, &pin, &d) && pin.set && strlen(s) + 72 > size + 1)
		abort(); /* the pin is taken off, nothing else */
	location = strchr(s, '\n');
	if (location)
		*location++ = '\0';
	if (!url_parse(s, &u, &d)) {
		/* what it found lies within the string, or is "/" */
		if (!u.host[0] || u.path[0] != '/' || memchr(u.path, '#', u.path_len) ||
		    (u.path_len > 1 && (u.path < s || u.path + u.path_len > s + strlen(s))))
			abort();
		url_ipv4(u.host, ip);
		/* a redirect leads to a URL of the same family, or fails */
		if (location && !url_redirect(s, location, out, sizeof(out), &d) &&
		    strlen(out) < sizeof(out) && !url_parse(out, &v, &d) &&
		    u.scheme == URL_HTTPS && v.scheme == URL_HTTP)
			abort();
		/* a file beside it (uki-url :NAME) is on the same server and
		 * ends in the name */
		if (location && !url_beside(s, location, out, sizeof(out), &d) &&
		    ((!url_parse(out, &v, &d) &&
		      (v.scheme != u.scheme || strcmp(v.host, u.host))) ||
		     strlen(out) < strlen(location) ||
		     strcmp(out + strlen(out) - strlen(location), location)))
			abort();
	}
	free(s);
	return 0;
}
