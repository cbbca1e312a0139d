/* Booting without a command line: the Boot Loader Specification entries
 * on efikexec's own volume (docs/bls.md). */
#ifndef EFI_ENTRIES_H
#define EFI_ENTRIES_H

#include <stdbool.h>

#include "core/options.h"
#include "lib/diag.h"

struct session;

/* One boot attempt with these options in the session s
 * (core/boot_sequence.h): returns only when it failed, was a dry run, or
 * started an EFI application that returned (then 0), having freed what
 * it took. */
typedef int (*boot_fn)(struct session *s, const struct options *o,
		       struct diag *d);

/* Reads \loader\loader.conf and the entries in \loader\entries, then
 * boots the default entry, through the menu when the timeout asks for one
 * or a key is held. An entry that fails is reported (file and line) and
 * the menu comes up, counting down to the next entry that has not failed.
 * Returns when there are no entries, the user leaves the menu, or a dry
 * run succeeded. Of `global`, the command line's options, --dry-run and
 * -v apply to every entry. Each attempt runs in the session s. */
int entries_boot(const struct options *global, boot_fn boot,
		 struct session *s, struct diag *d);

#endif
