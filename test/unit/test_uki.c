#include <stdlib.h>
#include <string.h>

#include "boot/systemd_stub.h"
#include "boot/uki.h"
#include "harness.h"
#include "image_util.h"

static void put16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, 2);
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static uint8_t *sec_hdr(uint8_t *f, unsigned i)
{
	return f + TEST_PE_TABLE + i * 40;
}

#define OSREL "ID=test\nPRETTY_NAME=\"Test OS 1\"\n"
#define CMDLINE "console=ttyS0 quiet\n"

static const struct test_section good[] = {
	{ ".text", NULL, 0x1234 },
	{ ".osrel", OSREL, sizeof(OSREL) - 1 },
	{ ".cmdline", CMDLINE, sizeof(CMDLINE) - 1 },
	{ ".linux", "MZ kernel", 0x2345 },
	{ ".initrd", "070701", 0x345 },
	{ ".pcrsig", "{}", 2 },
	{ ".pcrpkey", "-----BEGIN", 10 },
	{ ".sdmagic", "#### LoaderInfo", 15 },
};
#define NGOOD (sizeof(good) / sizeof(good[0]))

static int parse(const uint8_t *f, size_t size, struct uki *u, struct diag *d)
{
	d->code = 0;
	d->msg[0] = '\0';
	return uki_parse_head(f, size, size, u, d);
}

TEST(uki_good)
{
	size_t size;
	uint8_t *f = test_pe(good, NGOOD, &size);
	struct uki u;
	struct diag d;

	CHECK(uki_detect(f, size));
	CHECK_EQ(parse(f, size, &u, &d), 0);
	CHECK(u.sec[UKI_LINUX].present);
	CHECK_EQ(u.sec[UKI_LINUX].offset, TEST_PE_DATA + 0x1400 + 0x200 + 0x200);
	CHECK_EQ(u.sec[UKI_LINUX].size, 0x2345);
	CHECK_EQ(u.sec[UKI_OSREL].offset, TEST_PE_DATA + 0x1400);
	CHECK_EQ(u.sec[UKI_OSREL].size, sizeof(OSREL) - 1);
	CHECK(!memcmp(f + u.sec[UKI_OSREL].offset, OSREL, sizeof(OSREL) - 1));
	CHECK_EQ(u.sec[UKI_CMDLINE].size, sizeof(CMDLINE) - 1);
	CHECK(u.sec[UKI_INITRD].present);
	CHECK(u.sec[UKI_PCRSIG].present);
	CHECK(u.sec[UKI_PCRPKEY].present);
	CHECK(!u.sec[UKI_UCODE].present);
	CHECK(!u.sec[UKI_SPLASH].present);
	CHECK(!u.sec[UKI_DTB].present);
	CHECK(!u.sec[UKI_UNAME].present);
	CHECK(!u.sec[UKI_SBAT].present);
	free(f);
}

/* listing: the headers from the first bytes of the file, the sections'
 * ranges against the file's size */
TEST(uki_parse_head_from_prefix)
{
	size_t size;
	uint8_t *f = test_pe(good, NGOOD, &size);
	size_t end = TEST_PE_TABLE + NGOOD * 40;
	uint8_t *head = malloc(end);
	struct uki u;
	struct diag d;

	memcpy(head, f, end);
	CHECK(uki_detect(head, end));
	CHECK_EQ(uki_parse_head(head, end, size, &u, &d), 0);
	CHECK_EQ(u.sec[UKI_OSREL].offset, TEST_PE_DATA + 0x1400);
	/* .sdmagic: 15 bytes at the start of the last 0x200 */
	CHECK_EQ(uki_parse_head(head, end, size - 0x1f1, &u, &d), 0);
	CHECK_EQ(uki_parse_head(head, end, size - 0x1f2, &u, &d), ERR_BAD_IMAGE);
	CHECK_CONTAINS(d.msg, "UKI section 7 ('.sdmagic')");
	CHECK_CONTAINS(d.msg, "-byte file");
	CHECK_EQ(uki_parse_head(head, end - 1, size, &u, &d), ERR_BAD_IMAGE);
	CHECK_CONTAINS(d.msg, "section table at offset 0x188 + 8 x 40 bytes runs past the 0x2c7 bytes read");
	free(head);
	free(f);
}

