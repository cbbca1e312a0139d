/* Gathers struct platform (boot/platform.h) from the firmware. */
#ifndef EFI_FW_PLATFORM_H
#define EFI_FW_PLATFORM_H

#include "boot/platform.h"

void platform_gather(struct platform *p);

#endif
