/* systemd-stub's releases 250 to 258, as read in systemd's sources tag by
 * tag (systemd/systemd-stable v250..v256; v257 and v258 from systemd's
 * history, where src/boot/efi/ became src/boot/): what efikexec must do as
 * the image's own stub would. */
#include "boot/systemd_stub.h"

#include "lib/bytes.h"
#include "lib/mem.h"
#include "lib/utf.h"

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
/* The archives a release makes (lists end at XEND) */
#define CREDS EXTRA_CREDENTIALS
#define GCREDS EXTRA_GLOBAL_CREDENTIALS
#define SYSEXT EXTRA_SYSEXT
#define GSYSEXT EXTRA_GLOBAL_SYSEXT
#define CONFEXT EXTRA_CONFEXT
#define GCONFEXT EXTRA_GLOBAL_CONFEXT
#define SIG EXTRA_PCRSIG
#define PKEY EXTRA_PCRPKEY
#define OSRELX EXTRA_OSREL
#define PROFILEX EXTRA_PROFILE
#define XEND EXTRA_N

/* StubFeatures as each release sets it, but for what efikexec does not do:
 * 255's DEVICETREE_ADDONS (efikexec installs no devicetree of the image
 * or of an add-on, only a Type #1 entry's; it measures an add-on's as
 * the stub does) and the later REPORT_URL (bit 11: efikexec sets no
 * StubDeviceURL) */
#define F252 (STUB_FEATURE_REPORT_BOOT_PARTITION | STUB_FEATURE_PICK_UP_CREDENTIALS | \
	      STUB_FEATURE_PICK_UP_SYSEXTS | STUB_FEATURE_THREE_PCRS)