TEST(uki_missing_linux)
{
	size_t size;
	uint8_t *f = test_pe(good, 3, &size);
	struct uki u;
	struct diag d;

	CHECK(!uki_detect(f, size));
	CHECK_EQ(parse(f, size, &u, &d), ERR_BAD_IMAGE);
	CHECK_CONTAINS(d.msg, "no .linux section");
	free(f);
}

/* the 8-byte name field is compared whole */
TEST(uki_names_exact)
{
	static const struct test_section s[] = {
		{ ".linuxXY", "x", 1 },
		{ ".linu", "x", 1 },
		{ ".LINUX", "x", 1 },
	};
	size_t size;
	uint8_t *f = test_pe(s, 3, &size);
	struct uki u;
	struct diag d;

	CHECK(!uki_detect(f, size));
	CHECK_EQ(parse(f, size, &u, &d), ERR_BAD_IMAGE);
	/* named like .linux, but longer: what a stub up to 256 takes for it */
	CHECK_EQ(u.prefixed, 1u << UKI_LINUX);
	sec_hdr(f, 0)[6] = '\0'; /* ".linux\0Y": still not ".linux" */
	CHECK(!uki_detect(f, size));
	CHECK_EQ(parse(f, size, &u, &d), ERR_BAD_IMAGE);
	CHECK_EQ(u.prefixed, 1u << UKI_LINUX);
	sec_hdr(f, 0)[7] = '\0';
	CHECK(uki_detect(f, size));
	CHECK_EQ(parse(f, size, &u, &d), 0);
	CHECK_EQ(u.prefixed, 0);
	free(f);
}

/* .dtbauto and .efifw come one for each machine: the first is recorded,
 * the others are no repeat; .dtbauto begins with ".dtb" */
TEST(uki_per_machine_sections)
{
	static const struct test_section s[] = {
		{ ".dtbauto", "a", 1 },
		{ ".linux", "k", 1 },
		{ ".efifw", "f", 1 },
		{ ".dtbauto", "bb", 2 },
		{ ".efifw", "gg", 2 },
		{ ".hwids", "h", 1 },
	};
	size_t size;
	uint8_t *f = test_pe(s, 6, &size);
	struct uki u;
	struct diag d;

	CHECK_EQ(parse(f, size, &u, &d), 0);
	CHECK_EQ(u.sec[UKI_DTBAUTO].size, 1);
	CHECK_EQ(u.sec[UKI_EFIFW].size, 1);
	CHECK(u.sec[UKI_HWIDS].present);
	CHECK(!u.sec[UKI_DTB].present);
	CHECK_EQ(u.prefixed, 1u << UKI_DTB);
	free(f);
}

TEST(uki_duplicate_sections)
{
	static const struct test_section lin[] = {
		{ ".linux", "a", 1 },
		{ ".osrel", "ID=a", 4 },
		{ ".linux", "b", 1 },
	};
	static const struct test_section ird[] = {
		{ ".initrd", "a", 1 },
		{ ".linux", "a", 1 },
		{ ".initrd", NULL, 0 }, /* even an empty one */
	};
	size_t size;
	uint8_t *f = test_pe(lin, 3, &size);
	struct uki u;
	struct diag d;

	CHECK(uki_detect(f, size));
	CHECK_EQ(parse(f, size, &u, &d), ERR_BAD_IMAGE);
	CHECK_CONTAINS(d.msg, "UKI section 2 ('.linux') repeats an earlier one");
	free(f);
	f = test_pe(ird, 3, &size);
	CHECK_EQ(parse(f, size, &u, &d), ERR_BAD_IMAGE);
	CHECK_CONTAINS(d.msg, "UKI section 2 ('.initrd') repeats");
	free(f);
}

