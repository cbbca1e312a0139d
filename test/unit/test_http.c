/* What an HTTP answer means for a download (lib/http.c). */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "lib/http.h"

static struct diag d;

static int answer(unsigned status, const char *n1, const char *v1,
		  const char *n2, const char *v2, struct http_answer *a)
{
	struct http_header h[] = { { n1, v1 }, { n2, v2 } };

	return http_answer_read(status, h, n2 ? 2 : n1 ? 1 : 0, a, &d);
}

TEST(http_answer_body_framing)
{
	struct http_answer a;

	CHECK_EQ(answer(200, "Content-Length", "1234", "Server", "x", &a), 0);
	CHECK_EQ(a.next, HTTP_BODY);
	CHECK(!a.chunked);
	CHECK_EQ(a.length, 1234);
	CHECK_EQ(answer(200, "content-length", " 7 , 7", NULL, NULL, &a), 0);
	CHECK_EQ(a.length, 7);
	CHECK_EQ(answer(200, "Content-Length", "18446744073709551615", NULL, NULL, &a), 0);
	CHECK_EQ(a.length, UINT64_MAX);
	/* chunked wins over a Content-Length */
	CHECK_EQ(answer(200, "Content-Length", "10", "Transfer-Encoding", " Chunked ", &a), 0);
	CHECK(a.chunked);
	CHECK_EQ(a.length, 0);
}

TEST(http_answer_refuses_unknowable_ends)
{
	struct http_answer a;

	CHECK(answer(200, "Server", "x", NULL, NULL, &a) != 0);
	CHECK_CONTAINS(d.msg, "neither a Content-Length nor chunked");
	CHECK(answer(200, "Content-Length", "12x", NULL, NULL, &a) != 0);
	CHECK_CONTAINS(d.msg, "'12x' is not a number");
	CHECK(answer(200, "Content-Length", "", NULL, NULL, &a) != 0);
	CHECK(answer(200, "Content-Length", "-1", NULL, NULL, &a) != 0);
	CHECK(answer(200, "Content-Length", "18446744073709551616", NULL, NULL, &a) != 0);
	CHECK_CONTAINS(d.msg, "too large");
	CHECK(answer(200, "Content-Length", "5", "Content-Length", "6", &a) != 0);
	CHECK_CONTAINS(d.msg, "two Content-Lengths, 5 and 6");
	CHECK(answer(200, "Content-Length", "5,6", NULL, NULL, &a) != 0);
	CHECK(answer(200, "Transfer-Encoding", "gzip, chunked", NULL, NULL, &a) != 0);
	CHECK_CONTAINS(d.msg, "Transfer-Encoding: gzip, chunked");
	CHECK(answer(200, "Transfer-Encoding", "chunkedx", NULL, NULL, &a) != 0);
}

TEST(http_answer_status)
{
	struct http_answer a;

	CHECK_EQ(answer(302, "Location", "/x", NULL, NULL, &a), 0);
	CHECK_EQ(a.next, HTTP_REDIRECT);
	CHECK_STR(a.location, "/x");
	CHECK_EQ(answer(308, "location", "http://h/", NULL, NULL, &a), 0);
	CHECK_EQ(a.next, HTTP_REDIRECT);
	CHECK(answer(301, "Content-Length", "0", NULL, NULL, &a) != 0);
	CHECK_CONTAINS(d.msg, "HTTP status 301, a redirect without a Location");
	CHECK_EQ(answer(503, "Retry-After", "1", NULL, NULL, &a), 0);
	CHECK_EQ(a.next, HTTP_RETRY);
	CHECK_EQ(a.status, 503);
	CHECK_EQ(answer(429, NULL, NULL, NULL, NULL, &a), 0);
	CHECK_EQ(a.next, HTTP_RETRY);
	CHECK_EQ(answer(404, NULL, NULL, NULL, NULL, &a), ERR_NOT_FOUND);
	CHECK_STR(d.msg, "HTTP status 404");
	CHECK_EQ(answer(501, NULL, NULL, NULL, NULL, &a), ERR_IO);
	CHECK_EQ(answer(206, "Content-Length", "1", NULL, NULL, &a), ERR_IO);
	CHECK_EQ(answer(204, NULL, NULL, NULL, NULL, &a), ERR_IO);
}

/* Decodes s fed in pieces of `step` bytes, in place; returns the data,
 * or "error: ..." */
static const char *dechunk(const char *s, size_t step, bool *done)
{
	static char out[256];
	size_t n = strlen(s), o = 0;
	struct http_chunked c;
	char *buf = malloc(n + 1);

	memcpy(buf, s, n + 1);
	http_chunked_init(&c);
	for (size_t i = 0; i < n && !http_chunked_done(&c);) {
		size_t k = n - i < step ? n - i : step, got, used;

		if (http_chunked_decode(&c, (uint8_t *)buf + i, k, (uint8_t *)buf + i,
					&got, &used, &d)) {
			free(buf);
			strcpy(out, "error: ");
			strcat(out, d.msg);
			return out;
		}
		memcpy(out + o, buf + i, got);
		o += got;
		i += used;
	}
	out[o] = '\0';
	*done = http_chunked_done(&c);
	free(buf);
	return out;
}

