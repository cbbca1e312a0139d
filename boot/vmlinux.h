/* Linux's uncompressed x86-64 kernel, vmlinux (boot/vmlinux.c). */
#ifndef BOOT_VMLINUX_H
#define BOOT_VMLINUX_H

#include "boot/format.h"

extern const struct boot_format vmlinux_format;

bool vmlinux_detect(const uint8_t *img, size_t size);
int vmlinux_parse(const uint8_t *img, size_t size, struct kernel_layout *l,
		  struct diag *d);
int vmlinux_prepare(struct boot_ctx *ctx, struct diag *d);

#endif
