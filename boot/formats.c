/* The kernel formats efikexec boots. */
#include "boot/format.h"

#include "boot/elf64.h"
#include "boot/linux.h"
#include "boot/multiboot1.h"
#include "boot/multiboot2.h"
#include "boot/vmlinux.h"
#include "lib/fmt.h"
#include "lib/mem.h"

/* In detection order: a Linux bzImage may carry other headers too; a
 * Multiboot 2 header wins over a Multiboot 1 header (Xen has both); Linux's
 * vmlinux has a shape no plain ELF64 kernel has (boot/vmlinux.c); a plain
 * ELF64 file is the last resort. A new format joins here. */
static const struct boot_format *const formats[] = {
	&linux_format,
	&multiboot2_format,
	&multiboot1_format,
	&vmlinux_format,
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

const char *format_names(void)
{
	/* (test_multiboot checks that it holds them all) */
	static char names[64];
	size_t n = 0;

	if (!names[0])
		for (size_t i = 0; i < NFORMATS && n < sizeof(names); i++)
			n += fmt_snprintf(names + n, sizeof(names) - n, "%s%s",
					  i ? ", " : "", formats[i]->name);
	return names;
}