#define F253 (F252 | STUB_FEATURE_RANDOM_SEED)
#define F254 (F253 | STUB_FEATURE_CMDLINE_ADDONS | STUB_FEATURE_CMDLINE_SMBIOS)
#define F256 (F254 | STUB_FEATURE_PICK_UP_CONFEXTS)
#define F257 (F256 | STUB_FEATURE_MULTI_PROFILE_UKI | STUB_FEATURE_REPORT_STUB_PARTITION)

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
	 * compares a name's first strlen() letters, the last match wins;
	 * stub.c pack_cpio()s credentials, global credentials and system
	 * extensions (*.raw) into PCR 4 (TPM_PCR_INDEX_INITRD) */
	{ .since = { 250, 0 },
	  .knows = { CMDLINE, LINUX, INITRD, SPLASH, DTB, END },
	  .by_prefix = true, .cmdline_pcr = 8, .cmdline = CMDLINE_AS_GIVEN,
	  .extras = { CREDS, GCREDS, SYSEXT, XEND },
	  .sysext_pcr = 4,
	  .addon_takes = { END },
	  .features = 0 },
	/* 251: the load options into PCR 12 (measure.h; PCR 8 too only if
	 * built with efi-tpm-pcr-compat, off by default: not followed) */
	{ .since = { 251, 0 },
	  .knows = { CMDLINE, LINUX, INITRD, SPLASH, DTB, END },
	  .by_prefix = true, .cmdline_pcr = 12, .cmdline = CMDLINE_AS_GIVEN,
	  .extras = { CREDS, GCREDS, SYSEXT, XEND },
	  .sysext_pcr = 4,
	  .addon_takes = { END },
	  .features = 0 },
	/* 252: src/fundamental/tpm-pcr.h UnifiedSection: PCR 11, each but
	 * .pcrsig (unified_section_measure()), in stub.c's loop; cpio.c
	 * pack_cpio() takes credentials it does not find for measured, so
	 * StubPcrKernelParameters is set with a TPM whatever was given;
	 * system extensions into PCR 13 (TPM_PCR_INDEX_INITRD_SYSEXTS), and
	 * .pcrsig and .pcrpkey passed as files (pack_cpio_literal()) */
	{ .since = { 252, 0 },
	  .knows = { LINUX, OSREL, CMDLINE, INITRD, SPLASH, DTB, PCRSIG, PCRPKEY, END },
	  .measures = true, .says_parameters = true, .by_prefix = true,
	  .cmdline_pcr = 12, .cmdline = CMDLINE_AS_GIVEN,
	  .extras = { CREDS, GCREDS, SYSEXT, SIG, PKEY, XEND },
	  .sysext_pcr = 13,
	  .addon_takes = { END },
	  .features = F252 },
	/* 252.3: stub.c use_load_options() and util.c mangle_stub_cmdline():
	 * control characters become spaces ("stub: Fix cmdline handling") */
	{ .since = { 252, 3 },
	  .knows = { LINUX, OSREL, CMDLINE, INITRD, SPLASH, DTB, PCRSIG, PCRPKEY, END },
	  .measures = true, .says_parameters = true, .by_prefix = true,
	  .cmdline_pcr = 12, .cmdline = CMDLINE_CONTROLS,
	  .extras = { CREDS, GCREDS, SYSEXT, SIG, PKEY, XEND },
	  .sysext_pcr = 13,
	  .addon_takes = { END },
	  .features = F252 },
	/* 252.6: util.c mangle_stub_cmdline() chops the spaces at the end
	 * ("boot: don't convert the trailing newline ...") */
	{ .since = { 252, 6 },
	  .knows = { LINUX, OSREL, CMDLINE, INITRD, SPLASH, DTB, PCRSIG, PCRPKEY, END },
	  .measures = true, .says_parameters = true, .by_prefix = true,
	  .cmdline_pcr = 12, .cmdline = CMDLINE_CHOP_END,
	  .extras = { CREDS, GCREDS, SYSEXT, SIG, PKEY, XEND },
	  .sysext_pcr = 13,
	  .addon_takes = { END },
	  .features = F252 },
	/* 253: tpm-pcr.h and util.c as 252.6's; cpio.c pack_cpio() now
	 * takes credentials it does not find for not measured, which clears
	 * StubPcrKernelParameters: it is set only when both the image's and
	 * the global credentials were found and measured */
	{ .since = { 253, 0 },
	  .knows = { LINUX, OSREL, CMDLINE, INITRD, SPLASH, DTB, PCRSIG, PCRPKEY, END },
	  .measures = true, .by_prefix = true,
	  .cmdline_pcr = 12, .cmdline = CMDLINE_CHOP_END,
	  .extras = { CREDS, GCREDS, SYSEXT, SIG, PKEY, XEND },
	  .sysext_pcr = 13,
	  .addon_takes = { END },
	  .features = F253 },
	/* 254: tpm-pcr.h adds .uname and .sbat ("stub/measure: document
	 * and measure .uname UKI section", "boot: measure .sbat section");
	 * the stub's own .sbat is in every image it makes. stub.c
	 * cmdline_append_and_measure_addons(): add-ons from
	 * \loader\addons, then from the image's .extra.d, their .cmdline
	 * appended after the line it boots, each directory's cleaned and
	 * measured as one line; then the SMBIOS OEM string
	 * io.systemd.stub.kernel-cmdline-extra appended after a space and
	 * measured as it is (with Secure Boot on too: only a confidential
	 * VM leaves it out) */
	{ .since = { 254, 0 },
	  .knows = { LINUX, OSREL, CMDLINE, INITRD, SPLASH, DTB, UNAME, SBAT,
		     PCRSIG, PCRPKEY, END },
	  .measures = true, .by_prefix = true,
	  .cmdline_pcr = 12, .cmdline = CMDLINE_CHOP_END,
	  .extras = { CREDS, GCREDS, SYSEXT, SIG, PKEY, XEND },
	  .sysext_pcr = 13,
	  .addon_takes = { CMDLINE, END },
	  .smbios_cmdline = true, .features = F254 },
	/* 255: src/fundamental/uki.h as 254's list; util.c
	 * mangle_stub_cmdline() takes DEL and space for blanks too and
	 * drops those at the start. (A line of blanks only it reads past
	 * its end, fixed in 257: taken here as an empty line.) Add-ons:
	 * load_addons() takes .dtb too; dtb_install_addons(), after the
	 * archives, installs each, the global add-ons' first, and measures
	 * each it installed into PCR 12 as a tagged event (its VirtualSize
	 * bytes; measure.c tpm_log_tagged_event());
	 * cmdline_append_and_measure_addons() joins the global and the
	 * image's lines and measures them as one */
	{ .since = { 255, 0 },
	  .knows = { LINUX, OSREL, CMDLINE, INITRD, SPLASH, DTB, UNAME, SBAT,
		     PCRSIG, PCRPKEY, END },
	  .measures = true, .by_prefix = true,
	  .cmdline_pcr = 12, .cmdline = CMDLINE_TRIM,
	  .extras = { CREDS, GCREDS, SYSEXT, SIG, PKEY, XEND },
	  .sysext_pcr = 13,
	  .addon_takes = { CMDLINE, DTB, END },
	  .addons_one_line = true, .smbios_cmdline = true, .features = F254 },
	/* 256: uki.h adds .ucode after .initrd ("stub: Add support for
	 * .ucode UKI section"), and stub.c loads it first in the initrd;
	 * configuration extensions (*.confext.raw, PCR 12), no longer taken
	 * for system extensions */
	{ .since = { 256, 0 },
	  .knows = { LINUX, OSREL, CMDLINE, INITRD, UCODE, SPLASH, DTB, UNAME,
		     SBAT, PCRSIG, PCRPKEY, END },
	  .measures = true, .by_prefix = true,
	  .cmdline_pcr = 12, .cmdline = CMDLINE_TRIM,
	  .extras = { CREDS, GCREDS, SYSEXT, CONFEXT, SIG, PKEY, XEND },
	  .sysext_pcr = 13,
	  .addon_takes = { CMDLINE, DTB, END },
	  .addons_one_line = true, .smbios_cmdline = true, .features = F256 },
	/* 257: uki.h adds .profile, .dtbauto and .hwids at the end (the
	 * UKI specification lists them elsewhere: the code's order is the
	 * one measured); pe.c pe_section_name_equal() compares names
	 * whole, the first match wins; stub.c
	 * parse_profile_from_cmdline(): "@N " picks profile N;
	 * generate_embedded_initrds() passes .osrel and .profile as files.
	 * Add-ons and SMBIOS not read tag by tag from here on: followed as
	 * 256 (systemd's history between 256 and 257 keeps one line of the
	 * global and the image's add-ons, measured once), but for the
	 * add-ons' devicetrees, read in Debian's 257.13: run() calls
	 * install_addon_devicetrees() before generate_sidecar_initrds(), and
	 * measure.c tpm_log_tagged_event() returns on success before it
	 * sets the flag that it measured. load_addons() takes an add-on's
	 * .ucode and .initrd too, which run() puts first (the .ucode, in
	 * the reverse of the add-ons' order: measure_and_append_ucode_addons())
	 * and last (measure_and_append_initrd_addons()) among the initrds,
	 * each measured as a tagged event after the archives; it cleans
	 * each add-on's .cmdline (mangle_stub_cmdline()) before it joins
	 * them, a space before each but the first, and the joined line
	 * again in cmdline_append_and_measure_addons(). (It also
	 * takes an add-on's .dtbauto, picked by the add-on's own .hwids:
	 * efikexec does not) */
	{ .since = { 257, 0 },
	  .knows = { LINUX, OSREL, CMDLINE, INITRD, UCODE, SPLASH, DTB, UNAME,
		     SBAT, PCRSIG, PCRPKEY, PROFILE, DTBAUTO, HWIDS, END },
	  .measures = true, .profile_prefix = true,
	  .cmdline_pcr = 12, .cmdline = CMDLINE_TRIM,
	  .extras = { CREDS, GCREDS, SYSEXT, CONFEXT, SIG, PKEY, OSRELX, PROFILEX, XEND },
	  .sysext_pcr = 13,
	  .addon_takes = { CMDLINE, DTB, UCODE, INITRD, END },
	  .addons_one_line = true, .addon_lines_each = true,
	  .addon_dtbs_first = true,
	  .tagged_unmeasured = true, .smbios_cmdline = true, .features = F257 },
	/* 258: uki.h adds .efifw at the end; generate_sidecar_initrds()
	 * packs system and configuration extensions from
	 * \loader\extensions too, each after the image's own */
	{ .since = { 258, 0 },
	  .knows = { LINUX, OSREL, CMDLINE, INITRD, UCODE, SPLASH, DTB, UNAME,
		     SBAT, PCRSIG, PCRPKEY, PROFILE, DTBAUTO, HWIDS, EFIFW, END },
	  .measures = true, .profile_prefix = true,
	  .cmdline_pcr = 12, .cmdline = CMDLINE_TRIM,
	  .extras = { CREDS, GCREDS, SYSEXT, GSYSEXT, CONFEXT, GCONFEXT, SIG, PKEY,
		      OSRELX, PROFILEX, XEND },
	  .sysext_pcr = 13,
	  .addon_takes = { CMDLINE, DTB, UCODE, INITRD, END },
	  .addons_one_line = true, .addon_lines_each = true,
	  .addon_dtbs_first = true,
	  .tagged_unmeasured = true, .smbios_cmdline = true, .features = F257 },
};
#define NRELEASES (sizeof(releases) / sizeof(releases[0]))

