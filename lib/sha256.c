#include "lib/sha256.h"

#include <immintrin.h>

#include "lib/mem.h"

/* FIPS 180-4 §4.2.2: the first 32 bits of the fractional parts of the
 * cube roots of the first 64 primes */
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

/* §5.3.3: the first 32 bits of the fractional parts of the square roots
 * of the first 8 primes */
static const uint32_t h0[8] = {
	0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
	0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

static bool use_sha_ni;

void sha256_use_sha_ni(bool on)
{
	use_sha_ni = on;
}

static uint32_t ror(uint32_t x, unsigned n)
{
	return (x >> n) | (x << (32 - n));
}

static uint32_t load_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* FIPS 180-4 §4.1.2's functions. Each sum of three rotations is written
 * with one rotation of the other two's sum, ror(x, a) ^ ror(x, b) ==
 * ror(x ^ ror(x, b - a), a): one instruction less each under emulation,
 * where every instruction counts. */
#define BIG_SIGMA0(x) ror((x) ^ ror((x) ^ ror((x), 9), 11), 2)   /* 2, 13, 22 */
#define BIG_SIGMA1(x) ror((x) ^ ror((x) ^ ror((x), 14), 5), 6)   /* 6, 11, 25 */
#define SMALL_SIGMA0(x) (ror((x) ^ ror((x), 11), 7) ^ ((x) >> 3)) /* 7, 18 */
#define SMALL_SIGMA1(x) (ror((x) ^ ror((x), 2), 17) ^ ((x) >> 10)) /* 17, 19 */

/* §6.2.2 step 1 for t >= 16, in a ring of the last 16 words: w[j] holds
 * W(t-16) and becomes W(t) */
#define SCHEDULE(j)                                                    \
	(w[j] += SMALL_SIGMA1(w[((j) + 14) % 16]) + w[((j) + 9) % 16] + \
		 SMALL_SIGMA0(w[((j) + 1) % 16]))

/* §6.2.2 step 3, round t = i + j: T1 is added to d, which becomes the
 * next e, and T1 + T2 is written to h, which becomes the next a. Instead
 * of moving the other six variables along, the next round is written with
 * the names shifted by one: ROUND(h, a, b, c, d, e, f, g, ...). */
#define ROUND(a, b, c, d, e, f, g, h, j)                                   \
	do {                                                               \
		uint32_t t1 = h + BIG_SIGMA1(e) + (g ^ (e & (f ^ g))) +    \
			      k[i + (j)] + (i ? SCHEDULE(j) : w[j]);       \
		d += t1;                                                   \
		h = t1 + BIG_SIGMA0(a) + ((a & b) | (c & (a | b)));        \
	} while (0)

/* §6.2.2 over each of `blocks` 64-byte blocks at p, in plain C: 16
 * rounds a turn of the loop, so that every index into w[] is a constant
 * and the eight variables stay in registers. */
static void compress_c(uint32_t h[8], const uint8_t *p, size_t blocks)
{
	for (; blocks; blocks--, p += 64) {
		uint32_t a = h[0], b = h[1], c = h[2], d = h[3];
		uint32_t e = h[4], f = h[5], g = h[6], hh = h[7];
		uint32_t w[16];

		for (unsigned j = 0; j < 16; j++)
			w[j] = load_be32(p + 4 * j);
		for (unsigned i = 0; i < 64; i += 16) {
			ROUND(a, b, c, d, e, f, g, hh, 0);
			ROUND(hh, a, b, c, d, e, f, g, 1);
			ROUND(g, hh, a, b, c, d, e, f, 2);
			ROUND(f, g, hh, a, b, c, d, e, 3);
			ROUND(e, f, g, hh, a, b, c, d, 4);
			ROUND(d, e, f, g, hh, a, b, c, 5);
			ROUND(c, d, e, f, g, hh, a, b, 6);
			ROUND(b, c, d, e, f, g, hh, a, 7);
			ROUND(a, b, c, d, e, f, g, hh, 8);
			ROUND(hh, a, b, c, d, e, f, g, 9);
			ROUND(g, hh, a, b, c, d, e, f, 10);
			ROUND(f, g, hh, a, b, c, d, e, 11);
			ROUND(e, f, g, hh, a, b, c, d, 12);
			ROUND(d, e, f, g, hh, a, b, c, 13);
			ROUND(c, d, e, f, g, hh, a, b, 14);
			ROUND(b, c, d, e, f, g, hh, a, 15);
		}
		h[0] += a;
		h[1] += b;
		h[2] += c;
		h[3] += d;
		h[4] += e;
		h[5] += f;
		h[6] += g;
		h[7] += hh;
	}
}

/* The same with the SHA extensions (Intel SDM Vol. 2, SHA256RNDS2,
 * SHA256MSG1, SHA256MSG2). SHA256RNDS2 does two rounds on the variables
 * held as ABEF and CDGH (a in the highest 32 bits of the first, h in the
 * lowest of the second), with W(t) + K(t) of both rounds in the low 64
 * bits of its third operand, and returns the new ABEF; the old ABEF is
 * the new CDGH. SHA256MSG1 and SHA256MSG2 compute four words of the
 * schedule from the sixteen before them, with W(t-7) added in between.
 *
 * ms_abi: the function then saves and restores the XMM6-15 it uses, which
 * the Microsoft calling convention of efi_main's caller, the firmware,
 * wants kept; the rest of efikexec is built without SSE and cannot. The
 * target attribute enables SSE for this function alone: it runs only
 * where the CPU has the extensions and SSE is enabled
 * (sha256_use_sha_ni()). */
__attribute__((ms_abi, target("sha,ssse3")))
static void compress_sha_ni(uint32_t h[8], const uint8_t *p, size_t blocks)
{
	/* PSHUFB's pattern: each 32-bit word's bytes reversed, as the
	 * message's words are big-endian (_mm_set_epi8 lists the highest
	 * byte first) */
	const __m128i bswap = _mm_set_epi8(12, 13, 14, 15, 8, 9, 10, 11,
					   4, 5, 6, 7, 0, 1, 2, 3);
	/* In the comments, a register's 32-bit lanes lowest first. */
	__m128i abcd = _mm_loadu_si128((const __m128i *)h);      /* {a,b,c,d} */
	__m128i efgh = _mm_loadu_si128((const __m128i *)(h + 4)); /* {e,f,g,h} */
	/* ABEF is {f,e,b,a}, CDGH {h,g,d,c}: the unpacks give {e,f,a,b} and
	 * {g,h,c,d}, the shuffles swap each pair */
	__m128i abef = _mm_shuffle_epi32(_mm_unpacklo_epi64(efgh, abcd), 0xb1);
	__m128i cdgh = _mm_shuffle_epi32(_mm_unpackhi_epi64(efgh, abcd), 0xb1);

	for (; blocks; blocks--, p += 64) {
		__m128i abef_before = abef, cdgh_before = cdgh;
		__m128i w[4]; /* a ring: w[q % 4] holds W(4q) to W(4q+3) */

		for (unsigned q = 0; q < 16; q++) {
			__m128i wk;

			if (q < 4)
				w[q] = _mm_shuffle_epi8(
					_mm_loadu_si128((const __m128i *)(p + 16 * q)),
					bswap);
			else /* from w[q - 4] ... w[q - 1]; W(t-7) by PALIGNR */
				w[q % 4] = _mm_sha256msg2_epu32(
					_mm_add_epi32(
						_mm_sha256msg1_epu32(w[q % 4], w[(q + 1) % 4]),
						_mm_alignr_epi8(w[(q + 3) % 4],
								w[(q + 2) % 4], 4)),
					w[(q + 3) % 4]);
			wk = _mm_add_epi32(w[q % 4],
					   _mm_loadu_si128((const __m128i *)&k[4 * q]));
			cdgh = _mm_sha256rnds2_epu32(cdgh, abef, wk);
			/* the other two words of wk into the low 64 bits */
			abef = _mm_sha256rnds2_epu32(abef, cdgh,
						     _mm_shuffle_epi32(wk, 0x0e));
		}
		abef = _mm_add_epi32(abef, abef_before);
		cdgh = _mm_add_epi32(cdgh, cdgh_before);
	}
	/* and back: {e,f,a,b} and {g,h,c,d}, unpacked into h[] */
	abef = _mm_shuffle_epi32(abef, 0xb1);
	cdgh = _mm_shuffle_epi32(cdgh, 0xb1);
	_mm_storeu_si128((__m128i *)h, _mm_unpackhi_epi64(abef, cdgh));
	_mm_storeu_si128((__m128i *)(h + 4), _mm_unpacklo_epi64(abef, cdgh));
}

static void compress(uint32_t h[8], const uint8_t *p, size_t blocks)
{
	if (use_sha_ni)
		compress_sha_ni(h, p, blocks);
	else
		compress_c(h, p, blocks);
}

void sha256_init(struct sha256 *c)
{
	for (unsigned i = 0; i < 8; i++)
		c->h[i] = h0[i];
	c->len = 0;
}

/* Bytes are copied only to complete a block begun by an earlier call and
 * to keep the tail that fills no block: whole blocks are hashed where the
 * caller has them. */
void sha256_update(struct sha256 *c, const void *data, size_t n)
{
	const uint8_t *p = data;
	size_t used = c->len % 64;

	if (!n) /* data may be NULL then */
		return;
	c->len += n;
	if (used) {
		size_t take = n < 64 - used ? n : 64 - used;

		memcpy(c->block + used, p, take);
		if (used + take < 64)
			return;
		compress(c->h, c->block, 1);
		p += take;
		n -= take;
	}
	compress(c->h, p, n / 64);
	memcpy(c->block, p + n / 64 * 64, n % 64);
}

/* §5.1.1: a 1 bit, zeros up to 56 bytes into the block, then the length
 * in bits, big-endian */
void sha256_final(struct sha256 *c, uint8_t out[SHA256_SIZE])
{
	uint64_t bits = c->len * 8;
	size_t used = c->len % 64;

	c->block[used++] = 0x80;
	if (used > 56) {
		memset(c->block + used, 0, 64 - used);
		compress(c->h, c->block, 1);
		used = 0;
	}
	memset(c->block + used, 0, 56 - used);
	for (unsigned i = 0; i < 8; i++)
		c->block[56 + i] = (uint8_t)(bits >> (56 - 8 * i));
	compress(c->h, c->block, 1);
	for (unsigned i = 0; i < SHA256_SIZE; i++)
		out[i] = (uint8_t)(c->h[i / 4] >> (24 - 8 * (i % 4)));
}
