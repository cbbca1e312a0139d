#include "boot/secure_boot_mode.h"

enum secure_boot_mode secure_boot_mode_of(const struct secure_boot_vars *v)
{
	const struct var_u8 *mok = &v->mok_sb_state_rt;

	/* UEFI 2.10 §3.3: firmware that supports Secure Boot has the
	 * SecureBoot variable; one that does not, has none. */
	if (v->secure_boot.answer == VAR_NOT_FOUND)
		return SECURE_BOOT_DISABLED;
	if (v->secure_boot.answer != VAR_READ)
		return SECURE_BOOT_UNKNOWN;
	if (!v->secure_boot.value ||
	    (v->setup_mode.answer == VAR_READ && v->setup_mode.value == 1))
		return SECURE_BOOT_DISABLED;
	if (v->shim_lock && mok->answer == VAR_READ && mok->value == 1 &&
	    !(mok->attributes & VAR_ATTR_NON_VOLATILE))
		return SECURE_BOOT_DISABLED;
	return SECURE_BOOT_ENABLED;
}

const char *secure_boot_reason(enum secure_boot_mode mode)
{
	return mode == SECURE_BOOT_ENABLED ? "Secure Boot is on" :
	       "the SecureBoot variable cannot be read, so Secure Boot is taken as on";
}
