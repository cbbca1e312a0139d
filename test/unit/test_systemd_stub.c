#include <stdlib.h>
#include <string.h>

#include "boot/systemd_stub.h"
#include "harness.h"
#include "image_util.h"

/* An image with every section systemd-stub has a name for (as far as
 * what is measured goes: offsets and sizes are not looked at). */
static struct uki every_section(void)
{
	struct uki u = { 0 };

	for (int id = 0; id < UKI_NSECTIONS; id++)
		u.sec[id] = (struct uki_section){ 0x1000 * (id + 1), 0x10, true };
	return u;
}

static const struct stub_release *release(unsigned major, unsigned minor,
					  enum stub_fit want_fit)
{
	struct stub_version v = { major, minor };
	enum stub_fit fit;
	const struct stub_release *r = stub_release(&v, &fit);

	CHECK_EQ(fit, want_fit);
	return r;
}

/* names of ids[0, n), space-separated */
static const char *names(const enum uki_section_id *ids, size_t n)
{
	static char out[256];

	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (i)
			strcat(out, " ");
		strcat(out, uki_section_name(ids[i]));
	}
	return out;
}

/* What the stub measures into PCR 11, in order, for an image with every
 * section: each it knows but .pcrsig (its unified_section_measure()) */
static const char *stub_measures(const struct stub_release *r)
{
	enum uki_section_id ids[UKI_NSECTIONS];
	size_t n = 0;

	for (const enum uki_section_id *k = r->knows; r->measures && *k != STUB_END; k++)
		if (*k != UKI_PCRSIG)
			ids[n++] = *k;
	return names(ids, n);
}

static const char *efikexec_measures(const struct stub_release *r,
				     const struct uki *u)
{
	enum uki_section_id ids[UKI_NSECTIONS];

	return names(ids, stub_pcr11(r, u, ids));
}

#define V252 ".linux .osrel .cmdline .initrd .splash .dtb .pcrpkey"
#define V254 ".linux .osrel .cmdline .initrd .splash .dtb .uname .sbat .pcrpkey"
#define V256 ".linux .osrel .cmdline .initrd .ucode .splash .dtb .uname .sbat .pcrpkey"
#define V257 V256 " .profile .dtbauto .hwids"

/* Each release's PCR 11 list, as read in its sources (src/boot/efi/stub.c
 * up to 251, src/fundamental/tpm-pcr.h 252 to 254, uki.h from 255) */
TEST(stub_pcr11_by_release)
{
	static const struct {
		unsigned major;
		const char *stub, *efikexec;
	} want[] = {
		{ 250, "", "" },
		{ 251, "", "" },
		{ 252, V252, V252 },
		{ 253, V252, V252 },
		{ 254, V254, V254 },
		{ 255, V254, V254 },
		{ 256, V256, V256 },
		/* .dtbauto and .efifw: measured when the stub picks one for
		 * the machine, which efikexec does not */
		{ 257, V257, V256 " .profile .hwids" },
		{ 258, V257 " .efifw", V256 " .profile .hwids" },
	};
	struct uki u = every_section();

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct stub_release *r = release(want[i].major, 0, STUB_KNOWN);

		CHECK_EQ(r->since.major, want[i].major);
		CHECK_STR(stub_measures(r), want[i].stub);
		CHECK_STR(efikexec_measures(r, &u), want[i].efikexec);
		/* the same whatever the point release */
		CHECK(release(want[i].major, 99, STUB_KNOWN)->measures == r->measures);
	}
	/* only the sections the image has, still in the stub's order */
	u = (struct uki){ 0 };
	u.sec[UKI_SBAT].present = u.sec[UKI_LINUX].present = true;
	u.sec[UKI_PCRSIG].present = u.sec[UKI_SDMAGIC].present = true;
	CHECK_STR(efikexec_measures(release(253, 0, STUB_KNOWN), &u), ".linux");
	CHECK_STR(efikexec_measures(release(254, 0, STUB_KNOWN), &u), ".linux .sbat");
}