size_t stub_addon_dirs(const struct stub_release *r, struct stub_extra out[2])
{
	/* stub.c load_addons_from_dir(): the same names as pack_cpio()
	 * takes, ending in ".addon.efi"; the global ones first, "most
	 * hardcoded" to "most dynamic" */
	static const struct stub_extra dirs[2] = {
		{ EXTRA_N, STUB_END, NULL, "\\loader\\addons", ".addon.efi", NULL,
		  NULL, 0, 0, 0, NULL },
		{ EXTRA_N, STUB_END, NULL, NULL, ".addon.efi", NULL, NULL, 0, 0, 0,
		  NULL },
	};

	if (r->addon_takes[0] == END)
		return 0;
	out[0] = dirs[0];
	out[1] = dirs[1];
	return 2;
}

bool stub_addon_takes(const struct stub_release *r, enum uki_section_id id)
{
	for (const enum uki_section_id *k = r->addon_takes; *k != END; k++)
		if (*k == id)
			return true;
	return false;
}

enum stub_addon_verdict stub_addon_check(const struct stub_release *r,
					 const uint8_t *file, const struct uki *a,
					 const char *uname, size_t len)
{
	const struct uki_section *own = &a->sec[UNAME];
	bool any = false;

	for (const enum uki_section_id *k = r->addon_takes; *k != END; k++)
		any |= a->sec[*k].present;
	if (!any)
		return ADDON_NOTHING;
	if (a->sec[LINUX].present)
		return ADDON_IS_UKI;
	if (uname && own->present) {
		/* strncmp(image's, add-on's, its size) */
		for (size_t i = 0; i < own->size; i++) {
			char c = i < len ? uname[i] : '\0';

			if (c != (char)file[own->offset + i])
				return ADDON_UNAME;
			if (!c)
				break;
		}
	}
	return ADDON_TAKEN;
}

