/* systemd-stub's releases 250 to 258, as read in systemd's sources tag by
 * tag (systemd/systemd-stable v250..v256; v257 and v258 from systemd's
 * history, where src/boot/efi/ became src/boot/): what efikexec must do as
 * the image's own stub would. */
#include "boot/systemd_stub.h"

#include "lib/bytes.h"
#include "lib/mem.h"

/* The sections a release knows, in its order (lists end at STUB_END) */
#define LINUX UKI_LINUX
#define OSREL UKI_OSREL
#define CMDLINE UKI_CMDLINE
#define INITRD UKI_INITRD
#define UCODE UKI_UCODE
#define SPLASH UKI_SPLASH
#define DTB UKI_DTB
#define UNAME UKI_UNAME
#define SBAT UKI_SBAT
#define PCRSIG UKI_PCRSIG
#define PCRPKEY UKI_PCRPKEY
#define PROFILE UKI_PROFILE
#define DTBAUTO UKI_DTBAUTO
#define HWIDS UKI_HWIDS
#define EFIFW UKI_EFIFW
#define END STUB_END

/* What each release does, one row from the release that changed it. A
 * section measured is two EV_IPL events in every release that measures:
 * its name with the NUL, then its VirtualSize bytes, each logged with the
 * name in UTF-16 with the NUL as event data (stub.c's loop,
 * measure.c's tpm_log_event_ascii()); an empty section counts as absent.
 * A command line given is measured as the cleaned line in UTF-16 with its
 * NUL, the same string as event data (measure.c tpm_log_load_options()).
 * Paths are systemd's, under src/boot/efi/ up to 256, src/boot/ from 257. */
