/* The Multiboot 1 format (boot/multiboot1.c). */
#ifndef BOOT_MULTIBOOT1_H
#define BOOT_MULTIBOOT1_H

#include "boot/format.h"

extern const struct boot_format multiboot1_format;

bool mb1_detect(const uint8_t *img, size_t size);
int mb1_parse(const uint8_t *img, size_t size, struct kernel_layout *l,
	      struct diag *d);
int mb1_prepare(struct boot_ctx *ctx, struct diag *d);
void mb1_finish(struct boot_ctx *ctx, const struct final_state *fs);

#endif
