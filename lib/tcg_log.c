#include "lib/tcg_log.h"

#include "lib/bytes.h"
#include "lib/mem.h"

/* TCG_PCR_EVENT: PCRIndex, EventType, SHA-1 digest, EventSize, Event */
#define LEGACY_HEADER (4 + 4 + 20 + 4)
/* TCG_EfiSpecIdEvent up to its algorithm list */
#define SPEC_ID_FIXED (16 + 4 + 1 + 1 + 1 + 1 + 4)
#define EV_NO_ACTION 3

size_t tcg_log_spec_id(const uint8_t *log, size_t avail, struct tcg_log_algs *algs)
{
	static const char signature[16] = "Spec ID Event03";
	const uint8_t *spec = log + LEGACY_HEADER;
	uint32_t size, n;
	size_t used;

	if (avail < LEGACY_HEADER + SPEC_ID_FIXED || get32(log) != 0 ||
	    get32(log + 4) != EV_NO_ACTION)
		return 0;
	size = get32(log + LEGACY_HEADER - 4);
	if (size > avail - LEGACY_HEADER || size < SPEC_ID_FIXED ||
	    memcmp(spec, signature, sizeof(signature)))
		return 0;
	n = get32(spec + SPEC_ID_FIXED - 4);
	if (n == 0 || n > TCG_MAX_ALGS)
		return 0;
	used = SPEC_ID_FIXED + (size_t)n * 4 + 1; /* then vendorInfoSize */
	if (used > size)
		return 0;
	algs->n = n;
	for (uint32_t i = 0; i < n; i++) {
		algs->alg[i].id = get16(spec + SPEC_ID_FIXED + i * 4);
		algs->alg[i].size = get16(spec + SPEC_ID_FIXED + i * 4 + 2);
	}
	if (used + spec[used - 1] > size)
		return 0;
	return LEGACY_HEADER + size;
}

static int digest_size(const struct tcg_log_algs *algs, uint16_t id)
{
	for (uint32_t i = 0; i < algs->n; i++)
		if (algs->alg[i].id == id)
			return algs->alg[i].size;
	return -1;
}

size_t tcg_event_parse(const uint8_t *ev, size_t avail,
		       const struct tcg_log_algs *algs, struct tcg_event *out)
{
	struct tcg_event e;
	size_t off = 12;
	uint32_t n;

	if (avail < off)
		return 0;
	e.pcr = get32(ev);
	e.type = get32(ev + 4);
	n = get32(ev + 8);
	if (n > algs->n)
		return 0;
	e.ndigests = n;
	for (uint32_t i = 0; i < n; i++) {
		int size;

		if (avail - off < 2)
			return 0;
		e.digest[i].alg = get16(ev + off);
		size = digest_size(algs, e.digest[i].alg);
		if (size < 0 || avail - off - 2 < (size_t)size)
			return 0;
		e.digest[i].digest = ev + off + 2;
		off += 2 + (size_t)size;
	}
	if (avail - off < 4)
		return 0;
	e.data_size = get32(ev + off);
	off += 4;
	if (avail - off < e.data_size)
		return 0;
	e.data = ev + off;
	if (out)
		*out = e;
	return off + e.data_size;
}
