/* systemd-boot's drop-in drivers (systemd-boot(7), "Files"): the EFI
 * drivers it loads from its own volume before it reads the entries, e.g.
 * file system drivers for an XBOOTLDR partition the firmware cannot read.
 * Pure; tested on the host. */
#ifndef BLS_DRIVERS_H
#define BLS_DRIVERS_H

#include <stdbool.h>

#define BLS_DRIVERS_DIR "\\EFI\\systemd\\drivers"

/* Whether the file `name` in BLS_DRIVERS_DIR is a driver to load: one for
 * this architecture (its name ends in "x64.efi", in any case), not a
 * hidden file. systemd-boot loads them in the directory's order. */
bool bls_driver_name(const char *name);

#endif
