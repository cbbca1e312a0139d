/* The order of the menu and the entry booted by default, as the Boot
 * Loader Specification ("Sorting") and the Boot Loader Interface
 * (LoaderEntryDefault, LoaderEntryOneShot, LoaderConfigTimeout,
 * LoaderConfigTimeoutOneShot) say. Pure; tested on the host. */
#ifndef BLS_CHOOSE_H
#define BLS_CHOOSE_H

#include <stddef.h>

#include "bls/entry.h"
#include "bls/loader_conf.h"

/* The Boot Loader Interface variables `bootctl` sets, as UTF-8; NULL when
 * unset. Each takes precedence over loader.conf; the one-shot ones over
 * the others. */
struct bls_overrides {
	const char *entry_default, *entry_oneshot;
	const char *timeout, *timeout_oneshot;
};

struct bls_choice {
	size_t index;               /* into the sorted entries */
	struct bls_timeout timeout;
};

/* Sorts the menu: entries with a sort-key first, by sort-key, then
 * machine-id, then newest version; then the rest; ties by file name,
 * newest version first. */
void bls_sort(struct bls_entry **v, size_t n);

/* The first entry whose id matches the pattern (lib/glob.h), also
 * without its ".conf"; n when none does. */
size_t bls_match(struct bls_entry *const *v, size_t n, const char *pattern);

/* The default (the first entry when nothing else names one) and the
 * timeout, from the variables, then loader.conf. Requires n > 0. */
void bls_choose(struct bls_entry *const *v, size_t n,
		const struct loader_conf *c, const struct bls_overrides *o,
		struct bls_choice *out, bls_warn_fn warn, void *ctx);

#endif
