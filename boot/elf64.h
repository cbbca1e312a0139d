/* The ELF64 format (boot/elf64.c). */
#ifndef BOOT_ELF64_H
#define BOOT_ELF64_H

#include "boot/format.h"

extern const struct boot_format elf64_format;

bool elf64_detect(const uint8_t *img, size_t size);
int elf64_parse(const uint8_t *img, size_t size, struct kernel_layout *l,
		struct diag *d);
int elf64_prepare(struct boot_ctx *ctx, struct diag *d);
void elf64_finish(struct boot_ctx *ctx, const struct final_state *fs);

#endif
