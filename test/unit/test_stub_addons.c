/* systemd-stub's add-ons, SMBIOS command line and Stub* variables
 * (boot/systemd_stub.h), release by release, as read in its stub.c: where
 * add-ons come from, which it takes, how their command lines are joined,
 * cleaned and measured, and what it says in StubInfo and StubFeatures. */
#include <string.h>

#include "boot/systemd_stub.h"
#include "harness.h"

static const struct stub_release *release(unsigned major, unsigned minor)
{
	struct stub_version v = { major, minor };
	enum stub_fit fit;

	return stub_release(&v, &fit);
}

/* An add-on's sections over bytes: each present one at its offset */
static void section(struct uki *a, enum uki_section_id id, const char *bytes,
		    const char *at, size_t size)
{
	a->sec[id] = (struct uki_section){ (uint32_t)(at - bytes), (uint32_t)size,
					   size != 0 };
}

TEST(stub_addon_dirs_by_release)
{
	struct stub_extra d[2];

	CHECK_EQ(stub_addon_dirs(release(253, 0), d), 0);
	CHECK_EQ(stub_addon_dirs(release(252, 39), d), 0);
	CHECK_EQ(stub_addon_dirs(release(254, 26), d), 2);
	/* the global ones first, then the image's own .extra.d */
	CHECK_STR(d[0].from, "\\loader\\addons");
	CHECK(!d[1].from);
	CHECK(stub_extra_takes(&d[1], "debug.addon.efi"));
	CHECK(stub_extra_takes(&d[0], "X.ADDON.EFI"));
	CHECK(!stub_extra_takes(&d[1], "debug.efi"));
	CHECK(!stub_extra_takes(&d[1], ".hidden.addon.efi"));
	CHECK(!stub_extra_takes(&d[1], "caf\xc3\xa9.addon.efi"));
	CHECK_EQ(stub_addon_dirs(release(258, 0), d), 2);
}

TEST(stub_addon_check_by_release)
{
	static const char bytes[] = "quiet\0" "6.1.0-1-amd64\0" "6.1\0" "6.2\0" "dtb";
	const struct stub_release *r254 = release(254, 0), *r255 = release(255, 0);
	const char *uname = "6.1.0-1-amd64";
	struct uki a = { 0 };

	/* 254 takes .cmdline only, 255 .dtb too */
	CHECK(stub_addon_takes(r254, UKI_CMDLINE));
	CHECK(!stub_addon_takes(r254, UKI_DTB));
	CHECK(stub_addon_takes(r255, UKI_DTB));
	CHECK(!stub_addon_takes(release(253, 0), UKI_CMDLINE));
	section(&a, UKI_DTB, bytes, bytes + 30, 3);
	CHECK_EQ(stub_addon_check(r254, (const uint8_t *)bytes, &a, NULL, 0),
		 ADDON_NOTHING);
	CHECK_EQ(stub_addon_check(r255, (const uint8_t *)bytes, &a, NULL, 0),
		 ADDON_TAKEN);
	section(&a, UKI_CMDLINE, bytes, bytes, 5);
	CHECK_EQ(stub_addon_check(r254, (const uint8_t *)bytes, &a, uname, 13),
		 ADDON_TAKEN);
	/* .uname: the image's, or its start; not another */
	section(&a, UKI_UNAME, bytes, bytes + 6, 13);
	CHECK_EQ(stub_addon_check(r254, (const uint8_t *)bytes, &a, uname, 13),
		 ADDON_TAKEN);
	section(&a, UKI_UNAME, bytes, bytes + 20, 3);
	CHECK_EQ(stub_addon_check(r254, (const uint8_t *)bytes, &a, uname, 13),
		 ADDON_TAKEN);
	section(&a, UKI_UNAME, bytes, bytes + 24, 3);
	CHECK_EQ(stub_addon_check(r254, (const uint8_t *)bytes, &a, uname, 13),
		 ADDON_UNAME);
	/* an add-on's .uname longer than the image's, NUL and all */
	section(&a, UKI_UNAME, bytes, bytes + 6, 14);
	CHECK_EQ(stub_addon_check(r254, (const uint8_t *)bytes, &a, "6.1.0-1-amd", 11),
		 ADDON_UNAME);
	CHECK_EQ(stub_addon_check(r254, (const uint8_t *)bytes, &a, uname, 13),
		 ADDON_TAKEN);
	/* an image without .uname takes any */
	section(&a, UKI_UNAME, bytes, bytes + 24, 3);
	CHECK_EQ(stub_addon_check(r254, (const uint8_t *)bytes, &a, NULL, 0),
		 ADDON_TAKEN);
	/* a kernel inside: a UKI, not an add-on, before .uname is looked at */
	section(&a, UKI_LINUX, bytes, bytes, 5);
	CHECK_EQ(stub_addon_check(r254, (const uint8_t *)bytes, &a, uname, 13),
		 ADDON_IS_UKI);
}

