/* What systemd-stub does with a unified kernel image, release by release
 * (systemd 250 to 258), as far as efikexec must do the same when it boots
 * the image without its stub: which sections the stub knows (and so
 * loads: .ucode only from 256), which of them it measures into PCR 11 and
 * in what order, and what it makes of a command line its loader gives it
 * (cleaned, then measured into PCR 12). The stub an image carries names
 * its release; efikexec follows that release's row of one table
 * (boot/systemd_stub.c), so that PCRs 11 and 12 come out as that stub
 * would have left them, and a TPM policy bound to them keeps unsealing.
 *
 * Pure code: the image's bytes and sections (boot/uki.h) in, decisions
 * out; efi/tpm.c does the measuring. */
#ifndef BOOT_SYSTEMD_STUB_H
#define BOOT_SYSTEMD_STUB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "boot/uki.h"
#include "lib/diag.h"

/* A release as its version string names it: "252.39-1~deb12u2" is
 * 252.39, "253~rc1-12-gabcdef0" 253.0. */
struct stub_version {
	unsigned major, minor;
};

/* How a release cleans a command line (its mangle_stub_cmdline()): the
 * line up to its first NUL, then */
enum stub_cmdline {
	CMDLINE_AS_GIVEN,  /* nothing more */
	CMDLINE_CONTROLS,  /* each control character (below 0x20) a space */
	CMDLINE_CHOP_END,  /* that, and the spaces at its end dropped */
	/* control characters, space and DEL are blanks: those at either
	 * end dropped, each one inside a space */
	CMDLINE_TRIM,
};

/* The end of a list of sections */
#define STUB_END UKI_NSECTIONS

/* The files the stub hands the initrd under /.extra, each set one cpio
 * archive (boot/cpio.h) that it adds after the image's own initrd, in
 * this order (its stub.c's list of initrds), when the set is not empty */
enum stub_extra_id {
	EXTRA_CREDENTIALS,        /* <image>.extra.d\*.cred */
	EXTRA_GLOBAL_CREDENTIALS, /* \loader\credentials\*.cred */
	EXTRA_SYSEXT,             /* <image>.extra.d\*.raw */
	EXTRA_GLOBAL_SYSEXT,      /* \loader\extensions\*.raw */
	EXTRA_CONFEXT,            /* <image>.extra.d\*.confext.raw */
	EXTRA_GLOBAL_CONFEXT,     /* \loader\extensions\*.confext.raw */
	EXTRA_PCRSIG,             /* .pcrsig: tpm2-pcr-signature.json */
	EXTRA_PCRPKEY,            /* .pcrpkey: tpm2-pcr-public-key.pem */
	EXTRA_OSREL,              /* .osrel: os-release */
	EXTRA_PROFILE,            /* .profile: profile */
	EXTRA_N
};

struct stub_release {
	/* the row holds from this release up to the next row's */
	struct stub_version since;
	/* the sections it knows, in its own order, up to STUB_END */
	enum uki_section_id knows[UKI_NSECTIONS + 1];
	/* it measures into PCR 11 each one it knows but .pcrsig, in that
	 * order, and says so (StubPcrKernelImage) */
	bool measures;
	/* it takes a set of files it does not find for measured (252's
	 * cpio.c), so that it says it measured the command line and
	 * credentials (StubPcrKernelParameters) and the system extensions
	 * (StubPcrInitRDSysExts) when there are none; later ones say so
	 * only for files they found and measured */
	bool says_parameters;
	/* it finds a section by the first letters of its name (".dtb" is
	 * ".dtbauto" too) and takes the last one it finds */
	bool by_prefix;
	/* a command line given to it starts with "@N " to pick profile N */
	bool profile_prefix;
	/* where it measures a command line given to it, and how it cleans
	 * that one and its .cmdline */
	uint8_t cmdline_pcr;
	enum stub_cmdline cmdline;
	/* the archives it makes, in its order, up to EXTRA_N; credentials
	 * and configuration extensions are measured into cmdline_pcr,
	 * system extensions into sysext_pcr */
	enum stub_extra_id extras[EXTRA_N + 1];
	uint8_t sysext_pcr;
	/* the sections it takes from an add-on (boot/systemd_stub.c says
	 * which efikexec delivers), up to STUB_END; none: it loads none */
	enum uki_section_id addon_takes[5];
	/* it measures the global and the image's add-ons' command lines
	 * as one line; else each directory's as a line of its own */
	bool addons_one_line;
	/* it cleans each add-on's command line on its own before it joins
	 * them (by its cmdline rule; the joined line again after) */
	bool addon_lines_each;
	/* it measures the add-ons' devicetrees (an add-on's .dtb, when
	 * addon_takes has it) before its archives; else after them */
	bool addon_dtbs_first;
	/* its tpm_log_tagged_event() returns on success before it notes
	 * that it measured: each tagged event it logs (a profile, an
	 * add-on's devicetree) leaves StubPcrKernelParameters unset */
	bool tagged_unmeasured;
	/* it appends the SMBIOS OEM string
	 * io.systemd.stub.kernel-cmdline-extra to the command line */
	bool smbios_cmdline;
	/* StubFeatures: the bits it sets that efikexec does too (0: it sets
	 * no StubFeatures) */
	uint64_t features;
};

