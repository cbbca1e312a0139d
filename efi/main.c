/* efikexec's UEFI entry point: the load options, then the boot sequence
 * (core/boot_sequence.c) on the command line's kernel or on the boot
 * entries, over the machine efi/ implements. An error or a dry run comes
 * back here and returns to the shell or the boot manager. */
#include "core/boot_sequence.h"
#include "core/console.h"
#include "core/machine.h"
#include "core/options.h"
#include "core/timing.h"
#include "cpu/probe_hw.h"
#include "cpu/x86.h"
#include "efi/efi.h"
#include "efi/entries.h"
#include "lib/mem.h"
#include "lib/sha256.h"
#include "lib/utf.h"

#include <efishell.h>

struct efi_env efi;

static EFI_GUID shell_params_guid = EFI_SHELL_PARAMETERS_PROTOCOL_GUID;

/* The load options as UTF-8. Started from the shell (which installs
 * EFI_SHELL_PARAMETERS_PROTOCOL on us), they begin with our own name. */
static int read_load_options(char **line, char **scratch, size_t *scratch_size,
			     bool *has_program, struct diag *d)
{
	const CHAR16 *opts = efi.loaded->LoadOptions;
	size_t units = opts ? efi.loaded->LoadOptionsSize / sizeof(CHAR16) : 0;
	size_t len;

	/* A boot entry's optional data need not be text (UEFI 2.10 §3.1.3):
	 * binary data is no command line. */
	for (size_t i = 0; i < units && opts[i]; i++)
		if (opts[i] < 0x20 && opts[i] != '\t' && opts[i] != '\r' &&
		    opts[i] != '\n') {
			con_warn("ignoring %u bytes of load options that are not text",
				   efi.loaded->LoadOptionsSize);
			units = 0;
			break;
		}
	len = ucs2_to_utf8(opts, units, NULL, 0);

	*line = efi_alloc(len + 1);
	*scratch_size = 2 * len + 2;
	*scratch = efi_alloc(*scratch_size);
	if (!*line || !*scratch)
		return diag_fail(d, ERR_NO_MEMORY, "no memory for the command line");
	ucs2_to_utf8(opts, units, *line, len + 1);
	*has_program = efi_protocol(efi.image, &shell_params_guid) != NULL;
	return 0;
}

#define CALIBRATION_US 1000

/* The TSC's rate, against the firmware's Stall(). */
static void calibrate_tsc(void)
{
	uint64_t start = rdtsc(), t0 = rdtsc();

	efi.bs->Stall(CALIBRATION_US);
	timing_set(start, (rdtsc() - t0) * (1000000 / CALIBRATION_US));
}

/* The zeroed data's bounds (linker.ld). */
extern unsigned char bss_start[], bss_end[];

/* The image's entry point (linker.ld), called by the firmware. */
__attribute__((used)) EFI_STATUS EFIAPI efi_main(EFI_HANDLE image,
						 EFI_SYSTEM_TABLE *st);

EFI_STATUS EFIAPI efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	/* the boot's state: in .bss, not on the firmware's stack */
	static struct session session;
	struct diag d = { 0 };
	struct options opt;
	char *line = NULL, *scratch = NULL;
	size_t scratch_size = 0;
	bool has_program = false;
	int rc;

	/* before anything uses a static (linker.ld: .bss has no file bytes) */
	memset(bss_start, 0, (size_t)(bss_end - bss_start));
	efi = (struct efi_env){ .image = image, .st = st, .bs = st->BootServices,
				.rt = st->RuntimeServices };
	calibrate_tsc();
	/* before anything is hashed (pins, the random seed, --verify) */
	sha256_use_sha_ni(cpu_hw_sha_ni());
	if (!(efi.loaded = efi_protocol(image, &efi_loaded_image_guid))) {
		con_printf("efikexec: error: no EFI_LOADED_IMAGE_PROTOCOL on our own image\n");
		return EFI_LOAD_ERROR;
	}
	rc = read_load_options(&line, &scratch, &scratch_size, &has_program, &d);
	if (!rc)
		rc = options_parse(line, has_program, scratch, scratch_size, &opt, &d);
	if (!rc && opt.help)
		con_printf("%s", options_usage());
	else if (!rc && opt.kernel)
		rc = boot_sequence(&session, &opt, &d);
	/* Load options that are the firmware's kernel parameters (U-Boot's
	 * bootargs), not efikexec's, and name no file: boot the boot entries
	 * as if there were none, and say what was ignored. */
	if (rc == ERR_NOT_FOUND && !has_program &&
	    options_are_kernel_parameters(line, &opt)) {
		con_warn("ignoring load options '%s': kernel parameters, not efikexec's",
			 line);
		opt.kernel = NULL;
		rc = 0;
	}
	if (!rc && !opt.help && !opt.kernel)
		rc = entries_boot(&opt, boot_sequence, &session, &d);
	/* Only an error or a dry run gets here: leave nothing behind. */
	pages_release(0);
	if (rc) {
		con_error(&d);
		return efi_status_of(rc);
	}
	return EFI_SUCCESS;
}
