/* What systemd-stub hands the initrd under /.extra (boot/systemd_stub.h):
 * which archives each release makes, which files go in them, and the
 * archives' bytes (boot/cpio.h), as read in the stub's cpio.c and
 * stub.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot/cpio.h"
#include "boot/systemd_stub.h"
#include "harness.h"

static const struct stub_release *release(unsigned major, unsigned minor)
{
	struct stub_version v = { major, minor };
	enum stub_fit fit;

	return stub_release(&v, &fit);
}

/* An archive of .extra/credentials with the file a.cred ("xyz"), made the
 * way efikexec makes one: the directories, each file's header then its
 * bytes padded, the trailer. */
static size_t credentials_archive(uint8_t *out)
{
	uint32_t inode = 1;
	size_t n = cpio_dirs(out, 0, ".extra/credentials", 0500, &inode);

	n += cpio_file_header(out, n, ".extra/credentials", "a.cred", 0400, 3,
			      &inode);
	if (out)
		memcpy(out + n, "xyz", 3);
	n += 3;
	n += cpio_pad(out, n);
	return n + cpio_trailer(out, n);
}

/* Written out by hand from cpio.c's pack_cpio_prefix(), pack_cpio_dir(),
 * pack_cpio_one() and pack_cpio_trailer(): the bytes the stub makes */
static const char want_archive[] =
	/* ".extra", a parent: 0555, inode 1; 110 + 7 bytes, padded to 120 */
	"070701" "00000001" "0000416d" "00000000" "00000000" "00000001"
	"00000000" "00000000" "00000000" "00000000" "00000000" "00000000"
	"00000007" "00000000" ".extra\0" "\0\0\0"
	/* ".extra/credentials", the mode asked for: 110 + 19, to 132 */
	"070701" "00000002" "00004140" "00000000" "00000000" "00000001"
	"00000000" "00000000" "00000000" "00000000" "00000000" "00000000"
	"00000013" "00000000" ".extra/credentials\0" "\0\0\0"
	/* the file, 0400, 3 bytes: 110 + 26, then "xyz" padded to 4 */
	"070701" "00000003" "00008100" "00000000" "00000000" "00000001"
	"00000000" "00000003" "00000000" "00000000" "00000000" "00000000"
	"0000001a" "00000000" ".extra/credentials/a.cred\0" "xyz\0"
	/* the trailer, its name size in capitals */
	"070701" "00000000" "00000000" "00000000" "00000000" "00000001"
	"00000000" "00000000" "00000000" "00000000" "00000000" "00000000"
	"0000000B" "00000000" "TRAILER!!!\0" "\0\0\0";

TEST(stub_extra_cpio_bytes)
{
	size_t want = sizeof(want_archive) - 1;
	size_t n = credentials_archive(NULL);
	uint8_t *buf = malloc(n);

	CHECK_EQ(n, want);
	CHECK_EQ(credentials_archive(buf), n);
	CHECK(n == want && !memcmp(buf, want_archive, want));
	CHECK_EQ(n % 4, 0);
	free(buf);
}

/* A path with one part, or with empty parts: a record for each name */
TEST(stub_extra_cpio_dirs)
{
	uint32_t inode = 1;
	uint8_t buf[512];

	CHECK_EQ(cpio_dirs(buf, 0, ".extra", 0555, &inode), 120);
	CHECK_EQ(inode, 2);
	CHECK(!memcmp(buf + 14, "0000416d", 8));
	inode = 1;
	/* "a//b": "a", then "a//b" (the stub skips the empty part) */
	CHECK_EQ(cpio_dirs(buf, 0, "a//b", 0500, &inode), 112 + 116);
	CHECK_EQ(inode, 3);
	CHECK(!memcmp(buf + 110, "a\0", 2));
	CHECK(!memcmp(buf + 112 + 110, "a//b\0", 5));
	/* at an offset that is not a multiple of 4: padded from the start
	 * of the archive */
	CHECK_EQ(cpio_pad(buf, 6), 2);
	CHECK_EQ(cpio_pad(NULL, 8), 0);
}

/* ids of the archives r makes for u, space-separated, with their PCRs */
static const char *extras_of(const struct stub_release *r, const struct uki *u)
{
	static const char *const names[EXTRA_N] = {
		"creds", "gcreds", "sysext", "gsysext", "confext", "gconfext",
		"pcrsig", "pcrpkey", "osrel", "profile",
	};
	static char out[256];
	struct stub_extra e[EXTRA_N];
	size_t n = stub_extras(r, u, e);

	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		char one[32];

		snprintf(one, sizeof(one), "%s%s:%u", i ? " " : "",
			 names[e[i].id], e[i].pcr);
		strcat(out, one);
	}
	return out;
}

