/* The table of kernel formats. A new format adds itself here. */
#include "boot/format.h"

#include "boot/linux.h"

static const struct boot_format *const formats[] = {
	&linux_format,
};

const struct boot_format *format_detect(const uint8_t *img, size_t size)
{
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (formats[i]->detect(img, size))
			return formats[i];
	return NULL;
}
