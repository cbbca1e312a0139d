/* SHA-256 (FIPS 180-4), streaming: sha256_init(), any number of
 * sha256_update()s, sha256_final(). It hashes each file a #sha256= pin
 * names, the random seed (efi/random_seed.c), and with --verify everything
 * loaded, twice: whole blocks go straight from the caller's buffer to
 * the compression function, which is the SHA extensions (SHA-NI) where
 * the front end says they may be used, plain C otherwise. */
#ifndef LIB_SHA256_H
#define LIB_SHA256_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SHA256_SIZE 32

struct sha256 {
	uint32_t h[8];
	uint64_t len; /* bytes hashed so far */
	uint8_t block[64]; /* the first len % 64 bytes: a block not yet full */
};

void sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *data, size_t n);
/* Writes the digest; c must be initialised again before further use. */
void sha256_final(struct sha256 *c, uint8_t out[SHA256_SIZE]);

/* Whether to use the SHA extensions from now on (off until called): only
 * where CPUID says the CPU has them, with SSSE3, and SSE is
 * enabled (cpu/probe_hw.h, cpu_hw_sha_ni()). lib/ asks the CPU nothing
 * itself. */
void sha256_use_sha_ni(bool on);

#endif
