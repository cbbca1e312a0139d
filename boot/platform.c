#include "platform.h"

static struct color_field field_of(uint32_t mask)
{
	struct color_field f = { 0, 0 };

	if (!mask)
		return f;
	while (!(mask & 1)) {
		mask >>= 1;
		f.pos++;
	}
	while (mask & 1) {
		mask >>= 1;
		f.size++;
	}
	return f;
}

void fb_set_masks(struct framebuffer *fb, uint32_t red, uint32_t green,
		  uint32_t blue, uint32_t reserved)
{
	uint32_t all = red | green | blue | reserved;

	fb->red = field_of(red);
	fb->green = field_of(green);
	fb->blue = field_of(blue);
	fb->rsvd = field_of(reserved);
	fb->bpp = 0;
	while (all) {
		all >>= 1;
		fb->bpp++;
	}
}

uint32_t fb_pitch(const struct framebuffer *fb)
{
	return fb->stride * ((fb->bpp + 7u) / 8);
}

void fb_put_colors(uint8_t *p, const struct framebuffer *fb, unsigned n)
{
	const struct color_field *c = &fb->red;

	for (unsigned i = 0; i < n; i++) {
		*p++ = c[i].pos;
		*p++ = c[i].size;
	}
}
