#include "bls/auto_entries.h"

#include "lib/mem.h"

static void add(struct bls_entry *out, enum bls_auto_kind *kind, size_t *n,
		enum bls_auto_kind k, const char *id, const char *title,
		const char *program)
{
	out[*n] = (struct bls_entry){ .id = id, .file = program ? program : id,
				      .title = title, .kernel = program,
				      .options = "" };
	/* started as the `efi` key starts a program */
	if (program)
		out[*n].format = "efi";
	kind[(*n)++] = k;
}

size_t bls_auto_entries(const struct loader_conf *c,
			const struct bls_auto_found *found,
			struct bls_entry *out, enum bls_auto_kind *kind)
{
	size_t n = 0;

	if (c->auto_entries && found->windows)
		add(out, kind, &n, BLS_AUTO_PROGRAM, "auto-windows",
		    "Windows Boot Manager", BLS_WINDOWS_PATH);
	if (c->auto_entries && found->efi_shell)
		add(out, kind, &n, BLS_AUTO_PROGRAM, "auto-efi-shell", "EFI Shell",
		    BLS_EFI_SHELL_PATH);
	if (c->auto_firmware && found->firmware_setup)
		add(out, kind, &n, BLS_AUTO_FIRMWARE_SETUP,
		    "auto-reboot-to-firmware-setup", "Reboot Into Firmware Interface",
		    NULL);
	if (c->auto_poweroff)
		add(out, kind, &n, BLS_AUTO_POWEROFF, "auto-poweroff",
		    "Power Off The System", NULL);
	if (c->auto_reboot)
		add(out, kind, &n, BLS_AUTO_REBOOT, "auto-reboot",
		    "Reboot The System", NULL);
	return n;
}

bool bls_is_auto_id(const char *id)
{
	return !strncmp(id, "auto-", 5);
}
