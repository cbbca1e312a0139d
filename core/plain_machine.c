/* The machine functions of a machine without Secure Boot, a TPM or boot
 * loader variables (core/machine.h): efikexec.mb, which has no firmware
 * services to ask (docs/multiboot-payload.md), and the fuzzers' simulated firmware. Every
 * kernel may boot; nothing is measured or published. Its files are in
 * memory already: file_open() (the front end's) points f->handle at their
 * bytes. */
#include "core/machine.h"
#include "lib/mem.h"

int file_read_at(struct open_file *f, uint64_t offset, void *buf, size_t n,
		 struct diag *d)
{
	(void)d;
	memcpy(buf, (const uint8_t *)f->handle + offset, n);
	return 0;
}

int file_read_from(struct open_file *f, uint64_t from, void *buf,
		   struct diag *d)
{
	return file_read_at(f, from, (uint8_t *)buf + from, f->size - from, d);
}

void file_close(struct open_file *f)
{
	f->handle = NULL;
}

int secure_boot_check(const struct boot_format *fmt, const char *path,
		      const uint8_t *image, size_t size, bool dry_run,
		      struct diag *d)
{
	(void)fmt, (void)path, (void)image, (void)size, (void)dry_run, (void)d;
	return 0;
}

int machine_start_app(const char *path, const uint8_t *image, size_t size,
		      const char *options, struct diag *d)
{
	(void)image, (void)size, (void)options;
	return diag_fail(d, ERR_UNSUPPORTED,
			 "'%s' is an EFI application, and there is no firmware to start it",
			 path);
}

void machine_commit(struct session *s)
{
	(void)s;
}

void machine_abandon(void)
{
}