size_t stub_addon_lines(const struct stub_release *r, const char *global,
			const char *image, char *buf, const char *lines[2])
{
	size_t g = strlen(global), i = strlen(image), n = 0, at = 0;
	const char *from[2] = { global, image };
	size_t len[2] = { g, i };

	if (r->addons_one_line) {
		/* 255's merged line: a space between only when both
		 * have something */
		memcpy(buf, global, g);
		at = g;
		if (g && i)
			buf[at++] = ' ';
		memcpy(buf + at, image, i);
		at += i;
		from[0] = buf;
		len[0] = at;
		from[1] = "";
		len[1] = 0;
		at = 0;
	}
	for (size_t k = 0; k < 2; k++) {
		/* cleaned in place: it only drops or replaces bytes */
		size_t kept = stub_cmdline_clean(r->cmdline, (const uint8_t *)from[k],
						  len[k], buf + at, len[k] + 1);

		if (!kept)
			continue;
		lines[n++] = buf + at;
		at += kept + 1;
	}
	return n;
}

size_t stub_tagged_event(uint32_t tag, const char *description, uint8_t *out,
			 size_t cap)
{
	uint16_t wide[STUB_TAGGED_DESCRIPTION_MAX + 1];
	size_t units = utf8_to_ucs2(description, wide, sizeof(wide) / 2) + 1;

	if (units > sizeof(wide) / 2 || 8 + 2 * units > cap)
		return 0;
	put32(out, tag);
	put32(out + 4, (uint32_t)(2 * units));
	for (size_t i = 0; i < units; i++)
		put16(out + 8 + 2 * i, wide[i]);
	return 8 + 2 * units;
}

