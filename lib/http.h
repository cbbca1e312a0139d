/* What an HTTP answer means for a download (RFC 9110, RFC 9112), where
 * the firmware's HTTP protocol leaves it to the caller: it parses the
 * status line and the header fields, but hands over the body as it
 * came, in chunks if so sent, and follows no redirect. Pure. */
#ifndef LIB_HTTP_H
#define LIB_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/diag.h"

struct http_header {
	const char *name;
	const char *value;
};

enum http_next {
	HTTP_BODY,     /* 200: the file follows */
	HTTP_REDIRECT, /* 301, 302, 303, 307, 308: ask `location` instead */
	HTTP_RETRY,    /* 408, 429, a 5xx but 501 and 505: ask again later */
};

struct http_answer {
	unsigned status;
	enum http_next next;
	const char *location; /* HTTP_REDIRECT: the Location field */
	bool chunked;         /* HTTP_BODY: chunked, its length unknown */
	uint64_t length;      /* HTTP_BODY, not chunked: Content-Length */
};

/* Reads the status and the header fields of an answer to a GET. Fails
 * for any other status, naming it, and for a body whose end could not
 * be told: neither Content-Length nor chunked (a cut connection would
 * look like a whole file), a Content-Length that is no number or given
 * twice differently, a transfer coding efikexec cannot undo (gzip). */
int http_answer_read(unsigned status, const struct http_header *h, size_t n,
		     struct http_answer *a, struct diag *d);

/* The chunked transfer coding (RFC 9112 §7.1), undone as the bytes come. */
struct http_chunked {
	uint8_t state;
	uint8_t digits;  /* of the chunk size read so far */
	uint64_t left;   /* the chunk's size, then its bytes still to come */
};

void http_chunked_init(struct http_chunked *c);

/* Decodes the n bytes at in: writes the data in them to out (room for n
 * bytes; out may be in itself, never ahead of it), *out_n bytes, and
 * sets *used to the bytes of in read: all of them until the body ends
 * (the last chunk and the trailer fields), then no more. Fails for
 * framing that breaks the coding. */
int http_chunked_decode(struct http_chunked *c, const uint8_t *in, size_t n,
			uint8_t *out, size_t *out_n, size_t *used,
			struct diag *d);

/* Whether the last chunk and the trailer have been read. */
bool http_chunked_done(const struct http_chunked *c);

/* The phases of one request, each with its own time limit: how long it
 * may go without a byte. Connecting (TCP, and TLS for https) happens
 * inside the firmware's Request() call, which returns when it is done:
 * its limit is the firmware's (EDK2: 60 s each). */
enum http_phase {
	HTTP_PHASE_CONNECT,
	HTTP_PHASE_REQUEST,    /* sending the request */
	HTTP_PHASE_FIRST_BYTE, /* the answer's head */
	HTTP_PHASE_BODY,       /* each pause within the body: a stall */
};
#define HTTP_REQUEST_TIMEOUT_MS 10000
#define HTTP_FIRST_BYTE_TIMEOUT_MS 10000
#define HTTP_STALL_TIMEOUT_MS 5000

/* The phase's limit in milliseconds; 0: the firmware's own */
unsigned http_phase_timeout_ms(enum http_phase phase);

/* The error for a phase that failed, naming it: `why` what the firmware
 * said, timed_out whether the wait for it ran out (the firmware's or
 * efikexec's), and, in the body, the bytes that came of `length` (0:
 * chunked, not known).
 * "receiving the body: no data for 5 s after 3547632 of 14190528 bytes" */
int http_phase_failed(enum http_phase phase, bool timed_out, const char *why,
		      uint64_t have, uint64_t length, struct diag *d);

/* How many times a download is tried in all, and the pause before try
 * number `attempt` (2, 3, ...): one second, doubled each time. */
#define HTTP_ATTEMPTS 4
unsigned http_retry_delay_ms(unsigned attempt);

#endif
