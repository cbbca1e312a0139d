/* Images the firmware loads and starts for efikexec: EFI applications
 * (core/machine.h, machine_start_app()) and drivers (efi/drivers.c). */
#ifndef EFI_APP_H
#define EFI_APP_H

#include <efi.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/diag.h"

/* Has the firmware load the image read from path (a path on a volume, as
 * file_open() takes it, or a URL): *handle is the loaded image, not yet
 * started; `what` names it in messages. Under Secure Boot the firmware
 * verifies it (docs/bls.md, "EFI applications"); a refused image is
 * ERR_UNSUPPORTED. */
int app_load_image(const char *what, const char *path, const uint8_t *image,
		   size_t size, EFI_HANDLE *handle, struct diag *d);

#endif
