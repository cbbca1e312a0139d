/* Sizes and landmarks of x86 physical memory that more than one file
 * measures by. uint64_t constants, as the addresses they are compared
 * with, so that "%lx" prints them (lib/fmt.h). */
#ifndef LIB_SIZES_H
#define LIB_SIZES_H

#include <stdint.h>

#define PAGE_SIZE UINT64_C(4096)

/* The end of conventional memory, where the EBDA and the legacy video
 * and BIOS areas begin (IBM PC). */
#define LOW_MEMORY_END (UINT64_C(640) << 10)

/* Real-mode addresses end here: the AP park code and the BIOS tables
 * live below it. */
#define ONE_MIB (UINT64_C(1) << 20)

#define ONE_GIB (UINT64_C(1) << 30)

/* 32-bit addresses end here: what a 32-bit entry, a Multiboot
 * structure or a 32-bit field of boot information can reach. */
#define FOUR_GIB (UINT64_C(1) << 32)

#endif
