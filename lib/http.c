#include "lib/http.h"

#include "lib/ascii.h"
#include "lib/mem.h"

/* Whether a and b are equal, ignoring the case of letters (field names
 * and codings are case-insensitive, RFC 9110 §5.1, §8.4.1). */
static bool equal_nocase(const char *a, const char *b)
{
	for (; *a && ascii_lower(*a) == ascii_lower(*b); a++, b++)
		;
	return ascii_lower(*a) == ascii_lower(*b);
}

static bool is_redirect(unsigned status)
{
	return status == 301 || status == 302 || status == 303 ||
	       status == 307 || status == 308;
}

/* Worth asking again: the server said so (408 Request Timeout, 429 Too
 * Many Requests) or failed for now (5xx), but for 501 Not Implemented
 * and 505 HTTP Version Not Supported, which the next try gets too. */
static bool is_retry(unsigned status)
{
	return status == 408 || status == 429 ||
	       (status >= 500 && status <= 599 && status != 501 && status != 505);
}

/* The Content-Length value: 1*DIGIT, or a list of the same number
 * ("10, 10", RFC 9110 §8.6, as a proxy may leave it). */
static int content_length(const char *v, uint64_t *out, bool *seen,
			  struct diag *d)
{
	const char *p = v;

	for (;;) {
		uint64_t n = 0;
		const char *digits;

		while (*p == ' ' || *p == '\t')
			p++;
		for (digits = p; ascii_digit(*p); p++) {
			uint64_t digit = (uint64_t)(*p - '0');

			if (n > (UINT64_MAX - digit) / 10)
				return diag_fail(d, ERR_BAD_IMAGE,
						 "Content-Length '%s' is too large", v);
			n = n * 10 + digit;
		}
		while (*p == ' ' || *p == '\t')
			p++;
		if (p == digits || (*p && *p != ','))
			return diag_fail(d, ERR_BAD_IMAGE,
					 "Content-Length '%s' is not a number", v);
		if (*seen && n != *out)
			return diag_fail(d, ERR_BAD_IMAGE,
					 "two Content-Lengths, %lu and %lu", *out, n);
		*out = n;
		*seen = true;
		if (!*p++)
			return 0;
	}
}

/* Transfer-Encoding: only "chunked" (in any case, with white space
 * around it) is one efikexec undoes; a compression before it is not. */
static int transfer_coding(const char *value, bool *chunked, struct diag *d)
{
	const char *v = value;
	char word[8];
	size_t n = 0;

	while (*v == ' ' || *v == '\t')
		v++;
	while (*v && *v != ' ' && *v != '\t' && n < sizeof(word) - 1)
		word[n++] = *v++;
	word[n] = '\0';
	while (*v == ' ' || *v == '\t')
		v++;
	if (*v || !equal_nocase(word, "chunked"))
		return diag_fail(d, ERR_UNSUPPORTED,
				 "the server sends it in a transfer coding efikexec cannot undo (Transfer-Encoding: %s)",
				 value);
	*chunked = true;
	return 0;
}

int http_answer_read(unsigned status, const struct http_header *h, size_t n,
		     struct http_answer *a, struct diag *d)
{
	bool have_length = false;
	int rc;

	*a = (struct http_answer){ .status = status, .next = HTTP_BODY };
	if (is_redirect(status) || is_retry(status)) {
		a->next = is_redirect(status) ? HTTP_REDIRECT : HTTP_RETRY;
		for (size_t i = 0; i < n; i++)
			if (equal_nocase(h[i].name, "Location"))
				a->location = h[i].value;
		if (a->next == HTTP_REDIRECT && !a->location)
			return diag_fail(d, ERR_BAD_IMAGE,
					 "HTTP status %u, a redirect without a Location", status);
		return 0;
	}
	if (status != 200)
		return diag_fail(d, status == 404 || status == 410 ? ERR_NOT_FOUND :
				 ERR_IO, "HTTP status %u", status);
	for (size_t i = 0; i < n; i++) {
		if (equal_nocase(h[i].name, "Transfer-Encoding"))
			rc = transfer_coding(h[i].value, &a->chunked, d);
		else if (equal_nocase(h[i].name, "Content-Length"))
			rc = content_length(h[i].value, &a->length, &have_length, d);
		else
			rc = 0;
		if (rc)
			return rc;
	}
	/* the transfer coding overrides a Content-Length (RFC 9112 §6.3) */
	if (a->chunked)
		a->length = 0;
	else if (!have_length)
		return diag_fail(d, ERR_UNSUPPORTED,
				 "the answer has neither a Content-Length nor chunked transfer coding: a cut connection could not be told from the end of the file");
	return 0;
}

/* Where http_chunked_decode() is in the coding */
enum {
	CHUNK_SIZE,      /* the hex digits of a chunk's size */
	CHUNK_EXTENSION, /* after them, up to the end of the line */
	CHUNK_DATA,
	CHUNK_DATA_CR,   /* the CRLF after a chunk's data */
	CHUNK_DATA_LF,
	TRAILER_START,   /* a trailer field's line, or the empty line */
	TRAILER_LINE,
	TRAILER_END_LF,
	CHUNKED_DONE,
};

/* The largest chunk size taken: 15 hex digits, so that no sum of sizes
 * a download can reach wraps */
#define CHUNK_DIGITS_MAX 15

void http_chunked_init(struct http_chunked *c)
{
	*c = (struct http_chunked){ .state = CHUNK_SIZE };
}