/* systemd-stub treats an empty section as absent: no .linux at all */
TEST(uki_empty_sections)
{
	static const struct test_section s[] = {
		{ ".linux", "a", 1 },
		{ ".initrd", NULL, 0 },
	};
	size_t size;
	uint8_t *f = test_pe(s, 2, &size);
	struct uki u;
	struct diag d;

	CHECK_EQ(parse(f, size, &u, &d), 0);
	CHECK(!u.sec[UKI_INITRD].present);
	put32(sec_hdr(f, 0) + 8, 0);
	CHECK_EQ(parse(f, size, &u, &d), ERR_BAD_IMAGE);
	CHECK_CONTAINS(d.msg, "no .linux section, or an empty one (2 sections)");
	free(f);
}

TEST(uki_section_past_end)
{
	size_t size;
	uint8_t *f = test_pe(good, NGOOD, &size);
	struct uki u;
	struct diag d;

	/* .initrd, the last 0x345 bytes of its 0x400 moved past the end */
	uint8_t *h = sec_hdr(f, 4);
	put32(h + 20, (uint32_t)size - 0x344);
	CHECK_EQ(parse(f, size, &u, &d), ERR_BAD_IMAGE);
	CHECK_CONTAINS(d.msg, "UKI section 4 ('.initrd') at file offset 0x");
	CHECK_CONTAINS(d.msg, "+ 0x345 bytes runs past the 0x");
	put32(h + 20, (uint32_t)size - 0x345); /* ends exactly at the end */
	CHECK_EQ(parse(f, size, &u, &d), 0);
	/* 32-bit wrap-around */
	put32(h + 8, 0xffffffff);
	put32(h + 16, 0xffffffff);
	put32(h + 20, 0xffffffff);
	CHECK_EQ(parse(f, size, &u, &d), ERR_BAD_IMAGE);
	CHECK_CONTAINS(d.msg, "at file offset 0xffffffff + 0xffffffff bytes");
	/* an unknown section's range is not looked at */
	put32(sec_hdr(f, 4) + 20, TEST_PE_DATA);
	put32(sec_hdr(f, 4) + 8, 0x345);
	put32(sec_hdr(f, 4) + 16, 0x400);
	put32(sec_hdr(f, 0) + 20, 0xfffffff0);
	CHECK_EQ(parse(f, size, &u, &d), 0);
	free(f);
}

TEST(uki_virtual_size_over_raw_size)
{
	size_t size;
	uint8_t *f = test_pe(good, NGOOD, &size);
	struct uki u;
	struct diag d;

	put32(sec_hdr(f, 3) + 8, 0x2401); /* .linux: raw 0x2400 */
	CHECK_EQ(parse(f, size, &u, &d), ERR_BAD_IMAGE);
	CHECK_STR(d.msg, "UKI section 3 ('.linux'): VirtualSize 0x2401 > SizeOfRawData 0x2400");
	put32(sec_hdr(f, 3) + 8, 0x2400);
	CHECK_EQ(parse(f, size, &u, &d), 0);
	free(f);
}

/* Every prefix of the headers: parse fails with a message (ASan checks
 * that nothing past the prefix is read), detect sees .linux only once its
 * entry is whole. */
TEST(uki_truncated_headers)
{
	size_t size;
	uint8_t *f = test_pe(good, NGOOD, &size);
	size_t end = TEST_PE_TABLE + NGOOD * 40, linux_end = TEST_PE_TABLE + 4 * 40;
	struct uki u;
	struct diag d;

	for (size_t n = 0; n <= end; n++) {
		uint8_t *p = malloc(n ? n : 1);

		memcpy(p, f, n);
		if (!CHECK(uki_detect(p, n) == (n >= linux_end)) ||
		    !CHECK(parse(p, n, &u, &d) == ERR_BAD_IMAGE) ||
		    !CHECK(d.msg[0]) ||
		    !CHECK((uki_parse_head(p, n, size, &u, &d) == 0) == (n == end))) {
			free(p);
			break;
		}
		free(p);
	}
	free(f);
}

