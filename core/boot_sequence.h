/* The boot sequence both front ends run: read the kernel, choose its
 * format, check it may boot, parse it, gather the platform and CPUs, place
 * it, read its modules, build and check the plan; then commit and leave
 * through the machine (core/machine.h). */
#ifndef CORE_BOOT_SEQUENCE_H
#define CORE_BOOT_SEQUENCE_H

#include "core/options.h"
#include "core/session.h"
#include "lib/diag.h"

/* One boot attempt with these options, in the session `s` (zeroed first;
 * the caller's, so that it may read what the attempt built): returns
 * only when it failed, was a dry run, or started an EFI application that
 * returned (then 0), having freed every page it took. */
int boot_sequence(struct session *s, const struct options *o, struct diag *d);

/* The value of the SMBIOS OEM string name (boot/smbios.h) in the table p
 * names; NULL when there is none, or in a confidential VM (AMD SEV, Intel
 * TDX), whose host the guest does not trust: systemd leaves such strings
 * out there too. */
const char *platform_smbios_string(const struct platform *p, const char *name);

#endif