bool http_chunked_done(const struct http_chunked *c)
{
	return c->state == CHUNKED_DONE;
}

static int hex_digit(uint8_t b)
{
	if (b >= '0' && b <= '9')
		return b - '0';
	b |= 0x20;
	return b >= 'a' && b <= 'f' ? b - 'a' + 10 : -1;
}

/* The end of a chunk-size line: its data follows, or the trailer. */
static void size_line_end(struct http_chunked *c)
{
	c->state = c->left ? CHUNK_DATA : TRAILER_START;
}

int http_chunked_decode(struct http_chunked *c, const uint8_t *in, size_t n,
			uint8_t *out, size_t *out_n, size_t *used,
			struct diag *d)
{
	size_t i = 0, o = 0;

	while (i < n && c->state != CHUNKED_DONE) {
		uint8_t b = in[i];
		int v;

		switch (c->state) {
		case CHUNK_SIZE:
			if ((v = hex_digit(b)) >= 0) {
				if (++c->digits > CHUNK_DIGITS_MAX)
					return diag_fail(d, ERR_BAD_IMAGE,
							 "a chunk size of more than %d hex digits",
							 CHUNK_DIGITS_MAX);
				c->left = c->left << 4 | (uint64_t)v;
			} else if (!c->digits) {
				return diag_fail(d, ERR_BAD_IMAGE,
						 "a chunk size expected, found byte 0x%02x", b);
			} else if (b == '\n') {
				size_line_end(c);
			} else {
				/* ";name=value" extensions, white space before
				 * them, the CR: ignored to the end of the line */
				c->state = CHUNK_EXTENSION;
			}
			i++;
			break;
		case CHUNK_EXTENSION:
			if (b == '\n')
				size_line_end(c);
			i++;
			break;
		case CHUNK_DATA: {
			size_t k = n - i < c->left ? n - i : (size_t)c->left;

			memmove(out + o, in + i, k);
			o += k;
			i += k;
			c->left -= k;
			if (!c->left)
				c->state = CHUNK_DATA_CR;
			break;
		}
		case CHUNK_DATA_CR:
		case CHUNK_DATA_LF:
			/* CRLF, or a bare LF (RFC 9112 §2.2 lets a
			 * recipient take one) */
			if (b == '\r' && c->state == CHUNK_DATA_CR) {
				c->state = CHUNK_DATA_LF;
			} else if (b == '\n') {
				c->state = CHUNK_SIZE;
				c->digits = 0;
			} else {
				return diag_fail(d, ERR_BAD_IMAGE,
						 "a chunk's data runs on past its size (byte 0x%02x where CRLF belongs)",
						 b);
			}
			i++;
			break;
		case TRAILER_START:
			c->state = b == '\r' ? TRAILER_END_LF :
				   b == '\n' ? CHUNKED_DONE : TRAILER_LINE;
			i++;
			break;
		case TRAILER_LINE:
			if (b == '\n')
				c->state = TRAILER_START;
			i++;
			break;
		case TRAILER_END_LF:
			if (b != '\n')
				return diag_fail(d, ERR_BAD_IMAGE,
						 "the chunked body ends with CR, byte 0x%02x", b);
			c->state = CHUNKED_DONE;
			i++;
			break;
		}
	}
	*out_n = o;
	*used = i;
	return 0;
}

unsigned http_retry_delay_ms(unsigned attempt)
{
	return attempt < 2 ? 0 : 1000u << (attempt - 2);
}

unsigned http_phase_timeout_ms(enum http_phase phase)
{
	switch (phase) {
	case HTTP_PHASE_REQUEST:
		return HTTP_REQUEST_TIMEOUT_MS;
	case HTTP_PHASE_FIRST_BYTE:
		return HTTP_FIRST_BYTE_TIMEOUT_MS;
	case HTTP_PHASE_BODY:
		return HTTP_STALL_TIMEOUT_MS;
	default:
		return 0;
	}
}

int http_phase_failed(enum http_phase phase, bool timed_out, const char *why,
		      uint64_t have, uint64_t length, struct diag *d)
{
	unsigned s = http_phase_timeout_ms(phase) / 1000;

	switch (phase) {
	case HTTP_PHASE_CONNECT:
		return diag_fail(d, ERR_IO, "connecting: %s", why);
	case HTTP_PHASE_REQUEST:
		if (timed_out)
			return diag_fail(d, ERR_IO, "sending the request: not sent in %u s", s);
		return diag_fail(d, ERR_IO, "sending the request: %s", why);
	case HTTP_PHASE_FIRST_BYTE:
		/* the firmware may give up first: the limit is not named */
		if (timed_out)
			return diag_fail(d, ERR_IO, "waiting for the answer: none came in time");
		return diag_fail(d, ERR_IO, "waiting for the answer: %s", why);
	default:
		break;
	}
	if (timed_out && length)
		return diag_fail(d, ERR_IO, "receiving the body: no data for %u s after %lu of %lu bytes",
				 s, have, length);
	if (timed_out)
		return diag_fail(d, ERR_IO, "receiving the body: no data for %u s after %lu bytes",
				 s, have);
	if (length)
		return diag_fail(d, ERR_IO, "receiving the body: the connection ended after %lu of %lu bytes (%s)",
				 have, length, why);
	return diag_fail(d, ERR_IO, "receiving the body: the connection ended after %lu bytes, before the last chunk (%s)",
			 have, why);
}