TEST(uki_bad_pe_headers)
{
	size_t size;
	uint8_t *f = test_pe(good, NGOOD, &size);
	struct uki u;
	struct diag d;

	put32(f + 0x3c, 0xffffffff);
	CHECK(!uki_detect(f, size));
	CHECK_EQ(parse(f, size, &u, &d), ERR_BAD_IMAGE);
	CHECK_CONTAINS(d.msg, "UKI: no PE32+ header");
	put32(f + 0x3c, (uint32_t)size - 25); /* one byte short of the magic */
	CHECK(!uki_detect(f, size));
	CHECK_EQ(parse(f, size, &u, &d), ERR_BAD_IMAGE);
	put32(f + 0x3c, TEST_PE_HEADER + 1);
	CHECK(!uki_detect(f, size));
	CHECK_EQ(parse(f, size, &u, &d), ERR_BAD_IMAGE);
	CHECK_CONTAINS(d.msg, "in the 0x");
	put32(f + 0x3c, TEST_PE_HEADER);

	put16(f + TEST_PE_HEADER + 24, 0x10b);
	CHECK(!uki_detect(f, size));
	CHECK_EQ(parse(f, size, &u, &d), ERR_BAD_IMAGE);
	CHECK_CONTAINS(d.msg, "magic 0x20b) in the 0x");
	put16(f + TEST_PE_HEADER + 24, 0x20b);

	put16(f + TEST_PE_HEADER + 4, 0xaa64);
	CHECK(uki_detect(f, size)); /* parse says why it cannot boot */
	CHECK_EQ(parse(f, size, &u, &d), ERR_UNSUPPORTED);
	CHECK_CONTAINS(d.msg, "machine 0xaa64 at offset 0x84 is not x86-64");
	put16(f + TEST_PE_HEADER + 4, 0x8664);

	put16(f + TEST_PE_HEADER + 6, 97);
	CHECK_EQ(parse(f, size, &u, &d), ERR_BAD_IMAGE);
	CHECK_CONTAINS(d.msg, "NumberOfSections 97 at offset 0x86");
	put16(f + TEST_PE_HEADER + 6, NGOOD);

	f[1] = 'X';
	CHECK(!uki_detect(f, size));
	CHECK_EQ(parse(f, size, &u, &d), ERR_BAD_IMAGE);
	CHECK_CONTAINS(d.msg, "UKI: no PE32+ header (\"MZ\"");
	f[1] = 'Z';
	CHECK_EQ(parse(f, size, &u, &d), 0);
	free(f);
}

TEST(uki_section_names)
{
	CHECK_STR(uki_section_name(UKI_LINUX), ".linux");
	CHECK_STR(uki_section_name(UKI_UCODE), ".ucode");
	CHECK_STR(uki_section_name(UKI_PCRSIG), ".pcrsig");
	CHECK_STR(uki_section_name(UKI_PCRPKEY), ".pcrpkey");
	CHECK_STR(uki_section_name(UKI_EFIFW), ".efifw");
	CHECK_STR(uki_section_name(UKI_SDMAGIC), ".sdmagic");
	for (int id = 0; id < UKI_NSECTIONS; id++)
		CHECK(strlen(uki_section_name(id)) <= 8);
}

static const char osrel[] =
	"# a comment: PRETTY_NAME=\"not this\"\n"
	"NAME=\"Fedora Linux\"\n"
	"\n"
	"  ID=wrong\n"
	"ID=fedora\n"
	"VERSION_ID=39\n"
	"PRETTY_NAME=\"Fedora Linux 39 (\\\"Work\\\" \\\\ \\$x \\n)\"\n"
	"IMAGE_ID='single \\ \"quoted\"'\n"
	"BUILD_ID=bare\\ escaped\\'x  \t\n"
	"VARIANT=\"a\"'b'c\n"
	"EMPTY=\"\"\n"
	"CRLF=\"x \"\r\n"
	"SPACED=  v  \n"
	"OPEN=\"unterminated\n"
	"AFTER=yes";

