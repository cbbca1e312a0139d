#include <stdio.h>
#include <string.h>

#include "cpu/facts.h"
#include "harness.h"
#include "lib/sha256.h"

/* The compression functions there are, in the order they are tested:
 * plain C, and the SHA extensions where this machine has them. */
enum path { PATH_C, PATH_SHA_NI, PATHS };

static struct cpuid_regs host_cpuid(void *ctx, uint32_t leaf, uint32_t sub)
{
	(void)ctx;
	return cpuid(leaf, sub);
}

static bool host_has_sha_ni(void)
{
	static const struct cpu_probe probe = { host_cpuid, NULL, NULL };
	static int has = -1;

	if (has < 0) {
		has = cpu_has_sha_ni(&probe);
		if (!has)
			printf("note: no SHA extensions on this machine: only the C path of SHA-256 tested\n");
	}
	return has;
}

/* Selects path p for the next digests; false if this machine cannot run
 * it. */
static bool use_path(enum path p)
{
	if (p == PATH_SHA_NI && !host_has_sha_ni())
		return false;
	sha256_use_sha_ni(p == PATH_SHA_NI);
	return true;
}

/* The digest of data[0, n) fed in chunks of `chunk` bytes, in hex. */
static const char *hex_digest(const void *data, size_t n, size_t chunk)
{
	static char hex[2 * SHA256_SIZE + 1];
	const unsigned char *p = data;
	uint8_t d[SHA256_SIZE];
	struct sha256 c;

	sha256_init(&c);
	while (n) {
		size_t k = n < chunk ? n : chunk;

		sha256_update(&c, p, k);
		p += k;
		n -= k;
	}
	sha256_final(&c, d);
	for (unsigned i = 0; i < SHA256_SIZE; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
	return hex;
}

static const char *sha256_hex(const char *s)
{
	return hex_digest(s, strlen(s), SIZE_MAX);
}

/* FIPS 180-4's examples (NIST CSRC, "SHA256.pdf", "SHA2_Additional.pdf") */
TEST(sha256_nist_examples)
{
	for (enum path p = 0; p < PATHS; p++) {
		if (!use_path(p))
			continue;
		CHECK_STR(sha256_hex("abc"),
			  "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
		CHECK_STR(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
			  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
		CHECK_STR(sha256_hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
				     "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"),
			  "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
		CHECK_STR(sha256_hex(""),
			  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	}
	use_path(PATH_C);
}

TEST(sha256_nist_million_a)
{
	static char a[1000000];
	const char *want =
		"cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";

	memset(a, 'a', sizeof(a));
	for (enum path p = 0; p < PATHS; p++) {
		if (!use_path(p))
			continue;
		CHECK_STR(hex_digest(a, sizeof(a), sizeof(a)), want);
		/* the same fed in pieces that straddle every block boundary */
		CHECK_STR(hex_digest(a, sizeof(a), 997), want);
		CHECK_STR(hex_digest(a, sizeof(a), 1), want);
	}
	use_path(PATH_C);
}

/* Every length from 0 to 300 bytes (up to five blocks and the padding's
 * every case), each fed whole and in two updates split at every point,
 * from an address at every offset in a word, on each path: all of it
 * must give the one digest per length, and on both paths the same. The
 * 301 digests, one after the other, are checked against the SHA-256 of
 * the same as Python's hashlib computes it:
 *   m = bytes((i * 131 + 7) & 0xff for i in range(300))
 *   sha256(b"".join(sha256(m[:n]).digest() for n in range(301)))
 */
TEST(sha256_every_length_and_split)
{
	static uint8_t buf[300 + 4], digests[PATHS][301][SHA256_SIZE];
	bool tested[PATHS] = { false };
	struct sha256 c;

	for (enum path p = 0; p < PATHS; p++) {
		uint8_t all[SHA256_SIZE];
		char hex[2 * SHA256_SIZE + 1];
		unsigned bad = 0;

		if (!use_path(p))
			continue;
		tested[p] = true;
		for (size_t n = 0; n <= 300; n++) {
			for (size_t off = 0; off < 4; off++) {
				uint8_t *m = buf + off;

				for (size_t i = 0; i < 300; i++)
					m[i] = (uint8_t)(i * 131 + 7);
				for (size_t split = 0; split <= n; split++) {
					uint8_t d[SHA256_SIZE];

					sha256_init(&c);
					sha256_update(&c, m, split);
					sha256_update(&c, m + split, n - split);
					sha256_final(&c, d);
					if (!off && !split)
						memcpy(digests[p][n], d, SHA256_SIZE);
					else if (memcmp(d, digests[p][n], SHA256_SIZE))
						bad++;
				}
			}
		}
		CHECK_EQ(bad, 0);
		sha256_init(&c);
		sha256_update(&c, digests[p], sizeof(digests[p]));
		sha256_final(&c, all);
		for (unsigned i = 0; i < SHA256_SIZE; i++)
			snprintf(hex + 2 * i, 3, "%02x", all[i]);
		CHECK_STR(hex, "7722024365d27836079cbf29de35d060b9383d7c713083199661392f983216d4");
	}
	if (tested[PATH_SHA_NI])
		CHECK(!memcmp(digests[PATH_C], digests[PATH_SHA_NI],
			      sizeof(digests[PATH_C])));
	use_path(PATH_C);
}

/* Messages around the padding's edges: 55 bytes leave room for the
 * length in the last block, 56 do not (Python's hashlib for reference) */
TEST(sha256_padding_edges)
{
	static const struct {
		size_t n;
		const char *hex;
	} t[] = {
		{ 55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318" },
		{ 56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a" },
		{ 63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34" },
		{ 64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb" },
		{ 65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0" },
		{ 119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb" },
		{ 120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c" },
	};
	char a[128];

	memset(a, 'a', sizeof(a));
	for (enum path p = 0; p < PATHS; p++) {
		if (!use_path(p))
			continue;
		for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
			CHECK_STR(hex_digest(a, t[i].n, 7), t[i].hex);
	}
	use_path(PATH_C);
}

TEST(sha256_reinit_after_final)
{
	struct sha256 c;
	uint8_t d[SHA256_SIZE];

	sha256_init(&c);
	sha256_update(&c, "junk", 4);
	sha256_final(&c, d);
	sha256_init(&c);
	sha256_update(&c, "abc", 3);
	sha256_final(&c, d);
	CHECK_EQ(d[0], 0xba);
	CHECK_EQ(d[31], 0xad);
}