TEST(stub_addon_lines_by_release)
{
	char buf[64];
	const char *lines[2];

	/* 254: each directory's line cleaned and measured on its own */
	CHECK_EQ(stub_addon_lines(release(254, 0), "a\tb ", "c\n", buf, lines), 2);
	CHECK_STR(lines[0], "a b");
	CHECK_STR(lines[1], "c");
	CHECK_EQ(stub_addon_lines(release(254, 0), "", "c", buf, lines), 1);
	CHECK_STR(lines[0], "c");
	CHECK_EQ(stub_addon_lines(release(254, 0), " ", "", buf, lines), 0);
	/* 255: one line, a space between only when both have something;
	 * blanks inside each become a space, none taken out */
	CHECK_EQ(stub_addon_lines(release(255, 0), " a\tb ", "c\n", buf, lines), 1);
	CHECK_STR(lines[0], "a b  c");
	CHECK_EQ(stub_addon_lines(release(256, 0), "", "c", buf, lines), 1);
	CHECK_STR(lines[0], "c");
	CHECK_EQ(stub_addon_lines(release(258, 0), "\x7f", "", buf, lines), 0);
	/* no add-ons at all */
	CHECK_EQ(stub_addon_lines(release(254, 0), "", "", buf, lines), 0);
}

/* Where each release measures its add-ons' devicetrees, and whether it
 * notes that it measured a tagged event */
TEST(stub_addon_dtbs_by_release)
{
	/* 255 and 256 after the archives (dtb_install_addons()), 257 on
	 * before them (install_addon_devicetrees()) */
	CHECK(!release(255, 0)->addon_dtbs_first);
	CHECK(!release(256, 0)->addon_dtbs_first);
	CHECK(release(257, 13)->addon_dtbs_first);
	CHECK(release(258, 0)->addon_dtbs_first);
	/* 257's tpm_log_tagged_event() returns before it notes it */
	CHECK(!release(255, 0)->tagged_unmeasured);
	CHECK(!release(256, 0)->tagged_unmeasured);
	CHECK(release(257, 0)->tagged_unmeasured);
}

/* The event data of a tagged event: the tag and the description's size,
 * little-endian, then the description in UTF-16 with its NUL */