/* StubFeatures bits (systemd's efivars-fundamental.h) */
#define STUB_FEATURE_REPORT_BOOT_PARTITION (1ull << 0)
#define STUB_FEATURE_PICK_UP_CREDENTIALS   (1ull << 1)
#define STUB_FEATURE_PICK_UP_SYSEXTS       (1ull << 2)
#define STUB_FEATURE_THREE_PCRS            (1ull << 3)
#define STUB_FEATURE_RANDOM_SEED           (1ull << 4)
#define STUB_FEATURE_CMDLINE_ADDONS        (1ull << 5)
#define STUB_FEATURE_CMDLINE_SMBIOS        (1ull << 6)
#define STUB_FEATURE_DEVICETREE_ADDONS     (1ull << 7)
#define STUB_FEATURE_PICK_UP_CONFEXTS      (1ull << 8)
#define STUB_FEATURE_MULTI_PROFILE_UKI     (1ull << 9)
#define STUB_FEATURE_REPORT_STUB_PARTITION (1ull << 10)

/* One archive of files under /.extra as release r makes it. */
struct stub_extra {
	enum stub_extra_id id;
	/* the files: section's contents as the one file `file` when
	 * section is not STUB_END; else those of directory `from` on the
	 * image's volume (NULL: the image's own, its path and ".extra.d")
	 * whose names stub_extra_takes() */
	enum uki_section_id section;
	const char *file;
	const char *from;
	/* their names end in suffix (in any case), and not in except */
	const char *suffix, *except;
	/* the directory they are put in (".extra/credentials"), its mode
	 * and theirs */
	const char *dir;
	uint32_t dir_mode, file_mode;
	/* the archive is measured whole into this PCR (0: it is not), one
	 * EV_IPL event with the description in UTF-16 with its NUL as event
	 * data */
	uint8_t pcr;
	const char *description;
};

/* The archives r makes for image u, in its order: those of directories
 * (made only if a file is found), and those of the sections u has.
 * Returns how many. */
size_t stub_extras(const struct stub_release *r, const struct uki *u,
		   struct stub_extra out[EXTRA_N]);

/* Whether the stub packs a file of that name (UTF-8) found in e's
 * directory: not a hidden one ('.' first), ASCII only, at most 255
 * bytes (a Linux file name), ending in e->suffix but not e->except,
 * letters in any case. */
bool stub_extra_takes(const struct stub_extra *e, const char *name);

/* A file found in a directory */
struct stub_file {
	const char *name;
	uint64_t size;
};

/* Orders files[0, n) as the stub packs them: by their names' bytes (its
 * strcmp16() on ASCII names), so that the archive's bytes, and so its
 * measurement, do not depend on the order the directory lists them in. */
void stub_extra_sort(struct stub_file *files, size_t n);

/* Whether r says, in a variable, that it measured the sets of a kind:
 * the credentials (kind EXTRA_CREDENTIALS, with the global ones:
 * StubPcrKernelParameters, which also needs a command line given to it
 * measured), the system extensions (EXTRA_SYSEXT: StubPcrInitRDSysExts)
 * or the configuration extensions (EXTRA_CONFEXT: StubPcrInitRDConfExts).
 * made and measured hold bit (1 << id) for each archive r made and each
 * it measured. A release that measures says so when it makes such sets
 * and each one of them was made and measured, or, for a release that
 * takes a set it does not find for measured (says_parameters), not
 * made at all. */