/* .ucode: loaded (first, before .initrd) and measured from 256, the
 * release that knows it; before, neither */
TEST(stub_ucode_by_release)
{
	struct uki u = every_section();
	enum uki_section_id ids[2];

	for (unsigned major = 250; major <= 258; major++) {
		const struct stub_release *r = release(major, 0, STUB_KNOWN);
		bool knows = major >= 256;

		CHECK(stub_knows(r, UKI_UCODE) == knows);
		CHECK_STR(names(ids, stub_initrds(r, &u, ids)),
			  knows ? ".ucode .initrd" : ".initrd");
		CHECK(!!strstr(efikexec_measures(r, &u), ".ucode") == knows);
	}
	u.sec[UKI_INITRD].present = false;
	CHECK_STR(names(ids, stub_initrds(release(256, 0, STUB_KNOWN), &u, ids)), ".ucode");
	CHECK_EQ(stub_initrds(release(255, 0, STUB_KNOWN), &u, ids), 0);
}

/* Point releases, and versions outside the table */
TEST(stub_release_fit)
{
	enum stub_fit fit;

	CHECK_EQ(release(252, 2, STUB_KNOWN)->cmdline, CMDLINE_AS_GIVEN);
	CHECK_EQ(release(252, 3, STUB_KNOWN)->cmdline, CMDLINE_CONTROLS);
	CHECK_EQ(release(252, 5, STUB_KNOWN)->cmdline, CMDLINE_CONTROLS);
	CHECK_EQ(release(252, 6, STUB_KNOWN)->cmdline, CMDLINE_CHOP_END);
	CHECK_EQ(release(252, 39, STUB_KNOWN)->cmdline, CMDLINE_CHOP_END);
	CHECK_EQ(release(254, 26, STUB_KNOWN)->cmdline, CMDLINE_CHOP_END);
	CHECK_EQ(release(255, 0, STUB_KNOWN)->cmdline, CMDLINE_TRIM);
	CHECK_EQ(release(250, 0, STUB_KNOWN)->cmdline_pcr, 8);
	CHECK_EQ(release(251, 0, STUB_KNOWN)->cmdline_pcr, 12);
	/* StubPcrKernelParameters without credentials: 252 only */
	for (unsigned major = 250; major <= 258; major++)
		CHECK(release(major, 0, STUB_KNOWN)->says_parameters == (major == 252));
	CHECK(release(252, 39, STUB_KNOWN)->says_parameters);
	CHECK(release(256, 9, STUB_KNOWN)->by_prefix);
	CHECK(!release(257, 0, STUB_KNOWN)->by_prefix);
	CHECK(!release(256, 0, STUB_KNOWN)->profile_prefix);
	CHECK(release(257, 0, STUB_KNOWN)->profile_prefix);
	/* newer than the table, or unnamed: its last row; older: its first */
	CHECK_EQ(release(259, 0, STUB_NEWER)->since.major, 258);
	CHECK_EQ(release(1000, 0, STUB_NEWER)->since.major, 258);
	CHECK_EQ(release(258, 99, STUB_KNOWN)->since.major, 258);
	CHECK_EQ(release(249, 99, STUB_OLDER)->since.major, 250);
	CHECK_EQ(release(0, 0, STUB_OLDER)->since.major, 250);
	CHECK_EQ(stub_release(NULL, &fit)->since.major, 258);
	CHECK_EQ(fit, STUB_UNNAMED);
}

static bool version_of(const char *sdmagic, size_t len, uint16_t image_major,
		       struct stub_version *v)
{
	const struct test_section s[] = {
		{ ".linux", "k", 1, 1 },
		{ ".sdmagic", sdmagic, (uint32_t)len, (uint32_t)len },
	};
	size_t size;
	uint8_t *f = test_pe(s, sdmagic ? 2 : 1, &size);
	struct uki u;
	struct diag d;
	bool named;