static bool osrel_value(const char *key, char *out, size_t cap)
{
	return uki_osrel_value(osrel, sizeof(osrel) - 1, key, out, cap);
}

TEST(uki_osrel)
{
	char v[64];

	CHECK(osrel_value("NAME", v, sizeof(v)) && CHECK_STR(v, "Fedora Linux"));
	CHECK(osrel_value("ID", v, sizeof(v)) && CHECK_STR(v, "fedora"));
	CHECK(osrel_value("VERSION_ID", v, sizeof(v)) && CHECK_STR(v, "39"));
	CHECK(osrel_value("PRETTY_NAME", v, sizeof(v)) &&
	      CHECK_STR(v, "Fedora Linux 39 (\"Work\" \\ $x \\n)"));
	CHECK(osrel_value("IMAGE_ID", v, sizeof(v)) &&
	      CHECK_STR(v, "single \\ \"quoted\""));
	CHECK(osrel_value("BUILD_ID", v, sizeof(v)) && CHECK_STR(v, "bare escaped'x"));
	CHECK(osrel_value("VARIANT", v, sizeof(v)) && CHECK_STR(v, "abc"));
	CHECK(osrel_value("EMPTY", v, sizeof(v)) && CHECK_STR(v, ""));
	CHECK(osrel_value("CRLF", v, sizeof(v)) && CHECK_STR(v, "x "));
	CHECK(osrel_value("SPACED", v, sizeof(v)) && CHECK_STR(v, "v"));
	CHECK(osrel_value("OPEN", v, sizeof(v)) && CHECK_STR(v, "unterminated"));
	CHECK(osrel_value("AFTER", v, sizeof(v)) && CHECK_STR(v, "yes"));
	strcpy(v, "untouched");
	CHECK(!osrel_value("VERSION", v, sizeof(v)));
	CHECK(!osrel_value("IMAGE_VERSION", v, sizeof(v)));
	CHECK(!osrel_value("#", v, sizeof(v)));
	CHECK(!osrel_value("a comment: PRETTY_NAME", v, sizeof(v)));
	CHECK_STR(v, "untouched");
	/* truncated to the room given */
	CHECK(osrel_value("PRETTY_NAME", v, 7) && CHECK_STR(v, "Fedora"));
	CHECK(osrel_value("PRETTY_NAME", v, 1) && CHECK_STR(v, ""));
	CHECK(!osrel_value("PRETTY_NAME", v, 0));
	/* the text ends at its first NUL, and at len */
	CHECK(!uki_osrel_value("A=1\0B=2\n", 8, "B", v, sizeof(v)));
	CHECK(uki_osrel_value("A=123", 4, "A", v, sizeof(v)) && CHECK_STR(v, "12"));
	CHECK(!uki_osrel_value("A", 1, "A", v, sizeof(v)));
}

/* systemd 257's multi-profile image: the base before the first .profile,
 * each profile from its .profile to the next, its sections in place of
 * the base's */
static const struct test_section profiled[] = {
	{ ".osrel", OSREL, sizeof(OSREL) - 1 },
	{ ".cmdline", "base", 4 },
	{ ".linux", "MZ kernel", 9 },
	{ ".initrd", "070701", 6 },
	{ ".sdmagic", "#### LoaderInfo", 15 },
	{ ".profile", "ID=one", 6 },
	{ ".profile", "ID=two\nTITLE=Two", 16 },
	{ ".cmdline", "second", 6 },
	{ ".initrd", "07070199", 8 },
	{ ".profile", "ID=three", 8 },
	{ ".linux", "MZ other", 8 },
};
#define NPROFILED (sizeof(profiled) / sizeof(profiled[0]))

static int parse_profile(const uint8_t *f, size_t size, unsigned profile,
			 struct uki *u, struct diag *d)
{
	d->code = 0;
	d->msg[0] = '\0';
	return uki_parse_profile(f, size, size, profile, u, d);
}

