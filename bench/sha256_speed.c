/* sha256-speed [MiB]
 *
 * lib/sha256.c's speed on this machine: the digest of MiB (64) MiB of
 * memory, best of three, in MiB/s, with the plain C compression function
 * and, where the CPU has them, with the SHA extensions (cpu_has_sha_ni()).
 * Built with the images' -Os. Run under `qemu-x86_64 -cpu qemu64` it
 * shows what QEMU's TCG makes of the C path, without the firmware and
 * the boot around it (bench/kernel.sh measures --verify in a boot).
 * A benchmark tool (docs/bench.md), not a test. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cpu/facts.h"
#include "lib/sha256.h"

static struct cpuid_regs host_cpuid(void *ctx, uint32_t leaf, uint32_t sub)
{
	(void)ctx;
	return cpuid(leaf, sub);
}

static double seconds(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* MiB/s of the best of three digests of buf, with the SHA extensions or
 * not; the digest into d */
static double speed(const uint8_t *buf, size_t mib, bool sha_ni,
		    uint8_t d[SHA256_SIZE])
{
	double best = 0;

	sha256_use_sha_ni(sha_ni);
	for (int i = 0; i < 3; i++) {
		struct sha256 c;
		double t = seconds();

		sha256_init(&c);
		sha256_update(&c, buf, mib << 20);
		sha256_final(&c, d);
		t = seconds() - t;
		if (mib / t > best)
			best = mib / t;
	}
	return best;
}

int main(int argc, char **argv)
{
	static const struct cpu_probe probe = { host_cpuid, NULL, NULL };
	size_t mib = argc > 1 ? strtoul(argv[1], NULL, 10) : 64;
	uint8_t *buf = malloc(mib << 20), d_c[SHA256_SIZE], d_ni[SHA256_SIZE];

	if (!mib || !buf) {
		fprintf(stderr, "usage: sha256-speed [MiB, 1 or more]\n");
		return 2;
	}
	for (size_t i = 0; i < mib << 20; i++)
		buf[i] = (uint8_t)(i * 131 + 7);
	printf("C: %.1f MiB/s\n", speed(buf, mib, false, d_c));
	if (!cpu_has_sha_ni(&probe)) {
		printf("SHA-NI: not on this CPU\n");
		return 0;
	}
	printf("SHA-NI: %.1f MiB/s\n", speed(buf, mib, true, d_ni));
	if (memcmp(d_c, d_ni, SHA256_SIZE)) {
		fprintf(stderr, "sha256-speed: the two digests differ\n");
		return 1;
	}
	return 0;
}
