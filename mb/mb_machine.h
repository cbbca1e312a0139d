/* efikexec.mb's machine (mb/mb_machine.c): core/machine.h over the Multiboot
 * information. */
#ifndef MB_MB_MACHINE_H
#define MB_MB_MACHINE_H

#include <stdint.h>

#include "lib/diag.h"
#include "mb/info.h"
#include "mb/modules.h"

/* Parses the information the loader passed (EAX = magic, EBX = info) and
 * makes the memory map efikexec.mb allocates from. */
int mb_machine_init(uint32_t magic, uint32_t info, struct diag *d);

const struct mb_info *mb_machine_info(void);
const struct mb_modules *mb_machine_modules(void);

#endif
