/* tcglog: reads a TPM 2.0 crypto-agile event log (Linux's
 * /sys/kernel/security/tpm0/binary_bios_measurements) for the QEMU tests.
 *
 *   tcglog events LOG        one line per event: pcr, type, SHA-256 digest, data
 *   tcglog raw LOG           the same, with all of the data in hex (UTF-16
 *                            text, or anything else, byte for byte)
 *   tcglog replay LOG PCR    the SHA-256 PCR value the log's events give
 *   tcglog extend DIGEST...  the PCR value after extending 0 with each digest
 *
 * PCR values print in upper-case hex, as Linux's pcr-sha256 files show them.
 * SHA-256 is efikexec's own (lib/sha256.c), so the tool needs nothing
 * installed. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/sha256.h"
#include "lib/tcg_log.h"

#define EV_NO_ACTION 3

static void sha256(const uint8_t *data, size_t n, uint8_t out[SHA256_SIZE])
{
	struct sha256 c;

	sha256_init(&c);
	sha256_update(&c, data, n);
	sha256_final(&c, out);
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

/* pcr=N type=0xT sha256=HEX data=: an event's head, its data to follow */
static void print_head(const struct tcg_event *e)
{
	const uint8_t *d = sha256_digest(e);

	printf("pcr=%u type=0x%x sha256=", e->pcr, e->type);
	if (d)
		print_hex(d, 32, "%02x");
	printf(" data=");
}

/* the data as text, up to its first NUL, other bytes as '.' */
static void print_event(const struct tcg_event *e, void *ctx)
{
	(void)ctx;
	print_head(e);
	for (uint32_t i = 0; i < e->data_size && e->data[i]; i++)
		putchar(e->data[i] >= 0x20 && e->data[i] < 0x7f ? e->data[i] : '.');
	putchar('\n');
}

/* the data whole, in hex */
static void print_raw(const struct tcg_event *e, void *ctx)
{
	(void)ctx;
	print_head(e);
	print_hex(e->data, e->data_size, "%02x");
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
	} else if (argc == 3 && !strcmp(argv[1], "raw")) {
		each_event(argv[2], print_raw, NULL);
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
		fprintf(stderr, "usage: tcglog events LOG | raw LOG | replay LOG PCR | extend DIGEST...\n");
		return 2;
	}
	return 0;
}
