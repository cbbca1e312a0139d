/* The kernel formats. A new format adds itself here. */
#include "boot/format.h"

#include "boot/elf64.h"
#include "boot/linux.h"
#include "boot/multiboot1.h"
#include "boot/multiboot2.h"
#include "lib/mem.h"

/* In detection order: a Linux bzImage may carry other headers too; a
 * Multiboot 2 header wins over a Multiboot 1 header (Xen has both); a plain
 * ELF64 file is the last resort. A switch, not a table of pointers (see
 * struct boot_format). */
static const struct boot_format *format_at(unsigned i)
{
	switch (i) {
	case 0: return &linux_format;
	case 1: return &multiboot2_format;
	case 2: return &multiboot1_format;
	case 3: return &elf64_format;
	default: return NULL;
	}
}

static bool detect(const struct boot_format *f, const uint8_t *img, size_t size)
{
	switch (f->id) {
	case FORMAT_LINUX: return linux_detect(img, size);
	case FORMAT_MULTIBOOT2: return mb2_detect(img, size);
	case FORMAT_MULTIBOOT1: return mb1_detect(img, size);
	default: return elf64_detect(img, size);
	}
}

const struct boot_format *format_detect(const uint8_t *img, size_t size)
{
	const struct boot_format *f;

	for (unsigned i = 0; (f = format_at(i)); i++)
		if (detect(f, img, size))
			return f;
	return NULL;
}

const struct boot_format *format_by_name(const char *name)
{
	const struct boot_format *f;

	for (unsigned i = 0; (f = format_at(i)); i++)
		if (!strcmp(f->name, name))
			return f;
	return NULL;
}

/* Kept by hand beside the table (a loop that built it cost the image more
 * than this string): test_multiboot checks that it names every format. */
const char *format_names(void)
{
	return "linux, multiboot2, multiboot1, elf64";
}

int format_parse(const struct boot_format *f, const uint8_t *img, size_t size,
		 struct kernel_layout *out, struct diag *d)
{
	switch (f->id) {
	case FORMAT_LINUX: return linux_parse(img, size, out, d);
	case FORMAT_MULTIBOOT2: return mb2_parse(img, size, out, d);
	case FORMAT_MULTIBOOT1: return mb1_parse(img, size, out, d);
	default: return elf64_parse(img, size, out, d);
	}
}

int format_prepare(const struct boot_format *f, struct boot_ctx *ctx,
		   struct diag *d)
{
	switch (f->id) {
	case FORMAT_LINUX: return linux_prepare(ctx, d);
	case FORMAT_MULTIBOOT2: return mb2_prepare(ctx, d);
	case FORMAT_MULTIBOOT1: return mb1_prepare(ctx, d);
	default: return elf64_prepare(ctx, d);
	}
}

void format_finish(const struct boot_format *f, struct boot_ctx *ctx,
		   const struct final_state *fs)
{
	switch (f->id) {
	case FORMAT_LINUX: linux_finish(ctx, fs); break;
	case FORMAT_MULTIBOOT2: mb2_finish(ctx, fs); break;
	case FORMAT_MULTIBOOT1: mb1_finish(ctx, fs); break;
	default: elf64_finish(ctx, fs); break;
	}
}
