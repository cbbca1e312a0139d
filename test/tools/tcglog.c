/* tcglog: reads a TPM 2.0 crypto-agile event log (Linux's
 * /sys/kernel/security/tpm0/binary_bios_measurements) for the QEMU tests.
 *
 *   tcglog events LOG        one line per event: pcr, type, SHA-256 digest, data
 *   tcglog replay LOG PCR    the SHA-256 PCR value the log's events give
 *   tcglog extend DIGEST...  the PCR value after extending 0 with each digest
 *
 * PCR values print in upper-case hex, as Linux's pcr-sha256 files show them.
 * SHA-256 is done here (FIPS 180-4) so the tool needs nothing installed. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/tcg_log.h"

#define EV_NO_ACTION 3

static const uint32_t k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t ror(uint32_t x, int n)
{
	return (x >> n) | (x << (32 - n));
}

static void block(uint32_t h[8], const uint8_t *p)
{
	uint32_t w[64], v[8];

	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (int i = 16; i < 64; i++)
		w[i] = w[i - 16] + (ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3)) +
		       w[i - 7] + (ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10));
	memcpy(v, h, sizeof(v));
	for (int i = 0; i < 64; i++) {
		uint32_t t1 = v[7] + (ror(v[4], 6) ^ ror(v[4], 11) ^ ror(v[4], 25)) +
			      ((v[4] & v[5]) ^ (~v[4] & v[6])) + k[i] + w[i];
		uint32_t t2 = (ror(v[0], 2) ^ ror(v[0], 13) ^ ror(v[0], 22)) +
			      ((v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]));
		memmove(v + 1, v, 7 * sizeof(v[0]));
		v[4] += t1;
		v[0] = t1 + t2;
	}
	for (int i = 0; i < 8; i++)
		h[i] += v[i];
}

static void sha256(const uint8_t *data, size_t n, uint8_t out[32])
{
	uint32_t h[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
			  0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
	uint8_t last[128] = { 0 };
	size_t full = n / 64 * 64, rest = n - full, len;

	for (size_t i = 0; i < full; i += 64)
		block(h, data + i);
	memcpy(last, data + full, rest);
	last[rest] = 0x80;
	len = rest + 1 + 8 <= 64 ? 64 : 128;
	for (int i = 0; i < 8; i++)
		last[len - 1 - i] = (uint8_t)((uint64_t)n * 8 >> (8 * i));
	for (size_t i = 0; i < len; i += 64)
		block(h, last + i);
	for (int i = 0; i < 32; i++)
		out[i] = (uint8_t)(h[i / 4] >> (24 - 8 * (i % 4)));
}

/* pcr = SHA-256(pcr || digest) */
static void extend(uint8_t pcr[32], const uint8_t digest[32])
{
	uint8_t both[64];

	memcpy(both, pcr, 32);
	memcpy(both + 32, digest, 32);
	sha256(both, 64, pcr);
}

static void print_hex(const uint8_t *p, size_t n, const char *fmt)
{
	for (size_t i = 0; i < n; i++)
		printf(fmt, p[i]);
}

static uint8_t *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t cap = 0, n = 0, got;

	if (!f) {
		perror(path);
		exit(2);
	}
	do {
		if (n == cap && !(buf = realloc(buf, cap = cap * 2 + 65536))) {
			perror("realloc");
			exit(2);
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got);
	fclose(f);
	*size = n;
	return buf;
}

static const uint8_t *sha256_digest(const struct tcg_event *e)
{
	for (uint32_t i = 0; i < e->ndigests; i++)
		if (e->digest[i].alg == TCG_ALG_SHA256)
			return e->digest[i].digest;
	return NULL;
}

/* Calls fn for every event after the Spec ID event; exits on a bad log. */
static void each_event(const char *path, void (*fn)(const struct tcg_event *, void *),
		       void *ctx)
{
	size_t size, off;
	uint8_t *log = read_file(path, &size);
	struct tcg_log_algs algs;

	off = tcg_log_spec_id(log, size, &algs);
	if (!off) {
		fprintf(stderr, "%s: no Spec ID event: not a crypto-agile log\n", path);
		exit(1);
	}
	while (off < size) {
		struct tcg_event e;
		size_t n = tcg_event_parse(log + off, size - off, &algs, &e);

		if (!n) {
			fprintf(stderr, "%s: malformed event at offset %zu\n", path, off);
			exit(1);
		}
		fn(&e, ctx);
		off += n;
	}
	free(log);
}

static void print_event(const struct tcg_event *e, void *ctx)
{
	const uint8_t *d = sha256_digest(e);

	(void)ctx;
	printf("pcr=%u type=0x%x sha256=", e->pcr, e->type);
	if (d)
		print_hex(d, 32, "%02x");
	printf(" data=");
	for (uint32_t i = 0; i < e->data_size && e->data[i]; i++)
		putchar(e->data[i] >= 0x20 && e->data[i] < 0x7f ? e->data[i] : '.');
	putchar('\n');
}

struct replay {
	uint32_t pcr;
	uint8_t value[32];
};

static void replay_event(const struct tcg_event *e, void *ctx)
{
	struct replay *r = ctx;
	const uint8_t *d = sha256_digest(e);

	/* EV_NO_ACTION events are logged but never extended */
	if (e->pcr == r->pcr && e->type != EV_NO_ACTION && d)
		extend(r->value, d);
}

static int parse_digest(const char *hex, uint8_t out[32])
{
	if (strlen(hex) != 64)
		return -1;
	for (int i = 0; i < 32; i++)
		if (sscanf(hex + 2 * i, "%2hhx", &out[i]) != 1)
			return -1;
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "events")) {
		each_event(argv[2], print_event, NULL);
	} else if (argc == 4 && !strcmp(argv[1], "replay")) {
		struct replay r = { .pcr = (uint32_t)strtoul(argv[3], NULL, 0) };

		each_event(argv[2], replay_event, &r);
		print_hex(r.value, 32, "%02X");
		putchar('\n');
	} else if (argc >= 2 && !strcmp(argv[1], "extend")) {
		uint8_t pcr[32] = { 0 }, d[32];

		for (int i = 2; i < argc; i++) {
			if (parse_digest(argv[i], d)) {
				fprintf(stderr, "tcglog: '%s' is not a SHA-256 digest\n", argv[i]);
				return 2;
			}
			extend(pcr, d);
		}
		print_hex(pcr, 32, "%02X");
		putchar('\n');
	} else {
		fprintf(stderr, "usage: tcglog events LOG | replay LOG PCR | extend DIGEST...\n");
		return 2;
	}
	return 0;
}
