/* The boot menu on the firmware console. */
#ifndef EFI_MENU_H
#define EFI_MENU_H

#include <stdbool.h>
#include <stddef.h>

enum menu_choice { MENU_BOOT, MENU_LEAVE };

/* Whether a key is waiting (held at start): the user wants the menu. */
bool menu_key_pending(void);

/* Shows labels[0, n) with *selected highlighted, and the note (NULL:
 * none) under them. Up/Down, Home/End and Enter choose; Esc leaves. With
 * countdown_s > 0, the selected entry boots when it has run out unless a
 * key came first. */
enum menu_choice menu_run(const char *const *labels, size_t n,
			  size_t *selected, const char *note,
			  unsigned countdown_s);

/* Whether the firmware can reboot into its setup: OsIndicationsSupported
 * has EFI_OS_INDICATIONS_BOOT_TO_FW_UI (UEFI 2.10 §8.5.4). */
bool firmware_setup_supported(void);

/* Sets that bit in OsIndications and resets the machine, so that it
 * comes up in the firmware's setup; returns only when the variable could
 * not be set. */
void reboot_to_firmware_setup(void);

#endif
