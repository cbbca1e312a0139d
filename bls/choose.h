/* The order of the menu and the entry booted by default, as the Boot
 * Loader Specification ("Sorting") and the Boot Loader Interface
 * (LoaderEntryDefault, LoaderEntryOneShot, LoaderEntryLastBooted,
 * LoaderConfigTimeout, LoaderConfigTimeoutOneShot) say, in systemd-boot's
 * precedence. Pure; tested on the host. */
#ifndef BLS_CHOOSE_H
#define BLS_CHOOSE_H

#include <stddef.h>

#include "bls/entry.h"
#include "bls/loader_conf.h"

/* The Boot Loader Interface variables `bootctl` sets, as UTF-8; NULL when
 * unset. Each takes precedence over loader.conf; the one-shot ones over
 * the others. entry_last_booted (LoaderEntryLastBooted) stands in for
 * "@saved" in LoaderEntryDefault or loader.conf's default. */
struct bls_overrides {
	const char *entry_default, *entry_oneshot;
	const char *timeout, *timeout_oneshot;
	const char *entry_last_booted;
};

/* Whether the menu comes up: always, when a key is held as efikexec
 * starts, or never. */
enum bls_menu { BLS_MENU_SHOW, BLS_MENU_ON_KEY, BLS_MENU_NEVER };

struct bls_choice {
	size_t index;               /* into the sorted entries */
	struct bls_timeout timeout;
	enum bls_menu menu;
	unsigned countdown;         /* seconds; 0: the menu waits for a key */
	unsigned fallback;          /* seconds the menu counts down to the
				     * next entry after one fails; 0: waits */
	size_t var_default;         /* the entry LoaderEntryDefault chose (its
				     * "@saved" too), which the menu marks;
				     * n when it chose none */
};

/* Sorts the menu: entries whose tries are used up ("bad") last; before
 * that, entries with a sort-key first, by sort-key, then machine-id, then
 * newest version; then the rest; ties by id without ".conf", newest
 * version first, then more tries left, then fewer done. */
void bls_sort(struct bls_entry **v, size_t n);

/* The first entry whose id matches the pattern (lib/glob.h), also
 * without its ".conf"; a counter in the pattern ("+LEFT-DONE.conf") is
 * ignored, as ids have none. n when none matches. */
size_t bls_match(struct bls_entry *const *v, size_t n, const char *pattern);

/* The default and the timeout. The default is the first match of, in
 * turn: LoaderEntryOneShot; LoaderEntryDefault, or LoaderEntryLastBooted
 * when that is "@saved"; loader.conf's default, or LoaderEntryLastBooted
 * when that is "@saved" (unless LoaderEntryDefault was "@saved" too);
 * else the first entry that is not automatic (bls/auto_entries.h), else
 * the first, with a timeout of 0 or menu-hidden made 10 seconds, as
 * systemd-boot does. Requires n > 0.
 * The timeout is LoaderConfigTimeoutOneShot's, else LoaderConfigTimeout's,
 * else loader.conf's, else 0; the menu, as systemd-boot shows it: always
 * when LoaderConfigTimeoutOneShot is set, whatever its value (counting
 * down its seconds, if any); else always for seconds (counting down) and
 * menu-force (waiting), on a key held for 0 and menu-hidden, never for
 * menu-disabled.
 * After an entry fails, the menu counts down the timeout's seconds to the
 * next entry; for 0, menu-hidden and menu-disabled (the user asked for no
 * menu, but the error must be readable) 10 seconds; for menu-force it
 * waits, as the user asked for a choice. */
void bls_choose(struct bls_entry *const *v, size_t n,
		const struct loader_conf *c, const struct bls_overrides *o,
		struct bls_choice *out, bls_warn_fn warn, void *ctx);

/* What becomes of LoaderEntryLastBooted (non-volatile) when `e` boots,
 * as systemd-boot decides: kept when e is the one-shot entry; with
 * "@saved" in LoaderEntryDefault (or in loader.conf, LoaderEntryDefault
 * unset), written with e->id unless it holds that already; otherwise
 * deleted, if set. */
enum bls_last_booted { BLS_LAST_KEEP, BLS_LAST_WRITE, BLS_LAST_DELETE };
enum bls_last_booted bls_last_booted(const struct loader_conf *c,
				     const struct bls_overrides *o,
				     const struct bls_entry *e);

#endif
