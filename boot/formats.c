/* The table of kernel formats. A new format adds itself here. */
#include "boot/format.h"

#include "boot/elf64.h"
#include "boot/linux.h"
#include "boot/multiboot1.h"
#include "boot/multiboot2.h"
#include "lib/mem.h"

/* In detection order: a Linux bzImage may carry other headers too; a
 * Multiboot 2 header wins over a Multiboot 1 header (Xen has both); a plain
 * ELF64 file is the last resort. */
static const struct boot_format *const formats[] = {
	&linux_format,
	&multiboot2_format,
	&multiboot1_format,
	&elf64_format,
};

#define NFORMATS (sizeof(formats) / sizeof(formats[0]))

const struct boot_format *format_detect(const uint8_t *img, size_t size)
{
	for (size_t i = 0; i < NFORMATS; i++)
		if (formats[i]->detect(img, size))
			return formats[i];
	return NULL;
}

const struct boot_format *format_by_name(const char *name)
{
	for (size_t i = 0; i < NFORMATS; i++)
		if (!strcmp(formats[i]->name, name))
			return formats[i];
	return NULL;
}

/* Kept by hand beside the table (a loop that built it cost the image more
 * than this string): test_multiboot checks that it names every format. */
const char *format_names(void)
{
	return "linux, multiboot2, multiboot1, elf64";
}