static const struct stub_release releases[] = {
	/* 250: stub.c efi_main()'s sections[]; no PCR 11; the load
	 * options, as given, into PCR 8 (util.h
	 * TPM_PCR_INDEX_KERNEL_PARAMETERS); pe.c locate_sections()
	 * compares a name's first strlen() letters, the last match wins */
	{ .since = { 250, 0 },
	  .knows = { CMDLINE, LINUX, INITRD, SPLASH, DTB, END },
	  .by_prefix = true, .cmdline_pcr = 8, .cmdline = CMDLINE_AS_GIVEN },
	/* 251: the load options into PCR 12 (measure.h; PCR 8 too only if
	 * built with efi-tpm-pcr-compat, off by default: not followed) */
	{ .since = { 251, 0 },
	  .knows = { CMDLINE, LINUX, INITRD, SPLASH, DTB, END },
	  .by_prefix = true, .cmdline_pcr = 12, .cmdline = CMDLINE_AS_GIVEN },
	/* 252: src/fundamental/tpm-pcr.h UnifiedSection: PCR 11, each but
	 * .pcrsig (unified_section_measure()), in stub.c's loop; cpio.c
	 * pack_cpio() takes credentials it does not find for measured, so
	 * StubPcrKernelParameters is set with a TPM whatever was given */
	{ .since = { 252, 0 },
	  .knows = { LINUX, OSREL, CMDLINE, INITRD, SPLASH, DTB, PCRSIG, PCRPKEY, END },
	  .measures = true, .says_parameters = true, .by_prefix = true,
	  .cmdline_pcr = 12, .cmdline = CMDLINE_AS_GIVEN },
	/* 252.3: stub.c use_load_options() and util.c mangle_stub_cmdline():
	 * control characters become spaces ("stub: Fix cmdline handling") */
	{ .since = { 252, 3 },
	  .knows = { LINUX, OSREL, CMDLINE, INITRD, SPLASH, DTB, PCRSIG, PCRPKEY, END },
	  .measures = true, .says_parameters = true, .by_prefix = true,
	  .cmdline_pcr = 12, .cmdline = CMDLINE_CONTROLS },
	/* 252.6: util.c mangle_stub_cmdline() chops the spaces at the end
	 * ("boot: don't convert the trailing newline ...") */
	{ .since = { 252, 6 },
	  .knows = { LINUX, OSREL, CMDLINE, INITRD, SPLASH, DTB, PCRSIG, PCRPKEY, END },
	  .measures = true, .says_parameters = true, .by_prefix = true,
	  .cmdline_pcr = 12, .cmdline = CMDLINE_CHOP_END },
	/* 253: tpm-pcr.h and util.c as 252.6's; cpio.c pack_cpio() now
	 * takes credentials it does not find for not measured, which clears
	 * StubPcrKernelParameters: without credentials (efikexec loads
	 * none) it is never set */
	{ .since = { 253, 0 },
	  .knows = { LINUX, OSREL, CMDLINE, INITRD, SPLASH, DTB, PCRSIG, PCRPKEY, END },
	  .measures = true, .by_prefix = true,
	  .cmdline_pcr = 12, .cmdline = CMDLINE_CHOP_END },
	/* 254: tpm-pcr.h adds .uname and .sbat ("stub/measure: document
	 * and measure .uname UKI section", "boot: measure .sbat section");
	 * the stub's own .sbat is in every image it makes */
	{ .since = { 254, 0 },
	  .knows = { LINUX, OSREL, CMDLINE, INITRD, SPLASH, DTB, UNAME, SBAT,
		     PCRSIG, PCRPKEY, END },
	  .measures = true, .by_prefix = true,
	  .cmdline_pcr = 12, .cmdline = CMDLINE_CHOP_END },
	/* 255: src/fundamental/uki.h as 254's list; util.c
	 * mangle_stub_cmdline() takes DEL and space for blanks too and
	 * drops those at the start. (A line of blanks only it reads past
	 * its end, fixed in 257: taken here as an empty line.) */
	{ .since = { 255, 0 },
	  .knows = { LINUX, OSREL, CMDLINE, INITRD, SPLASH, DTB, UNAME, SBAT,
		     PCRSIG, PCRPKEY, END },
	  .measures = true, .by_prefix = true,
	  .cmdline_pcr = 12, .cmdline = CMDLINE_TRIM },
	/* 256: uki.h adds .ucode after .initrd ("stub: Add support for
	 * .ucode UKI section"), and stub.c loads it first in the initrd */
	{ .since = { 256, 0 },
	  .knows = { LINUX, OSREL, CMDLINE, INITRD, UCODE, SPLASH, DTB, UNAME,
		     SBAT, PCRSIG, PCRPKEY, END },
	  .measures = true, .by_prefix = true,
	  .cmdline_pcr = 12, .cmdline = CMDLINE_TRIM },
	/* 257: uki.h adds .profile, .dtbauto and .hwids at the end (the
	 * UKI specification lists them elsewhere: the code's order is the
	 * one measured); pe.c pe_section_name_equal() compares names
	 * whole, the first match wins; stub.c
	 * parse_profile_from_cmdline(): "@N " picks profile N */
	{ .since = { 257, 0 },
	  .knows = { LINUX, OSREL, CMDLINE, INITRD, UCODE, SPLASH, DTB, UNAME,
		     SBAT, PCRSIG, PCRPKEY, PROFILE, DTBAUTO, HWIDS, END },
	  .measures = true, .profile_prefix = true,
	  .cmdline_pcr = 12, .cmdline = CMDLINE_TRIM },
	/* 258: uki.h adds .efifw at the end */
	{ .since = { 258, 0 },
	  .knows = { LINUX, OSREL, CMDLINE, INITRD, UCODE, SPLASH, DTB, UNAME,
		     SBAT, PCRSIG, PCRPKEY, PROFILE, DTBAUTO, HWIDS, EFIFW, END },
	  .measures = true, .profile_prefix = true,
	  .cmdline_pcr = 12, .cmdline = CMDLINE_TRIM },
};
#define NRELEASES (sizeof(releases) / sizeof(releases[0]))

/* .sdmagic's text, the same in 250 to 258 (stub.c); NUL-terminated up to
 * 256, not from 257 on */
