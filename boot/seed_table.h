/* Linux's random seed configuration table (LINUX_EFI_RANDOM_SEED_TABLE,
 * include/linux/efi.h struct linux_efi_random_seed), as a boot loader
 * hands it on: what of a previous stage's table goes into the next, and
 * the wiping of that table once the next is installed in its place.
 * efi/random_seed.c asks the firmware; this is plain memory. */
#ifndef BOOT_SEED_TABLE_H
#define BOOT_SEED_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct seed_table {
	uint32_t size;
	uint8_t bits[];
};

/* A table that claims more is taken for corrupt, as Linux's EFI stub
 * takes it (drivers/firmware/efi/libstub/random.c): neither read nor
 * written past its header. */
#define SEED_TABLE_PREVIOUS_MAX 512

/* The bytes of a previous table's seed that the next seed mixes in: its
 * size, or 0 when it claims more than SEED_TABLE_PREVIOUS_MAX. */
size_t seed_table_used(const struct seed_table *t);

/* Once a new table is installed in place of t, whose seed went into it:
 * zeroes t's header and the seed seed_table_used() took, where the
 * compiler cannot drop the stores, so that the next kernel finds no copy
 * of a seed it was handed the hash of, and returns true: the caller then
 * frees t, as systemd-boot (src/boot/efi/random-seed.c) and Linux's EFI
 * stub do. A table whose seed was not used (none, or a corrupt one) is
 * left as it is: false. */
bool seed_table_wipe(struct seed_table *t);

#endif
