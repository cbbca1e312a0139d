/* The Linux bzImage format (boot/linux.c). */
#ifndef BOOT_LINUX_H
#define BOOT_LINUX_H

#include "boot/bootparams.h"
#include "boot/format.h"

extern const struct boot_format linux_format;

bool linux_detect(const uint8_t *img, size_t size);
int linux_parse(const uint8_t *img, size_t size, struct kernel_layout *out,
		struct diag *d);
int linux_prepare(struct boot_ctx *ctx, struct diag *d);
void linux_finish(struct boot_ctx *ctx, const struct final_state *fs);

/* screen_info for an EFI framebuffer, as Linux's own EFI stub reports it. */
void linux_fill_screen_info(struct screen_info *si, const struct framebuffer *fb);

#endif