static const char magic[] = "#### LoaderInfo: systemd-stub ";
/* PE Format: the optional header 24 bytes after the PE signature (its
 * size 20 bytes after it), MajorImageVersion 44 bytes into it. systemd
 * sets it to its major version from 254 on (elf2efi --version-major);
 * before, it is whatever the linker left (Debian's 252: 0). */
#define COFF_OPTSIZE 20
#define OPT_HDR 24
#define OPT_IMAGE_MAJOR 44
#define FIRST_IMAGE_VERSION 254

/* The decimal number at p[*i, n), *i moved past it; false when there is
 * none or it would exceed limit. */
static bool number(const uint8_t *p, size_t n, size_t *i, uint64_t limit,
		   uint64_t *out)
{
	uint64_t v = 0;
	size_t start = *i;

	for (; *i < n && p[*i] >= '0' && p[*i] <= '9'; (*i)++) {
		if (v > (limit - (p[*i] - '0')) / 10)
			return false;
		v = v * 10 + (p[*i] - '0');
	}
	*out = v;
	return *i > start;
}

bool stub_version(const uint8_t *file, size_t size, const struct uki *u,
		  struct stub_version *v)
{
	const struct uki_section *s = &u->sec[UKI_SDMAGIC];
	const uint8_t *text = file + s->offset;
	size_t i = sizeof(magic) - 1, pe;
	uint64_t major, minor = 0;

	if (s->present && s->size > i && !memcmp(text, magic, i) &&
	    number(text, s->size, &i, UINT32_MAX, &major)) {
		if (i + 1 < s->size && text[i] == '.') {
			i++;
			if (!number(text, s->size, &i, UINT32_MAX, &minor))
				minor = 0;
		}
		*v = (struct stub_version){ (unsigned)major, (unsigned)minor };
		return true;
	}
	pe = pe_header(file, size);
	if (!pe || pe + OPT_HDR + OPT_IMAGE_MAJOR + 2 > size ||
	    get16(file + pe + COFF_OPTSIZE) < OPT_IMAGE_MAJOR + 2)
		return false;
	major = get16(file + pe + OPT_HDR + OPT_IMAGE_MAJOR);
	if (major < FIRST_IMAGE_VERSION)
		return false;
	*v = (struct stub_version){ (unsigned)major, 0 };
	return true;
}

static bool before(const struct stub_version *a, const struct stub_version *b)
{
	return a->major < b->major || (a->major == b->major && a->minor < b->minor);
}

/* A version outside the table, or none, is followed as one of its ends:
 * - newer than the last release: as the last. Each release so far kept
 *   the previous one's list and added to its end, so a newer stub
 *   measures what the last one does and more: for an image with nothing
 *   the last release does not know, PCR 11 comes out the same; for one
 *   with something it added, PCR 11 differs and a policy bound to the
 *   stub's value does not unseal (closed), and efikexec neither loads
 *   nor measures what it does not know.
 * - older than the first: as the first, which measures nothing into
 *   PCR 11 and loads no .ucode.
 * - none (a stub that is not systemd's, or says no version): as the
 *   last, which is what the UKI specification describes and what the
 *   newest systemd-measure predicts. Every section loaded is measured
 *   whatever the row (.ucode is loaded exactly when it is measured).
 * The caller warns in each case. */
const struct stub_release *stub_release(const struct stub_version *v,
					enum stub_fit *fit)
{
	const struct stub_release *last = &releases[NRELEASES - 1];

	if (!v) {
		*fit = STUB_UNNAMED;
		return last;
	}
	if (v->major > last->since.major) {
		*fit = STUB_NEWER;
		return last;
	}
	if (before(v, &releases[0].since)) {
		*fit = STUB_OLDER;
		return &releases[0];
	}
	*fit = STUB_KNOWN;
	for (size_t i = NRELEASES - 1; i > 0; i--)
		if (!before(v, &releases[i].since))
			return &releases[i];
	return &releases[0];
}

bool stub_knows(const struct stub_release *r, enum uki_section_id id)
{
	for (const enum uki_section_id *k = r->knows; *k != END; k++)
		if (*k == id)
			return true;
	return false;
}