TEST(http_chunked_decodes_in_any_pieces)
{
	static const char body[] =
		"5\r\nhello\r\n1;ext=\"a;b\"\r\n \r\n0A  \r\n0123456789\r\n"
		"0\r\nTrailer: x\r\n\r\nNEXT";
	bool done;

	for (size_t step = 1; step <= sizeof(body); step++) {
		CHECK_STR(dechunk(body, step, &done), "hello 0123456789");
		CHECK(done);
	}
	/* bare LFs, upper-case hex, no trailer */
	CHECK_STR(dechunk("B\nhello world\n0\n\n", 3, &done), "hello world");
	CHECK(done);
	/* not ended yet: no last chunk */
	CHECK_STR(dechunk("3\r\nabc\r\n", 2, &done), "abc");
	CHECK(!done);
	CHECK_STR(dechunk("3\r\nabc\r\n0\r\n", 100, &done), "abc");
	CHECK(!done);
}

TEST(http_chunked_refuses_broken_framing)
{
	bool done;

	CHECK_CONTAINS(dechunk("x\r\n", 1, &done), "error: a chunk size expected, found byte 0x78");
	CHECK_CONTAINS(dechunk("\r\n", 1, &done), "chunk size expected");
	CHECK_CONTAINS(dechunk("3\r\nabcd\r\n", 2, &done), "runs on past its size (byte 0x64");
	CHECK_CONTAINS(dechunk("3\r\nabc\rX", 2, &done), "runs on past its size");
	CHECK_CONTAINS(dechunk("1000000000000000\r\n", 4, &done), "more than 15 hex digits");
	CHECK_CONTAINS(dechunk("0\r\n\rx", 4, &done), "ends with CR");
}

TEST(http_retry_backs_off)
{
	CHECK_EQ(http_retry_delay_ms(1), 0);
	CHECK_EQ(http_retry_delay_ms(2), 1000);
	CHECK_EQ(http_retry_delay_ms(3), 2000);
	CHECK_EQ(http_retry_delay_ms(HTTP_ATTEMPTS), 4000);
}

TEST(http_phases_have_their_own_limits)
{
	/* connecting is the firmware's; a stall is short enough that a test
	 * (and a user) waits seconds for its error, not minutes */
	CHECK_EQ(http_phase_timeout_ms(HTTP_PHASE_CONNECT), 0);
	CHECK_EQ(http_phase_timeout_ms(HTTP_PHASE_REQUEST), 10000);
	CHECK_EQ(http_phase_timeout_ms(HTTP_PHASE_FIRST_BYTE), 10000);
	CHECK_EQ(http_phase_timeout_ms(HTTP_PHASE_BODY), 5000);
}

TEST(http_phase_errors_name_the_phase)
{
	CHECK(http_phase_failed(HTTP_PHASE_CONNECT, false, "Connection Refused", 0, 0, &d));
	CHECK_STR(d.msg, "connecting: Connection Refused");
	CHECK(http_phase_failed(HTTP_PHASE_REQUEST, true, "Timeout", 0, 0, &d));
	CHECK_STR(d.msg, "sending the request: not sent in 10 s");
	CHECK(http_phase_failed(HTTP_PHASE_FIRST_BYTE, true, "Timeout", 0, 0, &d));
	CHECK_STR(d.msg, "waiting for the answer: none came in time");
	CHECK(http_phase_failed(HTTP_PHASE_FIRST_BYTE, false, "Connection Closed", 0, 0, &d));
	CHECK_STR(d.msg, "waiting for the answer: Connection Closed");
	/* in the body: a stall, or a connection that ended, with the count */
	CHECK(http_phase_failed(HTTP_PHASE_BODY, true, "Timeout", 3547632, 14190528, &d));
	CHECK_STR(d.msg, "receiving the body: no data for 5 s after 3547632 of 14190528 bytes");
	CHECK(http_phase_failed(HTTP_PHASE_BODY, true, "Timeout", 100, 0, &d));
	CHECK_STR(d.msg, "receiving the body: no data for 5 s after 100 bytes");
	CHECK(http_phase_failed(HTTP_PHASE_BODY, false, "Connection Closed", 7, 14, &d));
	CHECK_STR(d.msg, "receiving the body: the connection ended after 7 of 14 bytes (Connection Closed)");
	CHECK(http_phase_failed(HTTP_PHASE_BODY, false, "Connection Closed", 7, 0, &d));
	CHECK_CONTAINS(d.msg, "after 7 bytes, before the last chunk");
	CHECK_EQ(d.code, ERR_IO);
}
