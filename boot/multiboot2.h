/* The Multiboot 2 format (boot/multiboot2.c). */
#ifndef BOOT_MULTIBOOT2_H
#define BOOT_MULTIBOOT2_H

#include "boot/format.h"

extern const struct boot_format multiboot2_format;

bool mb2_detect(const uint8_t *img, size_t size);
int mb2_parse(const uint8_t *img, size_t size, struct kernel_layout *l,
	      struct diag *d);
int mb2_prepare(struct boot_ctx *ctx, struct diag *d);
void mb2_finish(struct boot_ctx *ctx, const struct final_state *fs);

#endif