	memcpy(f + TEST_PE_HEADER + 24 + 44, &image_major, 2);
	CHECK_EQ(uki_parse_head(f, size, size, &u, &d), 0);
	*v = (struct stub_version){ 7, 7 };
	named = stub_version(f + u.sec[UKI_SDMAGIC].offset,
			     u.sec[UKI_SDMAGIC].present ? u.sec[UKI_SDMAGIC].size : 0,
			     f, size, v);
	free(f);
	return named;
}

#define MAGIC(text) "#### LoaderInfo: systemd-stub " text " ####"

TEST(stub_version_from_image)
{
	struct stub_version v;

	/* Debian 12's, NUL-terminated */
	CHECK(version_of(MAGIC("252.39-1~deb12u2"), sizeof(MAGIC("252.39-1~deb12u2")), 0, &v));
	CHECK(v.major == 252 && v.minor == 39);
	/* bookworm-backports' (its MajorImageVersion is 254 too) */
	CHECK(version_of(MAGIC("254.26-1~bpo12+1"), sizeof(MAGIC("254.26-1~bpo12+1")), 254, &v));
	CHECK(v.major == 254 && v.minor == 26);
	/* from git, without a NUL (257 on) */
	CHECK(version_of(MAGIC("257~rc1-12-gabcdef0"), sizeof(MAGIC("257~rc1-12-gabcdef0")) - 1, 0, &v));
	CHECK(v.major == 257 && v.minor == 0);
	CHECK(version_of(MAGIC("253"), sizeof(MAGIC("253")) - 1, 0, &v));
	CHECK(v.major == 253 && v.minor == 0);
	CHECK(version_of("#### LoaderInfo: systemd-stub 256.", 34, 0, &v));
	CHECK(v.major == 256 && v.minor == 0);
	/* cut off before its digits, another program's, no digits, not at
	 * the start, too large: the PE header's MajorImageVersion if it is
	 * systemd's (254 on), else none */
	CHECK(!version_of(MAGIC("252"), 30, 0, &v));
	CHECK(version_of(MAGIC("252"), 30, 255, &v));
	CHECK(v.major == 255 && v.minor == 0);
	CHECK(!version_of("#### LoaderInfo: systemd-boot 252 ####", 38, 0, &v));
	CHECK(!version_of(MAGIC("v252"), sizeof(MAGIC("v252")), 253, &v));
	CHECK(!version_of(" " MAGIC("252"), sizeof(MAGIC("252")) + 1, 0, &v));
	CHECK(!version_of(MAGIC("4294967296"), sizeof(MAGIC("4294967296")), 0, &v));
	CHECK(version_of(MAGIC("4294967295"), sizeof(MAGIC("4294967295")), 0, &v));
	CHECK(v.major == 4294967295u);
	/* no .sdmagic */
	CHECK(!version_of(NULL, 0, 0, &v));
	CHECK(version_of(NULL, 0, 258, &v));
	CHECK(v.major == 258 && v.minor == 0);
	/* a header too short to hold it */
	{
		uint8_t f[0x100] = { 'M', 'Z' };

		f[0x3c] = 0x80;
		memcpy(f + 0x80, "PE\0\0", 4);
		f[0x80 + 20] = 45; /* SizeOfOptionalHeader */
		f[0x80 + 24 + 44] = 254;
		CHECK(!stub_version(NULL, 0, f, sizeof(f), &v));
		f[0x80 + 20] = 46;
		CHECK(stub_version(NULL, 0, f, sizeof(f), &v));
		CHECK(!stub_version(NULL, 0, f, 0x80 + 24 + 45, &v));
	}
}

static const char *clean(enum stub_cmdline rule, const char *in, size_t len)
{
	static char out[128];

	memset(out, 'X', sizeof(out));
	stub_cmdline_clean(rule, (const uint8_t *)in, len, out, sizeof(out));
	return out;
}

