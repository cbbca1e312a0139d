/* An HTTP answer as a server may send it (lib/http.c): the input's first
 * line is the status, then "Name: value" header lines up to an empty
 * line, then a chunked body, decoded whole and then again in pieces
 * whose sizes the status picks: both give the same bytes. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_FIELDS 16

/* Decodes body[0, n) fed in pieces of `step`; returns the data bytes
 * (in out) or -1. */
static long decode(const uint8_t *body, size_t n, size_t step, uint8_t *out,
		   bool *done)
{
	uint8_t *buf = malloc(n ? n : 1);
	struct http_chunked c;
	struct diag d;
	size_t i = 0, o = 0;

	*done = false;
	memcpy(buf, body, n);
	http_chunked_init(&c);
	while (i < n && !http_chunked_done(&c)) {
		size_t k = n - i < step ? n - i : step, got, used;

		if (http_chunked_decode(&c, buf + i, k, buf + i, &got, &used, &d)) {
			free(buf);
			return -1;
		}
		if (got > used || used > k || (used < k && !http_chunked_done(&c)))
			abort();
		memcpy(out + o, buf + i, got);
		o += got;
		i += used;
	}
	*done = http_chunked_done(&c);
	free(buf);
	return (long)o;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_header h[MAX_FIELDS];
	char *s = malloc(size + 1), *p = s, *line;
	uint8_t *whole = malloc(size + 1), *pieces = malloc(size + 1);
	struct http_answer a;
	struct diag d;
	unsigned status;
	size_t n = 0;
	bool done1, done2;
	long n1, n2;

	memcpy(s, data, size);
	s[size] = '\0';
	status = (unsigned)strtoul(s, NULL, 10) % 1000;
	p = strchr(s, '\n');
	while (p && n < MAX_FIELDS) {
		char *colon;

		line = p + 1;
		p = strchr(line, '\n');
		if (p)
			*p = '\0';
		if (!*line || !(colon = strchr(line, ':')))
			break;
		*colon = '\0';
		h[n++] = (struct http_header){ line, colon + 1 };
	}
	if (!http_answer_read(status, h, n, &a, &d) && a.next == HTTP_REDIRECT &&
	    !a.location)
		abort();
	if (p) {
		const uint8_t *body = (const uint8_t *)data + (p + 1 - s);
		size_t len = size - (size_t)(p + 1 - s);

		n1 = decode(body, len, len ? len : 1, whole, &done1);
		n2 = decode(body, len, 1 + status % 7, pieces, &done2);
		if (n1 != n2 || done1 != done2 ||
		    (n1 > 0 && memcmp(whole, pieces, (size_t)n1)))
			abort();
	}
	free(s);
	free(whole);
	free(pieces);
	return 0;
}
