/* A flattened devicetree (Devicetree Specification 0.4, chapter 5), as a
 * Type #1 entry's `devicetree` key names one: checked before efikexec
 * installs it as the firmware's devicetree table, as systemd-boot does.
 * Pure; tested on the host. */
#ifndef BOOT_DEVICETREE_H
#define BOOT_DEVICETREE_H

#include <stddef.h>
#include <stdint.h>

#include "lib/diag.h"

/* systemd-boot refuses a devicetree file over this size */
#define DTB_MAX_SIZE (32u * 1024 * 1024)

/* 0 when blob[0, size) holds a devicetree whose header a reader of
 * version 17 takes: the magic, a total size within the file, and the
 * memory reservation map, structure block and strings block inside it.
 * Else ERR_BAD_IMAGE, the message naming `path` and what is wrong. */
int dtb_check(const uint8_t *blob, size_t size, const char *path,
	      struct diag *d);

#endif