size_t stub_pcr11(const struct stub_release *r, const struct uki *u,
		  enum uki_section_id out[UKI_NSECTIONS])
{
	size_t n = 0;

	for (const enum uki_section_id *k = r->knows; r->measures && *k != END; k++)
		if (u->sec[*k].present && *k != PCRSIG && *k != DTBAUTO &&
		    *k != EFIFW)
			out[n++] = *k;
	return n;
}

size_t stub_initrds(const struct stub_release *r, const struct uki *u,
		    enum uki_section_id out[2])
{
	size_t n = 0;

	if (u->sec[UCODE].present && stub_knows(r, UCODE))
		out[n++] = UCODE;
	if (u->sec[INITRD].present)
		out[n++] = INITRD;
	return n;
}

int stub_check(const struct stub_release *r, const struct uki *u,
	       const struct stub_version *v, struct diag *d)
{
	for (const enum uki_section_id *k = r->knows; r->by_prefix && *k != END; k++)
		if (u->prefixed & (1u << *k))
			return diag_fail(d, ERR_BAD_IMAGE,
					 "a section's name begins with '%s' but is longer: its systemd-stub (%u.%u) would take the last such section for %s, efikexec takes none",
					 uki_section_name(*k), v->major, v->minor,
					 uki_section_name(*k));
	return 0;
}

enum uki_section_id stub_per_machine(const struct stub_release *r,
				     const struct uki *u)
{
	if (!u->sec[HWIDS].present || !stub_knows(r, HWIDS))
		return END;
	if (u->sec[DTBAUTO].present && stub_knows(r, DTBAUTO))
		return DTBAUTO;
	if (u->sec[EFIFW].present && stub_knows(r, EFIFW))
		return EFIFW;
	return END;
}

static bool control(uint8_t c)
{
	return c < 0x20;
}

static bool blank(uint8_t c)
{
	return c <= ' ' || c == 0x7f;
}

size_t stub_cmdline_clean(enum stub_cmdline rule, const uint8_t *data,
			  size_t len, char *out, size_t cap)
{
	size_t n = 0, keep = 0;

	for (size_t i = 0; i < len && data[i]; i++) {
		uint8_t c = data[i];

		if ((rule == CMDLINE_CONTROLS || rule == CMDLINE_CHOP_END) && control(c))
			c = ' ';
		if (rule == CMDLINE_TRIM && blank(c)) {
			if (!n)
				continue; /* blanks at the start */
			c = ' ';
		}
		if (n + 1 < cap)
			out[n] = (char)c;
		n++;
		/* the line ends after its last character that stays */
		if (rule == CMDLINE_AS_GIVEN || rule == CMDLINE_CONTROLS || c != ' ')
			keep = n;
	}
	if (cap)
		out[keep < cap ? keep : cap - 1] = '\0';
	return keep;
}

/* 257's parse_profile_from_cmdline(): "@N" (N decimal, up to UINT_MAX)
 * and then one space or the end; *rest is the line after it. */
static bool profile_prefix(const char *line, unsigned *profile, const char **rest)
{
	const uint8_t *p = (const uint8_t *)line;
	size_t i = 1, n = strlen(line);
	uint64_t v;

	if (p[0] != '@' || !number(p, n, &i, UINT32_MAX, &v) ||
	    (p[i] != ' ' && p[i] != '\0'))
		return false;
	*profile = (unsigned)v;
	*rest = line + i + (p[i] == ' ');
	return true;
}

bool stub_given_cmdline(const struct stub_release *r, const char *given,
			char *out, unsigned *profile)
{
	size_t n;

	*profile = 0;
	/* (the first UTF-16 unit of the load options above 0x1f) */
	if (control((uint8_t)given[0]))
		return false;
	if (r->profile_prefix)
		profile_prefix(given, profile, &given);
	n = strlen(given);
	n = stub_cmdline_clean(r->cmdline, (const uint8_t *)given, n, out, n + 1);
	/* 257's settle_command_line(): an empty line is no line */
	return n || !r->profile_prefix;
}
