/* Secure Boot under UEFI: the firmware's state, and the check that the
 * kernel is signed. efikexec must not become a way around it. */
#ifndef EFI_SECURE_BOOT_CHECK_H
#define EFI_SECURE_BOOT_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "boot/format.h"
#include "boot/platform.h"
#include "lib/diag.h"

/* The firmware's Secure Boot state: its variables and whether shim is in
 * the chain, decided by secure_boot_mode_of() (boot/secure_boot_mode.h). */
enum secure_boot_mode efi_secure_boot_mode(void);

/* secure_boot_check() (core/machine.h) here: with Secure Boot enabled (or
 * its state unknown), lets only a kernel whose signature the firmware
 * accepts through: shim's verifier when shim is there, else the firmware's
 * own image verification (LoadImage of the buffer, never started).
 * Multiboot and ELF64 kernels carry no signature and are refused. With
 * Secure Boot off, accepts everything. `image` is the very buffer that
 * will boot. A dry run on a machine with a TPM leaves the signature
 * unchecked, and says so: both verifiers measure what they verify. */

#endif