bool stub_says_measured(const struct stub_release *r, enum stub_extra_id kind,
			uint32_t made, uint32_t measured);

/* The directories r loads add-ons (*.addon.efi) from, in its order: the
 * global ones (\loader\addons) first, then the image's own (from
 * NULL), each a set of files whose names stub_extra_takes() picks, as
 * for the archives; none before 254. Returns how many. */
size_t stub_addon_dirs(const struct stub_release *r, struct stub_extra out[2]);

/* Whether r takes section id from an add-on. */
bool stub_addon_takes(const struct stub_release *r, enum uki_section_id id);

/* What r does with an add-on */
enum stub_addon_verdict {
	ADDON_TAKEN,
	ADDON_NOTHING,  /* none of the sections r takes from one: ignored */
	ADDON_IS_UKI,   /* it has a .linux: ignored */
	ADDON_UNAME,    /* its .uname is not the image's: ignored */
};

/* The verdict on add-on a (its bytes at file) for an image whose .uname
 * is uname (len bytes; NULL: it has none), in the stub's order of checks.
 * The stub compares the add-on's .uname with the image's as strncmp()
 * does over the add-on's length, the image's ending at its first NUL: an
 * add-on whose .uname is the start of the image's fits. */
enum stub_addon_verdict stub_addon_check(const struct stub_release *r,
					 const uint8_t *file, const struct uki *a,
					 const char *uname, size_t len);

/* The add-ons' command lines as r appends and measures them, from the
 * .cmdline of the global add-ons and of the image's (each set joined by
 * spaces; "" for none): one line of both (255 on) or one line each, each
 * cleaned by r's rule, those left empty dropped. buf has room for
 * strlen(global) + strlen(image) + 2 bytes; lines[i] point into it.
 * Returns how many (up to 2). */
size_t stub_addon_lines(const struct stub_release *r, const char *global,
			const char *image, char *buf, const char *lines[2]);

/* StubInfo as the stub sets it: "systemd-stub " and the version its
 * .sdmagic names, as it is written there ("254.26-1~bpo12+1"), into out
 * (cap bytes). False when u has no such .sdmagic, or it does not fit. */
bool stub_info(const uint8_t *file, const struct uki *u, char *out, size_t cap);

/* The release the image's stub names: its .sdmagic, "#### LoaderInfo:
 * systemd-stub <version> ####" in every release (sdmagic: its first
 * sdmagic_size bytes, 0 when it has none); else, from 254 on, the PE
 * header's MajorImageVersion (the major version alone; head: the image's
 * first head_size bytes). False when it names none. The caller reads
 * .sdmagic, so that an image need not be in memory whole. */
bool stub_version(const uint8_t *sdmagic, size_t sdmagic_size,
		  const uint8_t *head, size_t head_size, struct stub_version *v);

/* How a version fits the table. */
enum stub_fit {
	STUB_KNOWN,   /* a release of the table: its row */
	STUB_NEWER,   /* after the last: the last row */
	STUB_OLDER,   /* before the first: the first row */
	STUB_UNNAMED, /* v is NULL: the last row */
};

/* The row efikexec follows for a stub of version v (NULL: the image names
 * none), and how v fits (boot/systemd_stub.c says why each way). */
const struct stub_release *stub_release(const struct stub_version *v,
					enum stub_fit *fit);

/* The image's sections as release r finds them: from 257 those of profile
 * `profile` (uki_parse_profile(): the base's with the profile's over
 * them); before, the image whole, each section once (uki_parse_head(): an
 * image with .profile sections is refused, as when efikexec knew none,
 * rather than taken apart otherwise than its stub would). head: the
 * image's first head_size bytes, its section table within them;
 * file_size: the whole image's. */
int stub_sections(const struct stub_release *r, const uint8_t *head,
		  size_t head_size, size_t file_size, unsigned profile,
		  struct uki *u, struct diag *d);

/* Whether release r knows section id. */
bool stub_knows(const struct stub_release *r, enum uki_section_id id);