static const char *text(const uint8_t *f, const struct uki *u,
			enum uki_section_id id)
{
	static char buf[64];

	memcpy(buf, f + u->sec[id].offset, u->sec[id].size);
	buf[u->sec[id].size] = '\0';
	return buf;
}

TEST(uki_profiles)
{
	size_t size;
	uint8_t *f = test_pe(profiled, NPROFILED, &size);
	struct uki u;
	struct diag d;

	/* the strict parse refuses the repeats */
	CHECK_EQ(parse(f, size, &u, &d), ERR_BAD_IMAGE);
	CHECK_CONTAINS(d.msg, "UKI section 6 ('.profile') repeats");

	CHECK_EQ(parse_profile(f, size, 0, &u, &d), 0);
	CHECK_EQ(u.profiles, 3);
	CHECK_STR(text(f, &u, UKI_PROFILE), "ID=one");
	CHECK_STR(text(f, &u, UKI_CMDLINE), "base");
	CHECK_STR(text(f, &u, UKI_INITRD), "070701");
	CHECK_STR(text(f, &u, UKI_LINUX), "MZ kernel");
	CHECK(u.sec[UKI_SDMAGIC].present);

	CHECK_EQ(parse_profile(f, size, 1, &u, &d), 0);
	CHECK_STR(text(f, &u, UKI_PROFILE), "ID=two\nTITLE=Two");
	CHECK_STR(text(f, &u, UKI_CMDLINE), "second");
	CHECK_STR(text(f, &u, UKI_INITRD), "07070199");
	CHECK_STR(text(f, &u, UKI_LINUX), "MZ kernel");
	CHECK_STR(text(f, &u, UKI_OSREL), OSREL);

	CHECK_EQ(parse_profile(f, size, 2, &u, &d), 0);
	CHECK_STR(text(f, &u, UKI_LINUX), "MZ other");
	CHECK_STR(text(f, &u, UKI_CMDLINE), "base");

	CHECK_EQ(parse_profile(f, size, 3, &u, &d), ERR_BAD_IMAGE);
	CHECK_CONTAINS(d.msg, "UKI has no profile 3: it has 3");
	free(f);

	/* without .profile: profile 0 is the whole image, no other */
	f = test_pe(good, NGOOD, &size);
	CHECK_EQ(parse_profile(f, size, 0, &u, &d), 0);
	CHECK_EQ(u.profiles, 0);
	CHECK(u.sec[UKI_PCRSIG].present);
	CHECK(!u.sec[UKI_PROFILE].present);
	CHECK_EQ(parse_profile(f, size, 1, &u, &d), ERR_BAD_IMAGE);
	CHECK_CONTAINS(d.msg, "no profile 1: it has 0");
	free(f);
}

/* The sections as the stub release finds them: before 257 the image whole,
 * an image with profiles refused; from 257 the profile asked for. */
TEST(uki_sections_by_release)
{
	size_t size;
	uint8_t *f = test_pe(profiled, NPROFILED, &size);
	enum stub_fit fit;
	const struct stub_release *r256 =
		stub_release(&(struct stub_version){ 256, 0 }, &fit);
	const struct stub_release *r257 =
		stub_release(&(struct stub_version){ 257, 0 }, &fit);
	struct uki u;
	struct diag d;

	CHECK_EQ(stub_sections(r256, f, size, size, 0, &u, &d), ERR_BAD_IMAGE);
	CHECK_CONTAINS(d.msg, "UKI section 6 ('.profile') repeats");
	CHECK_EQ(stub_sections(r257, f, size, size, 1, &u, &d), 0);
	CHECK_EQ(u.profiles, 3);
	CHECK_STR(text(f, &u, UKI_CMDLINE), "second");
	CHECK_EQ(stub_sections(r257, f, size, size, 3, &u, &d), ERR_BAD_IMAGE);
	free(f);

	/* without profiles, both the image whole */
	f = test_pe(good, NGOOD, &size);
	CHECK_EQ(stub_sections(r256, f, size, size, 0, &u, &d), 0);
	CHECK(u.sec[UKI_PCRSIG].present);
	CHECK_EQ(stub_sections(r257, f, size, size, 0, &u, &d), 0);
	CHECK(u.sec[UKI_PCRSIG].present);
	free(f);
}