TEST(stub_tagged_event_layout)
{
	static const uint8_t profile[] = {
		0xdb, 0xd6, 0xae, 0x13, 4, 0, 0, 0, '1', 0, 0, 0,
	};
	static const uint8_t dtb[] = {
		0x51, 0xf7, 0x46, 0x6c, 12, 0, 0, 0,
		'a', 0, '.', 0, 'e', 0, 'f', 0, 'i', 0, 0, 0,
	};
	uint8_t out[32];

	memset(out, 0xaa, sizeof(out));
	CHECK_EQ(stub_tagged_event(STUB_PROFILE_EVENT_TAG, "1", out, sizeof(out)),
		 sizeof(profile));
	CHECK(!memcmp(out, profile, sizeof(profile)));
	CHECK_EQ(out[sizeof(profile)], 0xaa);
	CHECK_EQ(stub_tagged_event(STUB_DEVICETREE_ADDON_EVENT_TAG, "a.efi", out,
				   sizeof(out)), sizeof(dtb));
	CHECK(!memcmp(out, dtb, sizeof(dtb)));
	/* exactly the room it needs, and a byte less */
	CHECK_EQ(stub_tagged_event(STUB_DEVICETREE_ADDON_EVENT_TAG, "a.efi", out,
				   sizeof(dtb)), sizeof(dtb));
	CHECK_EQ(stub_tagged_event(STUB_DEVICETREE_ADDON_EVENT_TAG, "a.efi", out,
				   sizeof(dtb) - 1), 0);
	/* a name not in ASCII: its UTF-16, as the stub has it */
	{
		static const uint8_t wide[] = {
			0x51, 0xf7, 0x46, 0x6c, 6, 0, 0, 0, 0xe9, 0, 0xac, 0x20, 0, 0,
		};

		CHECK_EQ(stub_tagged_event(STUB_DEVICETREE_ADDON_EVENT_TAG,
					   "\xc3\xa9\xe2\x82\xac", out, sizeof(out)),
			 sizeof(wide));
		CHECK(!memcmp(out, wide, sizeof(wide)));
	}
	/* a name of more units than a file name has: none, whatever the room */
	{
		static uint8_t big[8 + 2 * 300];
		char name[STUB_TAGGED_DESCRIPTION_MAX + 2];

		memset(name, 'n', sizeof(name) - 1);
		name[sizeof(name) - 1] = '\0';
		CHECK_EQ(stub_tagged_event(STUB_DEVICETREE_ADDON_EVENT_TAG, name, big,
					   sizeof(big)), 0);
		name[sizeof(name) - 2] = '\0';
		CHECK_EQ(stub_tagged_event(STUB_DEVICETREE_ADDON_EVENT_TAG, name, big,
					   sizeof(big)), 8 + 2 * (STUB_TAGGED_DESCRIPTION_MAX + 1));
	}
}

TEST(stub_smbios_and_features_by_release)
{
	CHECK(!release(253, 0)->smbios_cmdline);
	CHECK(release(254, 0)->smbios_cmdline);
	CHECK(release(256, 0)->smbios_cmdline);
	CHECK_EQ(release(251, 0)->features, 0);
	CHECK_EQ(release(252, 39)->features, 0xf);
	CHECK_EQ(release(253, 0)->features, 0x1f);
	CHECK_EQ(release(254, 26)->features, 0x7f);
	/* 255's .dtb add-ons (bit 7) efikexec measures but does not
	 * install */
	CHECK_EQ(release(255, 0)->features, 0x7f);
	CHECK_EQ(release(256, 0)->features, 0x17f);
	/* 257's multi-profile images and bit 10 (StubDevicePartUUID,
	 * StubImageIdentifier) */
	CHECK_EQ(release(257, 13)->features, 0x77f);
	CHECK_EQ(release(258, 0)->features, 0x77f);
}

TEST(stub_info_from_sdmagic)
{
	static const char magic[] = "#### LoaderInfo: systemd-stub 254.26-1~bpo12+1 ####";
	static const char bare[] = "#### LoaderInfo: systemd-stub 257.1";
	struct uki u = { 0 };
	char out[64];

	section(&u, UKI_SDMAGIC, magic, magic, sizeof(magic));
	CHECK(stub_info((const uint8_t *)magic, &u, out, sizeof(out)));
	CHECK_STR(out, "systemd-stub 254.26-1~bpo12+1");
	CHECK(!stub_info((const uint8_t *)magic, &u, out, 29));
	CHECK(stub_info((const uint8_t *)magic, &u, out, 30));
	/* 257 on: no NUL, the section's size ends it */
	section(&u, UKI_SDMAGIC, bare, bare, sizeof(bare) - 1);
	CHECK(stub_info((const uint8_t *)bare, &u, out, sizeof(out)));
	CHECK_STR(out, "systemd-stub 257.1");
	section(&u, UKI_SDMAGIC, magic, magic, 20);
	CHECK(!stub_info((const uint8_t *)magic, &u, out, sizeof(out)));
	u.sec[UKI_SDMAGIC].present = false;
	CHECK(!stub_info((const uint8_t *)magic, &u, out, sizeof(out)));
}
