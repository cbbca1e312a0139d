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
/* linux_prepare() for a kernel whose setup header (from offset 0x1f1,
 * hdr_bytes of it) is not in the image: boot_params from it, the command
 * line, the initrd, EFI, the entry at ctx->layout->entry with RSI at
 * boot_params. linux_finish() completes it. */
int linux_prepare_with_header(struct boot_ctx *ctx, const void *hdr,
			      size_t hdr_bytes, struct diag *d);
void linux_finish(struct boot_ctx *ctx, const struct final_state *fs);

/* screen_info for an EFI framebuffer, as Linux's own EFI stub reports it. */
void linux_fill_screen_info(struct screen_info *si, const struct framebuffer *fb);

#endif
