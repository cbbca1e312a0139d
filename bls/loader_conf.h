/* /loader/loader.conf: the default entry, the menu timeout, the editor
 * and the automatic entries (the keys systemd-boot documents in
 * loader.conf(5) that efikexec implements; the others are warned about
 * and ignored). Pure; tested on the host. */
#ifndef BLS_LOADER_CONF_H
#define BLS_LOADER_CONF_H

#include <stdbool.h>
#include <stddef.h>

#include "bls/entry.h"

enum bls_timeout_kind {
	BLS_TIMEOUT_SECONDS, /* 0: no menu unless a key is held */
	BLS_MENU_FORCE,      /* the menu, without a countdown */
	BLS_MENU_HIDDEN,     /* as 0 seconds */
	BLS_MENU_DISABLED,   /* no menu even with a key held */
};

struct bls_timeout {
	enum bls_timeout_kind kind;
	unsigned seconds;
};

struct loader_conf {
	const char *default_pattern; /* NULL: none */
	bool has_timeout;
	struct bls_timeout timeout;
	bool editor;        /* the menu's `e` may edit a command line */
	bool auto_entries;  /* the EFI shell and Windows, when found */
	bool auto_firmware; /* reboot into the firmware's setup, if it can */
	bool auto_poweroff, auto_reboot;
};

/* What holds without a loader.conf: systemd-boot's defaults (editor,
 * auto-entries and auto-firmware on, auto-poweroff and auto-reboot off). */
void bls_loader_conf_defaults(struct loader_conf *c);

/* Seconds ("5"; 2^32 - 1 and more, which `bootctl set-timeout menu-force`
 * writes, mean menu-force), "menu-force", "menu-hidden", "menu-disabled":
 * 0, or -1 for anything else. */
int bls_parse_timeout(const char *v, struct bls_timeout *t);

/* The menu's `+`/`t` (longer) and `-`/`T` (shorter) on a timeout, in
 * systemd-boot's order: menu-force, menu-hidden (0), 1 s, 2 s, ... up to
 * 2^32 - 3 s; menu-disabled goes to 1 s, or to menu-force. */
void bls_timeout_step(struct bls_timeout *t, bool longer);

/* The timeout as LoaderConfigTimeout holds it, as systemd-boot writes
 * it: "menu-force", "menu-hidden" (0 seconds too), "menu-disabled", or
 * the seconds. */
void bls_timeout_text(const struct bls_timeout *t, char *buf, size_t size);

/* Parses text[0, len) (changed in place; text[len] writable) over the
 * defaults. Booleans are systemd's: 1 yes y true t on, 0 no n false f off.
 * Nothing in loader.conf stops a boot: bad lines are warned about and
 * ignored. */
void bls_parse_loader_conf(char *text, size_t len, const char *file,
			   struct loader_conf *c, bls_warn_fn warn, void *ctx);

#endif
