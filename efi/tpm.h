/* Measured boot: what efikexec loaded goes into the TPM's PCRs, through
 * the firmware's EFI_TCG2_PROTOCOL, as GRUB measures what it loads
 * (docs/measured-boot.md): PCR 9 each file's contents, PCR 8 the
 * command lines; and a unified kernel image's sections PCR 11, as
 * systemd-stub measures them. */
#ifndef EFI_TPM_H
#define EFI_TPM_H

#include <stdbool.h>
#include <stddef.h>

#include "boot/format.h"
#include "boot/systemd_stub.h"
#include "boot/uki.h"
#include "core/extras.h"
#include "core/load.h"

/* Measures the files (in the order read), then the kernel command line,
 * then each module's string; for the unified kernel image `uki_file`
 * (NULL: none) its sections into PCR 11, the parts of its command line
 * its stub measures (lines: the line given in place of its own, its
 * add-ons', the SMBIOS line), the archives its stub makes (extras,
 * core/extras.h) and its add-ons' parts (lines->parts: devicetrees
 * before or after the archives, .ucode and .initrd after them), as the
 * stub release `stub` does and says
 * (StubPcrKernelImage, StubPcrKernelParameters, StubPcrInitRDSysExts,
 * StubPcrInitRDConfExts). Then installs a
 * copy of the event log for Linux (the LINUX_EFI_TPM_EVENT_LOG
 * configuration table its EFI stub would have made). Without a TPM it
 * does nothing; a measurement that fails is warned about, not fatal: the
 * boot goes on, and the PCRs show that something is missing. */
void tpm_measure(const struct load_record *files, const char *cmdline,
		 const struct module *mods, size_t nmods, const uint8_t *uki_file,
		 const struct uki *uki, const struct stub_release *stub,
		 const struct stub_lines *lines, const struct extra_archive *extras,
		 size_t nextras);

/* Removes the configuration table again, when the boot did not happen
 * (nothing to do when there is none). */
void tpm_unpublish(void);

#endif
