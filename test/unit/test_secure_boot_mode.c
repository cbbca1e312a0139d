#include "boot/secure_boot_mode.h"
#include "harness.h"

#define READ(v, attr) { VAR_READ, (attr), (v) }
#define ABSENT { VAR_NOT_FOUND, 0, 0 }
#define FAILED { VAR_FAILED, 0, 0 }
/* what the firmware gives SecureBoot and SetupMode: BS|RT, volatile */
#define FW_ATTR 0x6u
#define NV_ATTR 0x7u

static enum secure_boot_mode mode(struct secure_boot_vars v)
{
	return secure_boot_mode_of(&v);
}

TEST(secure_boot_from_the_firmware_variables)
{
	struct secure_boot_vars on = { READ(1, FW_ATTR), READ(0, FW_ATTR), ABSENT, false };

	CHECK_EQ(mode(on), SECURE_BOOT_ENABLED);
	on.secure_boot.value = 0;
	CHECK_EQ(mode(on), SECURE_BOOT_DISABLED);
	on.secure_boot.value = 1;
	on.setup_mode.value = 1;
	CHECK_EQ(mode(on), SECURE_BOOT_DISABLED);
}

TEST(secure_boot_unreadable_state_fails_closed)
{
	struct secure_boot_vars v = { ABSENT, ABSENT, ABSENT, false };

	/* no SecureBoot variable at all: firmware without Secure Boot */
	CHECK_EQ(mode(v), SECURE_BOOT_DISABLED);
	/* SecureBoot there but unreadable: unknown, never "off" */
	v.secure_boot = (struct var_u8)FAILED;
	CHECK_EQ(mode(v), SECURE_BOOT_UNKNOWN);
	/* SecureBoot on, SetupMode missing or unreadable: on */
	v.secure_boot = (struct var_u8)READ(1, FW_ATTR);
	CHECK_EQ(mode(v), SECURE_BOOT_ENABLED);
	v.setup_mode = (struct var_u8)FAILED;
	CHECK_EQ(mode(v), SECURE_BOOT_ENABLED);
}

TEST(secure_boot_mok_state_only_from_shim)
{
	struct secure_boot_vars v = { READ(1, FW_ATTR), READ(0, FW_ATTR),
				      READ(1, FW_ATTR), true };

	/* shim in the chain, its volatile MokSBStateRT = 1: shim does not
	 * verify, and Linux is told so */
	CHECK_EQ(mode(v), SECURE_BOOT_DISABLED);
	/* the forgery: a non-volatile MokSBStateRT planted from the OS */
	v.mok_sb_state_rt.attributes = NV_ATTR;
	CHECK_EQ(mode(v), SECURE_BOOT_ENABLED);
	/* a volatile one, but no shim: nobody asked for it */
	v.mok_sb_state_rt.attributes = FW_ATTR;
	v.shim_lock = false;
	CHECK_EQ(mode(v), SECURE_BOOT_ENABLED);
	/* shim, but verification on, or the state unreadable */
	v.shim_lock = true;
	v.mok_sb_state_rt.value = 0;
	CHECK_EQ(mode(v), SECURE_BOOT_ENABLED);
	v.mok_sb_state_rt = (struct var_u8)FAILED;
	CHECK_EQ(mode(v), SECURE_BOOT_ENABLED);
	v.mok_sb_state_rt = (struct var_u8)READ(2, FW_ATTR);
	CHECK_EQ(mode(v), SECURE_BOOT_ENABLED);
}