/* a repeat within one part is refused; an empty section where the base
 * has one too; .linux in neither part */
TEST(uki_profile_refused)
{
	static const struct test_section repeat[] = {
		{ ".linux", "k", 1 },
		{ ".profile", "ID=a", 4 },
		{ ".cmdline", "a", 1 },
		{ ".cmdline", "b", 1 },
	};
	static const struct test_section empty[] = {
		{ ".linux", "k", 1 },
		{ ".cmdline", "a", 1 },
		{ ".profile", "ID=a", 4 },
		{ ".cmdline", NULL, 0 },
	};
	static const struct test_section nolinux[] = {
		{ ".cmdline", "a", 1 },
		{ ".profile", "ID=a", 4 },
		{ ".profile", "ID=b", 4 },
		{ ".linux", "k", 1 },
	};
	size_t size;
	uint8_t *f = test_pe(repeat, 4, &size);
	struct uki u;
	struct diag d;

	CHECK_EQ(parse_profile(f, size, 0, &u, &d), ERR_BAD_IMAGE);
	CHECK_CONTAINS(d.msg, "UKI section 3 ('.cmdline') repeats");
	free(f);
	f = test_pe(empty, 4, &size);
	CHECK_EQ(parse_profile(f, size, 0, &u, &d), ERR_BAD_IMAGE);
	CHECK_CONTAINS(d.msg, "profile 0 has an empty '.cmdline' section where its base has one");
	free(f);
	f = test_pe(nolinux, 4, &size);
	CHECK_EQ(parse_profile(f, size, 0, &u, &d), ERR_BAD_IMAGE);
	CHECK_CONTAINS(d.msg, "no .linux section, or an empty one, in its base or its profile 0");
	CHECK_EQ(parse_profile(f, size, 1, &u, &d), 0);
	free(f);
}

/* systemd-boot 257's menu entry for each profile: title and id suffix */
TEST(uki_profile_entries)
{
	static const char both[] = "ID=rescue\nTITLE=\"Rescue shell\"\n";
	static const char id_only[] = "ID=debug\n";
	char title[64], suffix[32];

	uki_profile_entry("Debian", both, sizeof(both) - 1, 0, title, sizeof(title),
			  suffix, sizeof(suffix));
	CHECK_STR(title, "Debian (Rescue shell)");
	CHECK_STR(suffix, "");
	uki_profile_entry("Debian", both, sizeof(both) - 1, 2, title, sizeof(title),
			  suffix, sizeof(suffix));
	CHECK_STR(title, "Debian (Rescue shell)");
	CHECK_STR(suffix, "@rescue");
	uki_profile_entry("Debian", id_only, sizeof(id_only) - 1, 0, title,
			  sizeof(title), suffix, sizeof(suffix));
	CHECK_STR(title, "Debian");
	CHECK_STR(suffix, "");
	uki_profile_entry("Debian", id_only, sizeof(id_only) - 1, 1, title,
			  sizeof(title), suffix, sizeof(suffix));
	CHECK_STR(title, "Debian (debug)");
	CHECK_STR(suffix, "@debug");
	uki_profile_entry("Debian", NULL, 0, 1, title, sizeof(title), suffix,
			  sizeof(suffix));
	CHECK_STR(title, "Debian (Profile #2)");
	CHECK_STR(suffix, "@1");
	uki_profile_entry("Debian", "", 0, 0, title, sizeof(title), suffix,
			  sizeof(suffix));
	CHECK_STR(title, "Debian");
	/* truncated, not overrun */
	uki_profile_entry("Debian GNU/Linux", both, sizeof(both) - 1, 1, title, 8,
			  suffix, 4);
	CHECK_STR(title, "Debian ");
	CHECK_STR(suffix, "@re");
}
