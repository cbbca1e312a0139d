/* Which Secure Boot state efikexec acts on, decided from what the firmware
 * answered; plain data in, so the decision is unit-tested.
 * efi/secure_boot_check.c asks the firmware. */
#ifndef BOOT_SECURE_BOOT_MODE_H
#define BOOT_SECURE_BOOT_MODE_H

#include <stdbool.h>
#include <stdint.h>

#include "boot/platform.h"

/* How one GetVariable() answered. */
enum var_answer {
	VAR_READ,      /* EFI_SUCCESS with exactly the one byte expected */
	VAR_NOT_FOUND, /* EFI_NOT_FOUND */
	VAR_FAILED,    /* any other status, or another size */
};

struct var_u8 {
	enum var_answer answer;
	uint32_t attributes; /* when read */
	uint8_t value;       /* when read */
};

/* UEFI 2.10 §8.2.1, GetVariable()/SetVariable() attributes */
#define VAR_ATTR_NON_VOLATILE 0x1u

struct secure_boot_vars {
	struct var_u8 secure_boot; /* SecureBoot (EFI global variable) */
	struct var_u8 setup_mode;  /* SetupMode (EFI global variable) */
	struct var_u8 mok_sb_state_rt; /* shim's MokSBStateRT */
	bool shim_lock; /* shim's SHIM_LOCK protocol is installed */
};

/* The state to act on and to tell Linux (boot_params.secure_boot), as
 * Linux's EFI stub decides it (efi_get_secureboot), and stricter where
 * shim is concerned:
 * - SecureBoot absent: firmware without Secure Boot, DISABLED. SecureBoot
 *   unreadable: UNKNOWN, which secure_boot_check() treats as on.
 * - SecureBoot 0, or SetupMode 1: DISABLED. SetupMode unreadable counts
 *   as 0 (user mode): fail closed.
 * - MokSBStateRT = 1 (`mokutil --disable-validation`) turns verification
 *   off only when shim made it: shim creates it as a volatile copy of
 *   its boot-services-only MokSBState, and installs SHIM_LOCK. A
 *   non-volatile one was made by someone else (root on the last OS,
 *   through efivarfs), and without shim in the chain nobody asked for
 *   it: both are ignored. */
enum secure_boot_mode secure_boot_mode_of(const struct secure_boot_vars *v);

/* Why a kernel must be signed, for a message that refuses one: "Secure
 * Boot is on" (ENABLED), or that its state cannot be read (UNKNOWN). */
const char *secure_boot_reason(enum secure_boot_mode mode);

#endif