/* mangle_stub_cmdline() release by release (src/boot/efi/util.c) */
TEST(stub_cmdline_cleaning)
{
	static const char in[] = " \t a=1\n b\x7f \r\n\0garbage";
	char out[8];

	CHECK_STR(clean(CMDLINE_AS_GIVEN, in, sizeof(in) - 1), " \t a=1\n b\x7f \r\n");
	CHECK_STR(clean(CMDLINE_CONTROLS, in, sizeof(in) - 1), "   a=1  b\x7f   ");
	CHECK_STR(clean(CMDLINE_CHOP_END, in, sizeof(in) - 1), "   a=1  b\x7f");
	CHECK_STR(clean(CMDLINE_TRIM, in, sizeof(in) - 1), "a=1  b");
	/* DEL inside: a space from 255 on, kept before */
	CHECK_STR(clean(CMDLINE_CHOP_END, "a\x7f" "b", 3), "a\x7f" "b");
	CHECK_STR(clean(CMDLINE_TRIM, "a\x7f" "b", 3), "a b");
	/* blanks only */
	CHECK_STR(clean(CMDLINE_CHOP_END, " \n\t ", 4), "");
	CHECK_STR(clean(CMDLINE_TRIM, " \n\t \x7f", 5), "");
	CHECK_STR(clean(CMDLINE_CONTROLS, " \n", 2), "  ");
	/* up to len, and up to the first NUL */
	CHECK_STR(clean(CMDLINE_TRIM, "quiet", 3), "qui");
	CHECK_STR(clean(CMDLINE_TRIM, "\0quiet", 6), "");
	CHECK_STR(clean(CMDLINE_AS_GIVEN, "", 0), "");
	/* UTF-8 as it is */
	CHECK_STR(clean(CMDLINE_TRIM, "r\xc3\xa9sum\xc3\xa9", 8), "r\xc3\xa9sum\xc3\xa9");
	/* truncated to the room given, the whole length returned */
	CHECK_EQ(stub_cmdline_clean(CMDLINE_TRIM, (const uint8_t *)" abc def  ", 10,
				    out, 5), 7);
	CHECK_STR(out, "abc ");
	CHECK_EQ(stub_cmdline_clean(CMDLINE_TRIM, (const uint8_t *)"a b", 3, out, 0), 3);
}

static const char *given(unsigned major, unsigned minor, const char *line,
			 bool want_taken, unsigned want_profile)
{
	static char out[128];
	unsigned profile = 7;

	memset(out, 'X', sizeof(out));
	out[strlen(line)] = '\0';
	CHECK(stub_given_cmdline(release(major, minor, STUB_KNOWN), line, out,
				 &profile) == want_taken);
	CHECK_EQ(profile, want_profile);
	/* the profile alone, as the image's sections are picked by it */
	CHECK_EQ(stub_profile(release(major, minor, STUB_KNOWN), line), want_profile);
	return out;
}

/* A command line its loader gives the stub, as it measures it into PCR 12
 * (PCR 8 for 250) and boots it, release by release */
