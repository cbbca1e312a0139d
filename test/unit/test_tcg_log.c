#include <string.h>

#include "harness.h"
#include "lib/bytes.h"
#include "lib/tcg_log.h"

static uint8_t log_buf[512];

static size_t put(size_t off, const void *p, size_t n)
{
	memcpy(log_buf + off, p, n);
	return off + n;
}

static size_t put32_at(size_t off, uint32_t v)
{
	return put(off, &v, 4);
}

static size_t put16_at(size_t off, uint16_t v)
{
	return put(off, &v, 2);
}

/* A log as OVMF writes it: Spec ID (SHA-1 and SHA-256), then one event. */
static size_t make_log(size_t *first_event)
{
	static const char sig[16] = "Spec ID Event03";
	uint8_t zero[64] = { 0 }, d1[20], d256[32];
	size_t off = 0;

	off = put32_at(off, 0);          /* PCR */
	off = put32_at(off, 3);          /* EV_NO_ACTION */
	off = put(off, zero, 20);        /* SHA-1 digest */
	off = put32_at(off, 16 + 4 + 4 + 4 + 2 * 4 + 1 + 2);
	off = put(off, sig, 16);
	off = put32_at(off, 0);          /* platform class */
	off = put(off, "\0\2\0\2", 4);   /* versions, uintn size */
	off = put32_at(off, 2);
	off = put16_at(off, 0x0004);
	off = put16_at(off, 20);
	off = put16_at(off, TCG_ALG_SHA256);
	off = put16_at(off, 32);
	off = put(off, "\2ab", 3);       /* vendor info: 2 bytes */
	*first_event = off;
	memset(d1, 0x11, sizeof(d1));
	memset(d256, 0x22, sizeof(d256));
	off = put32_at(off, 9);
	off = put32_at(off, 0xd);
	off = put32_at(off, 2);
	off = put16_at(off, 0x0004);
	off = put(off, d1, 20);
	off = put16_at(off, TCG_ALG_SHA256);
	off = put(off, d256, 32);
	off = put32_at(off, 6);
	off = put(off, "/linux", 6);
	return off;
}

TEST(tcg_log_parses_spec_id_and_events)
{
	struct tcg_log_algs algs;
	struct tcg_event e;
	size_t first, end = make_log(&first);

	CHECK_EQ(tcg_log_spec_id(log_buf, end, &algs), first);
	CHECK_EQ(algs.n, 2);
	CHECK_EQ(algs.alg[1].id, TCG_ALG_SHA256);
	CHECK_EQ(algs.alg[1].size, 32);
	CHECK_EQ(tcg_event_parse(log_buf + first, end - first, &algs, &e), end - first);
	CHECK_EQ(e.pcr, 9);
	CHECK_EQ(e.type, 0xd);
	CHECK_EQ(e.ndigests, 2);
	CHECK_EQ(e.digest[1].alg, TCG_ALG_SHA256);
	CHECK_EQ(e.digest[1].digest[31], 0x22);
	CHECK_EQ(e.data_size, 6);
	CHECK(!memcmp(e.data, "/linux", 6));
}

TEST(tcg_log_refuses_malformed)
{
	struct tcg_log_algs algs;
	size_t first, end = make_log(&first);

	/* every truncation of the event is refused */
	tcg_log_spec_id(log_buf, end, &algs);
	for (size_t n = 0; n < end - first; n++)
		CHECK_EQ(tcg_event_parse(log_buf + first, n, &algs, NULL), 0);
	/* an algorithm the Spec ID event did not list */
	put16_at(first + 12, 0x000c);
	CHECK_EQ(tcg_event_parse(log_buf + first, end - first, &algs, NULL), 0);
	/* more digests than algorithms */
	make_log(&first);
	put32_at(first + 8, 3);
	CHECK_EQ(tcg_event_parse(log_buf + first, end - first, &algs, NULL), 0);
	/* not a Spec ID event: a wrong signature, or the log truncated */
	make_log(&first);
	CHECK_EQ(tcg_log_spec_id(log_buf, first - 1, &algs), 0);
	log_buf[32] = 'X';
	CHECK_EQ(tcg_log_spec_id(log_buf, end, &algs), 0);
	/* no algorithms */
	make_log(&first);
	put32_at(32 + 24, 0);
	CHECK_EQ(tcg_log_spec_id(log_buf, end, &algs), 0);
}