TEST(stub_extras_by_release)
{
	struct uki u = { 0 };

	/* no sections: the directories' archives only */
	CHECK_STR(extras_of(release(250, 0), &u), "creds:8 gcreds:8 sysext:4");
	CHECK_STR(extras_of(release(251, 0), &u), "creds:12 gcreds:12 sysext:4");
	CHECK_STR(extras_of(release(252, 39), &u), "creds:12 gcreds:12 sysext:13");
	u.sec[UKI_PCRSIG].present = u.sec[UKI_PCRPKEY].present = true;
	u.sec[UKI_OSREL].present = u.sec[UKI_PROFILE].present = true;
	CHECK_STR(extras_of(release(252, 39), &u),
		  "creds:12 gcreds:12 sysext:13 pcrsig:0 pcrpkey:0");
	CHECK_STR(extras_of(release(254, 0), &u),
		  "creds:12 gcreds:12 sysext:13 pcrsig:0 pcrpkey:0");
	CHECK_STR(extras_of(release(256, 0), &u),
		  "creds:12 gcreds:12 sysext:13 confext:12 pcrsig:0 pcrpkey:0");
	CHECK_STR(extras_of(release(257, 0), &u),
		  "creds:12 gcreds:12 sysext:13 confext:12 pcrsig:0 pcrpkey:0 osrel:0 profile:0");
	CHECK_STR(extras_of(release(258, 0), &u),
		  "creds:12 gcreds:12 sysext:13 gsysext:13 confext:12 gconfext:12 pcrsig:0 pcrpkey:0 osrel:0 profile:0");
	/* only the sections the image has */
	u.sec[UKI_PCRSIG].present = false;
	CHECK_STR(extras_of(release(252, 39), &u),
		  "creds:12 gcreds:12 sysext:13 pcrpkey:0");
}

/* An archive's paths, modes, sources and descriptions */
TEST(stub_extras_where)
{
	struct uki u = { 0 };
	struct stub_extra e[EXTRA_N];

	u.sec[UKI_PCRSIG].present = u.sec[UKI_PCRPKEY].present = true;
	CHECK_EQ(stub_extras(release(252, 39), &u, e), 5);
	CHECK(!e[0].from && e[0].section == STUB_END);
	CHECK_STR(e[0].dir, ".extra/credentials");
	CHECK_EQ(e[0].dir_mode, 0500);
	CHECK_EQ(e[0].file_mode, 0400);
	CHECK_STR(e[0].description, "Credentials initrd");
	CHECK_STR(e[1].from, "\\loader\\credentials");
	CHECK_STR(e[1].dir, ".extra/global_credentials");
	CHECK_STR(e[1].description, "Global credentials initrd");
	CHECK_STR(e[2].dir, ".extra/sysext");
	CHECK_EQ(e[2].dir_mode, 0555);
	CHECK_EQ(e[2].file_mode, 0444);
	CHECK_STR(e[2].description, "System extension initrd");
	CHECK_EQ(e[3].section, UKI_PCRSIG);
	CHECK_STR(e[3].dir, ".extra");
	CHECK_STR(e[3].file, "tpm2-pcr-signature.json");
	CHECK(!e[3].description);
	CHECK_EQ(e[4].section, UKI_PCRPKEY);
	CHECK_STR(e[4].file, "tpm2-pcr-public-key.pem");
	CHECK_EQ(e[4].file_mode, 0444);
	CHECK_EQ(stub_extras(release(256, 0), &u, e), 6);
	CHECK_STR(e[3].dir, ".extra/confext");
	CHECK_STR(e[3].description, "Configuration extension initrd");
}