bool stub_info(const uint8_t *file, const struct uki *u, char *out, size_t cap)
{
	static const char prefix[] = "systemd-stub ", end[] = " ####";
	const struct uki_section *s = &u->sec[UKI_SDMAGIC];
	const char *text = (const char *)file + s->offset;
	size_t skip = sizeof("#### LoaderInfo: ") - 1, n;

	if (!s->present || s->size <= skip + sizeof(prefix) - 1 ||
	    memcmp(text, "#### LoaderInfo: systemd-stub ", skip + sizeof(prefix) - 1))
		return false;
	/* up to " ####", or its NUL */
	for (n = skip; n < s->size && text[n]; n++)
		if (s->size - n >= sizeof(end) - 1 && !memcmp(text + n, end, sizeof(end) - 1))
			break;
	if (n - skip + 1 > cap)
		return false;
	memcpy(out, text + skip, n - skip);
	out[n - skip] = '\0';
	return true;
}

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

bool stub_version(const uint8_t *sdmagic, size_t sdmagic_size,
		  const uint8_t *head, size_t head_size, struct stub_version *v)
{
	size_t i = sizeof(magic) - 1, pe;
	uint64_t major, minor = 0;

	if (sdmagic_size > i && !memcmp(sdmagic, magic, i) &&
	    number(sdmagic, sdmagic_size, &i, UINT32_MAX, &major)) {
		if (i + 1 < sdmagic_size && sdmagic[i] == '.') {
			i++;
			if (!number(sdmagic, sdmagic_size, &i, UINT32_MAX, &minor))
				minor = 0;
		}
		*v = (struct stub_version){ (unsigned)major, (unsigned)minor };
		return true;
	}
	pe = pe_header(head, head_size);
	if (!pe || pe + OPT_HDR + OPT_IMAGE_MAJOR + 2 > head_size ||
	    get16(head + pe + COFF_OPTSIZE) < OPT_IMAGE_MAJOR + 2)
		return false;
	major = get16(head + pe + OPT_HDR + OPT_IMAGE_MAJOR);
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

int stub_sections(const struct stub_release *r, const uint8_t *head,
		  size_t head_size, size_t file_size, unsigned profile,
		  struct uki *u, struct diag *d)
{
	return r->profile_prefix ?
	       uki_parse_profile(head, head_size, file_size, profile, u, d) :
	       uki_parse_head(head, head_size, file_size, u, d);
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

unsigned stub_profile(const struct stub_release *r, const char *given)
{
	unsigned profile = 0;
	const char *rest;

	if (r->profile_prefix && !control((uint8_t)given[0]))
		profile_prefix(given, &profile, &rest);
	return profile;
}

/* Each archive as stub.c's pack_cpio() and pack_cpio_literal() calls make
 * it (cpio.c for their layout); the PCRs are the release's */
static const struct stub_extra extras[EXTRA_N] = {
	[EXTRA_CREDENTIALS] = {
		EXTRA_CREDENTIALS, STUB_END, NULL, NULL, ".cred", NULL,
		".extra/credentials", 0500, 0400, 0, "Credentials initrd" },
	[EXTRA_GLOBAL_CREDENTIALS] = {
		EXTRA_GLOBAL_CREDENTIALS, STUB_END, NULL, "\\loader\\credentials",
		".cred", NULL, ".extra/global_credentials", 0500, 0400, 0,
		"Global credentials initrd" },
	[EXTRA_SYSEXT] = {
		EXTRA_SYSEXT, STUB_END, NULL, NULL, ".raw", NULL, ".extra/sysext",
		0555, 0444, 0, "System extension initrd" },
	[EXTRA_GLOBAL_SYSEXT] = {
		EXTRA_GLOBAL_SYSEXT, STUB_END, NULL, "\\loader\\extensions", ".raw",
		NULL, ".extra/global_sysext", 0555, 0444, 0,
		"Global system extension initrd" },
	[EXTRA_CONFEXT] = {
		EXTRA_CONFEXT, STUB_END, NULL, NULL, ".confext.raw", NULL,
		".extra/confext", 0555, 0444, 0, "Configuration extension initrd" },
	[EXTRA_GLOBAL_CONFEXT] = {
		EXTRA_GLOBAL_CONFEXT, STUB_END, NULL, "\\loader\\extensions",
		".confext.raw", NULL, ".extra/global_confext", 0555, 0444, 0,
		"Global configuration extension initrd" },
	/* not measured: .pcrsig signs what is measured, .pcrpkey, .osrel
	 * and .profile are measured as sections */
	[EXTRA_PCRSIG] = {
		EXTRA_PCRSIG, PCRSIG, "tpm2-pcr-signature.json", NULL, NULL, NULL,
		".extra", 0555, 0444, 0, NULL },
	[EXTRA_PCRPKEY] = {
		EXTRA_PCRPKEY, PCRPKEY, "tpm2-pcr-public-key.pem", NULL, NULL, NULL,
		".extra", 0555, 0444, 0, NULL },
	[EXTRA_OSREL] = {
		EXTRA_OSREL, OSREL, "os-release", NULL, NULL, NULL, ".extra", 0555,
		0444, 0, NULL },
	[EXTRA_PROFILE] = {
		EXTRA_PROFILE, PROFILE, "profile", NULL, NULL, NULL, ".extra", 0555,
		0444, 0, NULL },
};

static bool lists_extra(const struct stub_release *r, enum stub_extra_id id)
{
	for (const enum stub_extra_id *e = r->extras; *e != XEND; e++)
		if (*e == id)
			return true;
	return false;
}

size_t stub_extras(const struct stub_release *r, const struct uki *u,
		   struct stub_extra out[EXTRA_N])
{
	size_t n = 0;

	for (const enum stub_extra_id *id = r->extras; *id != XEND; id++) {
		struct stub_extra e = extras[*id];

		if (e.section != STUB_END && !u->sec[e.section].present)
			continue;
		if (*id == CREDS || *id == GCREDS || *id == CONFEXT ||
		    *id == GCONFEXT)
			e.pcr = r->cmdline_pcr;
		else if (*id == SYSEXT || *id == GSYSEXT)
			e.pcr = r->sysext_pcr;
		/* a release that packs configuration extensions leaves them
		 * out of the system extensions ("*.raw") */
		if ((*id == SYSEXT || *id == GSYSEXT) && lists_extra(r, CONFEXT))
			e.except = ".confext.raw";
		out[n++] = e;
	}
	return n;
}

/* Whether name ends in suffix, letters in any case. */
static bool ends_in(const char *name, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);

	if (n > len)
		return false;
	for (size_t i = 0; i < n; i++) {
		char a = name[len - n + i], b = suffix[i];

		if (a >= 'A' && a <= 'Z')
			a = (char)(a - 'A' + 'a');
		if (a != b)
			return false;
	}
	return true;
}

bool stub_extra_takes(const struct stub_extra *e, const char *name)
{
	size_t len = strlen(name);

	if (!e->suffix || !len || name[0] == '.' || len > 255)
		return false;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)name[i] >= 0x80)
			return false;
	return ends_in(name, len, e->suffix) &&
	       !(e->except && ends_in(name, len, e->except));
}

/* bytes compared unsigned: the stub compares UTF-16 units */
static int compare(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

void stub_extra_sort(struct stub_file *files, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct stub_file x = files[i];
		size_t j = i;

		for (; j && compare(files[j - 1].name, x.name) > 0; j--)
			files[j] = files[j - 1];
		files[j] = x;
	}
}

bool stub_says_measured(const struct stub_release *r, enum stub_extra_id kind,
			uint32_t made, uint32_t measured)
{
	/* each kind's global sets follow its own in the list of ids */
	enum stub_extra_id global = kind + 1;
	bool listed = false;

	if (!r->measures)
		return false;
	for (const enum stub_extra_id *id = r->extras; *id != XEND; id++) {
		uint32_t bit = 1u << *id;

		if (*id != kind && *id != global)
			continue;
		listed = true;
		if (made & bit ? !(measured & bit) : !r->says_parameters)
			return false;
	}
	return listed;
}
