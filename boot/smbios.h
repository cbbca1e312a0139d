/* The SMBIOS structure table, as far as systemd's stub and boot loader
 * read it: the OEM strings (type 11) through which a VM manager hands the
 * guest "io.systemd.stub.kernel-cmdline-extra=..." and
 * "io.systemd.boot.kernel-cmdline-extra=...". The firmware points at the
 * table from a configuration table (SMBIOS3, else SMBIOS); these
 * functions read the bytes only, efi/ finds them.
 *
 * Pure code. */
#ifndef BOOT_SMBIOS_H
#define BOOT_SMBIOS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The structure table an entry point names: its address and how many
 * bytes it may take. ep holds size bytes from the entry point;
 * false when it is not one of the kind (SMBIOS 3.0's "_SM3_", or 2.1's
 * "_SM_"), or longer than the kind's layout says (the stub rejects that
 * too). */
#define SMBIOS3_ENTRY_SIZE 24
#define SMBIOS2_ENTRY_SIZE 31

bool smbios3_table(const uint8_t *ep, size_t size, uint64_t *addr,
		   uint64_t *table_size);
bool smbios2_table(const uint8_t *ep, size_t size, uint64_t *addr,
		   uint64_t *table_size);

/* The value of the OEM string "name=value" in the first OEM strings
 * structure (type 11) of the table's size bytes: a pointer to the value,
 * NUL-terminated inside the table; NULL when there is no such string, or
 * the table ends (type 127) or runs out before one. Only the first type
 * 11 structure is read, and its first string of that name wins, as
 * systemd's smbios_find_oem_string() does (its vmm.c). */
const char *smbios_oem_string(const uint8_t *table, size_t size,
			      const char *name);

#endif
