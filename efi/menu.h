/* The boot menu on the firmware console. */
#ifndef EFI_MENU_H
#define EFI_MENU_H

#include <stdbool.h>
#include <stddef.h>

#include "efi/efi.h"

enum menu_choice {
	MENU_BOOT,  /* Enter: boot what is selected */
	MENU_LEAVE, /* Esc */
	MENU_KEY,   /* any other key, for the caller: menu.key */
};

struct menu {
	const char *const *labels;
	size_t n, selected;
	size_t marked;      /* LoaderEntryDefault's entry, marked; n: none */
	const char *note;   /* under the entries (an error); NULL: none */
	const char *status; /* the last line (a key's answer); NULL: none */
	unsigned countdown; /* seconds; 0: none (a key stops it) */
	bool confirm;       /* the next key only: Enter is MENU_BOOT, any
			     * other MENU_KEY */
	EFI_INPUT_KEY key;  /* the key of MENU_KEY */
};

/* Whether a key is waiting (held at start): the user wants the menu. */
bool menu_key_pending(void);

/* Shows the entries with m->selected highlighted. Up/Down (j/k),
 * Home/End, PageUp/PageDown and Enter or Right choose; Esc leaves; other
 * keys go back to the caller. With a countdown, the selected entry boots
 * when it has run out unless a key came first. */
enum menu_choice menu_run(struct menu *m);

/* The editor (bls/editor.h) on the last line, over the NUL-terminated
 * text in buf[0, cap): whether Enter accepted it (Esc cancels). */
bool menu_edit(char *buf, size_t cap);

/* Waits for a key: whether it was neither Esc nor q. */
bool menu_wait_key(void);

/* The console's text modes: the next one that works after the current,
 * and setting one; their number (-1: none). */
int menu_next_mode(void);
bool menu_set_mode(int mode);
int menu_mode(void);

/* Whether the firmware can reboot into its setup: OsIndicationsSupported
 * has EFI_OS_INDICATIONS_BOOT_TO_FW_UI (UEFI 2.10 §8.5.4). */
bool firmware_setup_supported(void);

/* Sets that bit in OsIndications and resets the machine, so that it
 * comes up in the firmware's setup; returns only when the variable could
 * not be set. */
void reboot_to_firmware_setup(void);

#endif
