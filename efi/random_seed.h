/* A random seed for the next kernel: \loader\random-seed on efikexec's
 * volume and the firmware's RNG, mixed as systemd-boot mixes them and
 * handed over in Linux's random seed configuration table. */
#ifndef EFI_RANDOM_SEED_H
#define EFI_RANDOM_SEED_H

/* Once every check has passed, before ExitBootServices: refreshes the
 * seed file (written and flushed before anything derived from it is
 * handed on), then installs LINUX_EFI_RANDOM_SEED_TABLE, merging a table
 * a previous boot stage installed. Without the file or the RNG it does
 * what systemd-boot does (docs/bls.md); a failure is warned about and
 * the boot goes on. */
void random_seed_install(void);

#endif
