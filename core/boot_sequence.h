/* The boot sequence both front ends run: read the kernel, choose its
 * format, check it may boot, parse it, gather the platform and CPUs, place
 * it, read its modules, build and check the plan; then commit and leave
 * through the machine (core/machine.h). */
#ifndef CORE_BOOT_SEQUENCE_H
#define CORE_BOOT_SEQUENCE_H

#include "core/options.h"
#include "lib/diag.h"

/* One boot attempt with these options: returns only when it failed, was a
 * dry run, or started an EFI application that returned (then 0), having
 * freed every page it took. */
int boot_sequence(const struct options *o, struct diag *d);

#endif
