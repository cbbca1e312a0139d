/* ExitBootServices over the memory map the front end keeps (struct fw_map,
 * core/machine.h; fw_map_init() and fw_map_read() are defined beside it). */
#ifndef EFI_FW_MAP_H
#define EFI_FW_MAP_H

#include "core/machine.h"

/* Reads the final map and exits boot services, retrying once with a fresh
 * map when the key is stale (UEFI 2.10 §7.4.6). Returns an error only while
 * nothing has changed yet; once a call to ExitBootServices has failed,
 * boot services may be half gone, so a second failure is fatal(). */
int fw_exit_boot_services(struct fw_map *m, struct diag *d);

#endif
