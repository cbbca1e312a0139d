/* The TPM 2.0 event log in the crypto-agile format (TCG PC Client Platform
 * Firmware Profile 1.05, §10.2: a TCG_PCR_EVENT holding the "Spec ID
 * Event03" header, then TCG_PCR_EVENT2 records). Pure; tested on the host. */
#ifndef LIB_TCG_LOG_H
#define LIB_TCG_LOG_H

#include <stddef.h>
#include <stdint.h>

#define TCG_ALG_SHA256 0x000b
#define TCG_MAX_ALGS 8

/* The digests every event carries, from the Spec ID event. */
struct tcg_log_algs {
	uint32_t n;
	struct {
		uint16_t id;
		uint16_t size;
	} alg[TCG_MAX_ALGS];
};

struct tcg_event {
	uint32_t pcr, type;
	uint32_t ndigests;
	struct {
		uint16_t alg;
		const uint8_t *digest;
	} digest[TCG_MAX_ALGS];
	const uint8_t *data;
	uint32_t data_size;
};

/* Reads the Spec ID event at the start of the log (log[0, avail)): its
 * size, or 0 when it is not one. */
size_t tcg_log_spec_id(const uint8_t *log, size_t avail, struct tcg_log_algs *algs);

/* Parses the TCG_PCR_EVENT2 at ev[0, avail): its size, or 0 when it is
 * malformed or runs past avail. `out` may be NULL. */
size_t tcg_event_parse(const uint8_t *ev, size_t avail,
		       const struct tcg_log_algs *algs, struct tcg_event *out);

#endif
