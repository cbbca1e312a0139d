/* A simulated machine for the format fuzzers, so that they run the same
 * pipeline efi/main.c runs: a firmware memory map whose addresses are real
 * host addresses (a region reserved below 2 GiB, where AddressSanitizer
 * leaves room), and an allocator over it that takes pages out of the map
 * as AllocatePages does. Destinations beyond the region are only planned,
 * never written, as before ExitBootServices. */
#ifndef FUZZ_MACHINE_H
#define FUZZ_MACHINE_H

#include <stddef.h>
#include <stdint.h>

#include "boot/format.h"

/* Boots data as fmt up to the point of no return, as efi/main.c does:
 * parse, place, load two modules, prepare, add the segments, and check the
 * plan against the map; then runs the format's finish() against the final
 * map. A parse or preparation that fails is fine (the user gets the
 * error); a plan that fails validation after everything succeeded aborts,
 * and so does anything the sanitizers catch. */
void machine_boot(const struct boot_format *fmt, const uint8_t *data,
		  size_t size, const char *cmdline);

#endif
