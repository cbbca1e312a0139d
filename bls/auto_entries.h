/* The entries systemd-boot makes itself and puts after the others
 * (loader.conf(5): auto-entries, auto-firmware, auto-poweroff,
 * auto-reboot), with the ids and titles it gives them, so that
 * `bootctl list` and LoaderEntryDefault/OneShot name them alike. Pure;
 * tested on the host. */
#ifndef BLS_AUTO_ENTRIES_H
#define BLS_AUTO_ENTRIES_H

#include <stdbool.h>
#include <stddef.h>

#include "bls/entry.h"
#include "bls/loader_conf.h"

/* Where systemd-boot looks for Windows' boot manager and an EFI shell,
 * on its own volume. */
#define BLS_WINDOWS_PATH "\\EFI\\Microsoft\\Boot\\bootmgfw.efi"
#define BLS_EFI_SHELL_PATH "\\shellx64.efi"

enum bls_auto_kind {
	BLS_AUTO_PROGRAM,         /* an EFI program: Windows, the shell */
	BLS_AUTO_FIRMWARE_SETUP,  /* reboot into the firmware's setup */
	BLS_AUTO_POWEROFF,
	BLS_AUTO_REBOOT,
};

#define BLS_AUTO_MAX 5

/* What there is: the two programs on the volume, and whether the
 * firmware can reboot into its setup (OsIndicationsSupported). */
struct bls_auto_found {
	bool windows, efi_shell, firmware_setup;
};

/* Fills out[] (BLS_AUTO_MAX of them) with the automatic entries that
 * loader.conf asks for and that there is something for, in
 * systemd-boot's order: auto-windows and auto-efi-shell (auto-entries),
 * auto-reboot-to-firmware-setup (auto-firmware), auto-poweroff,
 * auto-reboot; kind[i] says what out[i] does. Returns how many. */
size_t bls_auto_entries(const struct loader_conf *c,
			const struct bls_auto_found *found,
			struct bls_entry *out, enum bls_auto_kind *kind);

/* Whether the id is one of those systemd-boot keeps for such entries
 * ("auto-*"): no entry file has one. */
bool bls_is_auto_id(const char *id);

#endif