/* The sections r measures into PCR 11 for the image u, in its order, as
 * efikexec measures them: each it knows and u has, but .pcrsig, and
 * .dtbauto and .efifw, which the stub measures only when one matches the
 * machine's hardware IDs (stub_per_machine()). Returns how many. */
size_t stub_pcr11(const struct stub_release *r, const struct uki *u,
		  enum uki_section_id out[UKI_NSECTIONS]);

/* The sections r loads as the initrd, in that order (.ucode, known from
 * 256, before .initrd): those u has. Returns how many (up to 2). */
size_t stub_initrds(const struct stub_release *r, const struct uki *u,
		    enum uki_section_id out[2]);

/* Fails (closed) on an image efikexec would take apart otherwise than r:
 * for a release that finds sections by the first letters of their names,
 * a section named like one it knows but longer (".initrd2", ".dtbauto"
 * for .dtb), which that release would take for that one. */
int stub_check(const struct stub_release *r, const struct uki *u,
	       const struct stub_version *v, struct diag *d);

/* A .dtbauto or .efifw section of u that r picks, or not, by matching the
 * machine's hardware IDs (.hwids) and then measures: efikexec matches
 * none and measures none, so PCR 11 may differ from the stub's.
 * STUB_END when there is none (without .hwids an x86 stub picks none). */
enum uki_section_id stub_per_machine(const struct stub_release *r,
				     const struct uki *u);

/* Cleans the len bytes of a command line (up to its first NUL) by rule
 * into out, NUL-terminated, truncated to cap - 1 bytes; returns the
 * cleaned line's length (>= cap: truncated). Bytes from 0x80 stay as
 * they are: the stub decodes them as UTF-8, the kernel's EFI stub
 * encodes them back. */
size_t stub_cmdline_clean(enum stub_cmdline rule, const uint8_t *data,
			  size_t len, char *out, size_t cap);

/* What r makes of a command line given to it (its LoadOptions): false
 * when it does not take it and boots with its .cmdline instead, as when
 * the line is empty or starts with a control character (garbage some
 * firmware passes), and, from 257, when nothing is left of it once
 * cleaned. Otherwise out (room for strlen(given) + 1 bytes) holds the
 * line as r measures and boots it. *profile is the profile a "@N " prefix
 * asks for (257 on; taken off the line), 0 without one. */
bool stub_given_cmdline(const struct stub_release *r, const char *given,
			char *out, unsigned *profile);

/* The profile of a multi-profile image r boots for a command line given
 * to it: the one its "@N " prefix asks for (257 on), as
 * stub_given_cmdline() reads it, else 0, the first. */
unsigned stub_profile(const struct stub_release *r, const char *given);

/* The tagged events (systemd's tpm2-pcr.h) by which the stub measures
 * into cmdline_pcr, from 257 on, a profile other than the first
 * (UKI_PROFILE_EVENT_TAG_ID: its number in decimal as UTF-16 with the NUL,
 * which is also the description), from 255 on each add-on's .dtb
 * (DEVICETREE_ADDON_EVENT_TAG_ID), from 257 on each add-on's .ucode
 * and .initrd (UCODE_ADDON_EVENT_TAG_ID, INITRD_ADDON_EVENT_TAG_ID), the
 * add-on's file name, as its directory lists it, the description of
 * each */
#define STUB_PROFILE_EVENT_TAG 0x13aed6dbu
#define STUB_DEVICETREE_ADDON_EVENT_TAG 0x6c46f751u
#define STUB_UCODE_ADDON_EVENT_TAG 0xdac08e1au
#define STUB_INITRD_ADDON_EVENT_TAG 0x49dffe0fu

/* The event data of a tagged event as the stub logs one
 * (tpm_log_tagged_event(): TCG_PCClientTaggedEvent): the tag, the size
 * of the description, both 32-bit little-endian, then the description
 * (UTF-8, at most STUB_TAGGED_DESCRIPTION_MAX UTF-16 units: a file
 * name's) in UTF-16 with its NUL, as the stub has the file's name, into
 * out (cap bytes). Returns its size, 0 when it does not fit. */
#define STUB_TAGGED_DESCRIPTION_MAX 255
size_t stub_tagged_event(uint32_t tag, const char *description, uint8_t *out,
			 size_t cap);

#endif
