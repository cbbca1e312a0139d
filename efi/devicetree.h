/* A Type #1 entry's `devicetree`, installed as the firmware's devicetree
 * configuration table as systemd-boot does, so that the kernel finds it
 * there. */
#ifndef EFI_DEVICETREE_H
#define EFI_DEVICETREE_H

#include <stdbool.h>

#include "lib/diag.h"

/* Reads the devicetree at path (as file_open() takes it), checks it
 * (boot/devicetree.h), has the firmware fix it up for this machine
 * (EFI_DT_FIXUP_PROTOCOL) where it can, and installs it in place of the
 * firmware's own, which devicetree_restore() puts back. With dry_run it
 * is only read and checked. */
int devicetree_install(const char *path, bool dry_run, struct diag *d);

/* The firmware's devicetree table again, after a boot that did not
 * happen; nothing when none was installed. */
void devicetree_restore(void);

#endif
