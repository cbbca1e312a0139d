/* The machine functions of a machine without Secure Boot, a TPM or boot
 * loader variables (core/machine.h): efikexec.mb, which has no firmware
 * services to ask (README), and the fuzzers' simulated firmware. Every
 * kernel may boot; nothing is measured or published. */
#include "core/machine.h"

int secureboot_check(const struct boot_format *fmt, const char *path,
		     const uint8_t *image, size_t size, struct diag *d)
{
	(void)fmt, (void)path, (void)image, (void)size, (void)d;
	return 0;
}

void machine_commit(struct session *s)
{
	(void)s;
}

void machine_abandon(void)
{
}
