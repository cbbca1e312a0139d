/* systemd-boot's drop-in drivers (bls/drivers.h) on the volume efikexec
 * was loaded from. */
#ifndef EFI_DRIVERS_H
#define EFI_DRIVERS_H

/* Loads and starts every driver there is, in the directory's order, then
 * connects the controllers again for them. A driver the firmware does not
 * load (under Secure Boot: one it does not trust) or that fails to start
 * is warned about, with its name and status; the boot goes on. */
void drivers_load(void);

#endif