TEST(stub_extra_takes_names)
{
	struct uki u = { 0 };
	struct stub_extra old[EXTRA_N], now[EXTRA_N];
	char longest[257];

	stub_extras(release(252, 39), &u, old);
	stub_extras(release(256, 0), &u, now);
	CHECK(stub_extra_takes(&old[0], "a.cred"));
	CHECK(stub_extra_takes(&old[0], "A.CRED"));
	CHECK(stub_extra_takes(&old[0], ".cred") == false);  /* hidden */
	CHECK(stub_extra_takes(&old[0], ".a.cred") == false);
	CHECK(stub_extra_takes(&old[0], "a.cred.old") == false);
	CHECK(stub_extra_takes(&old[0], "\xc3\xa9.cred") == false); /* not ASCII */
	CHECK(stub_extra_takes(&old[0], "a.raw") == false);
	memset(longest, 'a', 256);
	memcpy(longest + 256 - 5, ".cred", 6);
	CHECK(stub_extra_takes(&old[0], longest) == false); /* 256 bytes */
	CHECK(stub_extra_takes(&old[0], longest + 1));      /* 255 */
	/* 252 takes every *.raw for a system extension, 256 leaves out the
	 * configuration extensions */
	CHECK(stub_extra_takes(&old[2], "a.raw"));
	CHECK(stub_extra_takes(&old[2], "a.sysext.raw"));
	CHECK(stub_extra_takes(&old[2], "a.confext.raw"));
	CHECK(stub_extra_takes(&now[2], "a.sysext.raw"));
	CHECK(stub_extra_takes(&now[2], "a.CONFEXT.RAW") == false);
	CHECK(stub_extra_takes(&now[3], "a.confext.raw"));
	CHECK(stub_extra_takes(&now[3], "a.raw") == false);
}

TEST(stub_extra_sorted)
{
	struct stub_file f[] = { { "b.cred", 1 }, { "B.cred", 2 }, { "a.cred", 3 },
				 { "a.cre", 4 }, { "\x7f.cred", 5 }, { "a.cred", 6 } };

	stub_extra_sort(f, 6);
	CHECK_STR(f[0].name, "B.cred");
	CHECK_STR(f[1].name, "a.cre");
	CHECK_STR(f[2].name, "a.cred");
	CHECK_STR(f[3].name, "a.cred");
	CHECK_STR(f[4].name, "b.cred");
	CHECK_STR(f[5].name, "\x7f.cred");
	/* each name keeps its size */
	CHECK_EQ(f[0].size, 2);
	CHECK_EQ(f[1].size, 4);
	CHECK_EQ(f[2].size + f[3].size, 9);
	CHECK_EQ(f[4].size, 1);
}

#define BIT(id) (1u << (id))

/* StubPcrKernelParameters, StubPcrInitRDSysExts, StubPcrInitRDConfExts:
 * 252 takes a set it does not find for measured, 253 on only sets found
 * and measured, the image's and the global ones both */
TEST(stub_says_measured_by_release)
{
	const struct stub_release *r252 = release(252, 39), *r254 = release(254, 0);
	const struct stub_release *r256 = release(256, 0), *r258 = release(258, 0);
	uint32_t creds = BIT(EXTRA_CREDENTIALS);
	uint32_t both = creds | BIT(EXTRA_GLOBAL_CREDENTIALS);

	CHECK(stub_says_measured(r252, EXTRA_CREDENTIALS, 0, 0));
	CHECK(stub_says_measured(r252, EXTRA_CREDENTIALS, creds, creds));
	CHECK(!stub_says_measured(r252, EXTRA_CREDENTIALS, creds, 0));
	CHECK(stub_says_measured(r252, EXTRA_SYSEXT, 0, 0));
	CHECK(!stub_says_measured(r252, EXTRA_CONFEXT, 0, 0)); /* none in 252 */
	CHECK(!stub_says_measured(r254, EXTRA_CREDENTIALS, 0, 0));
	CHECK(!stub_says_measured(r254, EXTRA_CREDENTIALS, creds, creds));
	CHECK(stub_says_measured(r254, EXTRA_CREDENTIALS, both, both));
	CHECK(stub_says_measured(r254, EXTRA_SYSEXT, BIT(EXTRA_SYSEXT), BIT(EXTRA_SYSEXT)));
	CHECK(!stub_says_measured(r254, EXTRA_SYSEXT, 0, 0));
	CHECK(stub_says_measured(r256, EXTRA_CONFEXT, BIT(EXTRA_CONFEXT), BIT(EXTRA_CONFEXT)));
	/* 258: the global extensions from \loader\extensions too */
	CHECK(!stub_says_measured(r258, EXTRA_SYSEXT, BIT(EXTRA_SYSEXT), BIT(EXTRA_SYSEXT)));
	CHECK(stub_says_measured(r258, EXTRA_SYSEXT,
				 BIT(EXTRA_SYSEXT) | BIT(EXTRA_GLOBAL_SYSEXT),
				 BIT(EXTRA_SYSEXT) | BIT(EXTRA_GLOBAL_SYSEXT)));
	/* 250 and 251 set no variable */
	CHECK(!stub_says_measured(release(251, 0), EXTRA_CREDENTIALS, both, both));
}