TEST(stub_given_cmdline_by_release)
{
	static const char line[] = "  a=1\tb  ";

	CHECK_STR(given(250, 0, line, true, 0), line);
	CHECK_STR(given(252, 2, line, true, 0), line);
	CHECK_STR(given(252, 3, line, true, 0), "  a=1 b  ");
	CHECK_STR(given(252, 39, line, true, 0), "  a=1 b");
	CHECK_STR(given(253, 0, line, true, 0), "  a=1 b");
	CHECK_STR(given(254, 0, line, true, 0), "  a=1 b");
	CHECK_STR(given(255, 0, line, true, 0), "a=1 b");
	CHECK_STR(given(256, 0, line, true, 0), "a=1 b");
	CHECK_STR(given(258, 0, line, true, 0), "a=1 b");
	/* none, or one starting with a control character: not taken */
	given(252, 0, "", false, 0);
	given(258, 0, "", false, 0);
	given(252, 0, "\ta=1", false, 0);
	given(258, 0, "\x1f" "a=1", false, 0);
	CHECK_STR(given(252, 0, "\x7f" "a=1", true, 0), "\x7f" "a=1");
	/* blanks only: an empty line up to 256, no line from 257 */
	CHECK_STR(given(253, 0, "   ", true, 0), "");
	CHECK_STR(given(256, 0, " \x7f ", true, 0), "");
	given(257, 0, "   ", false, 0);
	/* 257's profile prefix: "@N", then one space or the end */
	CHECK_STR(given(257, 0, "@0 a=1", true, 0), "a=1");
	CHECK_STR(given(257, 0, "@3 a=1", true, 3), "a=1");
	CHECK_STR(given(257, 0, "@12  a=1 ", true, 12), "a=1");
	CHECK_STR(given(258, 0, "@4294967295", false, 4294967295u), "");
	given(257, 0, "@1", false, 1);
	CHECK_STR(given(257, 0, "@4294967296 a", true, 0), "@4294967296 a");
	CHECK_STR(given(257, 0, "@1a b", true, 0), "@1a b");
	CHECK_STR(given(257, 0, "@ a", true, 0), "@ a");
	CHECK_STR(given(257, 0, " @1 a", true, 0), "@1 a");
	CHECK_STR(given(257, 0, "@1\ta", true, 0), "@1 a");
	/* before 257 it is part of the line */
	CHECK_STR(given(256, 0, "@1 a=1", true, 0), "@1 a=1");
}

/* Up to 256 a stub finds a section by the first letters of its name, and
 * the last one found wins: a section named longer is refused for those */
TEST(stub_check_names_by_prefix)
{
	struct uki u = { 0 };
	struct stub_version v = { 252, 39 };
	struct diag d;

	u.sec[UKI_LINUX].present = true;
	CHECK_EQ(stub_check(release(252, 39, STUB_KNOWN), &u, &v, &d), 0);
	u.prefixed = 1u << UKI_DTB; /* .dtbauto */
	CHECK_EQ(stub_check(release(252, 39, STUB_KNOWN), &u, &v, &d), ERR_BAD_IMAGE);
	CHECK_STR(d.msg, "a section's name begins with '.dtb' but is longer: its systemd-stub (252.39) would take the last such section for .dtb, efikexec takes none");
	CHECK_EQ(stub_check(release(256, 0, STUB_KNOWN), &u, &v, &d), ERR_BAD_IMAGE);
	CHECK_EQ(stub_check(release(257, 0, STUB_KNOWN), &u, &v, &d), 0);
	/* only for the sections the release knows */
	u.prefixed = 1u << UKI_UCODE;
	CHECK_EQ(stub_check(release(255, 0, STUB_KNOWN), &u, &v, &d), 0);
	CHECK_EQ(stub_check(release(256, 0, STUB_KNOWN), &u, &v, &d), ERR_BAD_IMAGE);
	u.prefixed = 1u << UKI_INITRD;
	CHECK_EQ(stub_check(release(250, 0, STUB_KNOWN), &u, &v, &d), ERR_BAD_IMAGE);
}

TEST(stub_sections_per_machine)
{
	struct uki u = { 0 };

	u.sec[UKI_DTBAUTO].present = u.sec[UKI_EFIFW].present = true;
	/* no .hwids: an x86 stub picks none */
	CHECK_EQ(stub_per_machine(release(258, 0, STUB_KNOWN), &u), STUB_END);
	u.sec[UKI_HWIDS].present = true;
	CHECK_EQ(stub_per_machine(release(258, 0, STUB_KNOWN), &u), UKI_DTBAUTO);
	CHECK_EQ(stub_per_machine(release(256, 0, STUB_KNOWN), &u), STUB_END);
	u.sec[UKI_DTBAUTO].present = false;
	CHECK_EQ(stub_per_machine(release(258, 0, STUB_KNOWN), &u), UKI_EFIFW);
	CHECK_EQ(stub_per_machine(release(257, 0, STUB_KNOWN), &u), STUB_END);
}
