/* Unified kernel images (boot/uki.c): a PE32+ EFI program, systemd-stub,
 * that carries a Linux kernel and what it boots with in PE sections
 * (UAPI.5 "Unified Kernel Images", systemd-stub(7)). efikexec takes the
 * sections apart itself, as the stub would, and measures them as the stub
 * does, so that what is measured is what boots.
 *
 * Pure code: the file's bytes in, offsets out. */
#ifndef BOOT_UKI_H
#define BOOT_UKI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/diag.h"

/* The sections efikexec knows: systemd-stub's (its UnifiedSection in
 * src/fundamental/uki.h, in that order, as systemd 258 has it) and the
 * stub's own .sdmagic. Which of them the stub an image carries knows,
 * measures into PCR 11 and loads depends on its release: see
 * boot/systemd_stub.h. */
enum uki_section_id {
	UKI_LINUX,
	UKI_OSREL,
	UKI_CMDLINE,
	UKI_INITRD,
	UKI_UCODE,
	UKI_SPLASH,
	UKI_DTB,
	UKI_UNAME,
	UKI_SBAT,
	UKI_PCRSIG,
	UKI_PCRPKEY,
	UKI_PROFILE,
	UKI_DTBAUTO,
	UKI_HWIDS,
	UKI_EFIFW,
	UKI_SDMAGIC, /* systemd-stub's own: "#### LoaderInfo: systemd-stub 252 ####" */
	UKI_NSECTIONS
};

/* The contents of a section: size (its VirtualSize) bytes at file offset
 * offset (its PointerToRawData). present: the section is there and not
 * empty; systemd-stub neither uses nor measures an empty one. */
struct uki_section {
	uint32_t offset, size;
	bool present;
};

struct uki {
	struct uki_section sec[UKI_NSECTIONS];
	/* bit (1 << id): a section other than the one named exactly has a
	 * name that begins with id's (".dtbauto" for .dtb, ".initrd2" for
	 * .initrd), which systemd-stub up to 256 takes for that section */
	uint32_t prefixed;
	/* uki_parse_profile(): how many profiles the image has (.profile
	 * sections) */
	unsigned profiles;
};

/* The offset of the PE signature of a PE/COFF image (Microsoft "PE
 * Format": "MZ", then the offset of "PE\0\0" at 0x3c) whole within n
 * bytes with the 24 bytes after it; 0 when it is none. */
size_t pe_header(const uint8_t *file, size_t n);

/* A PE32+ image with a section named exactly ".linux" among the section
 * headers within the size bytes given. Cheap, reads nothing past size. */
bool uki_detect(const uint8_t *file, size_t size);

/* The sections of a unified kernel image: head holds the first head_size
 * bytes of a file of file_size bytes, the headers (DOS, PE, section table)
 * must be among them, and every known section's contents must be within
 * the file. Fails (closed) on a known section that appears twice, one
 * whose VirtualSize exceeds its SizeOfRawData (the rest would be zeros
 * that are not in the file), a machine other than x86-64, and a missing
 * or empty .linux. Unknown sections are ignored, and so are the second
 * and later .dtbauto and .efifw: systemd-stub picks one of those for the
 * machine it runs on, efikexec uses none (the first is recorded). */
int uki_parse_head(const uint8_t *head, size_t head_size, size_t file_size,
		   struct uki *u, struct diag *d);

/* The sections of any PE32+ image with the sections of one, a UKI or a
 * systemd-stub add-on (no .linux), checked as uki_parse_head() checks
 * them but for .linux. */
int pe_sections_parse(const uint8_t *head, size_t head_size, size_t file_size,
		      struct uki *u, struct diag *d);

/* The sections of profile `profile` of a multi-profile image, as
 * systemd-stub 257 finds them (its pe.c): the base, the sections before
 * the first .profile, then each section of the profile, from its .profile
 * (the profile-th, from 0) to the next .profile or the end of the table,
 * in place of the base's of that name (an empty one replaces none).
 * Profile 0 of an image without .profile is its base. Each part is
 * checked as uki_parse_head() checks a whole image, a section repeated
 * across parts being no repeat; fails (closed) on a profile the image
 * does not have, and without .linux in either part. u->profiles is how
 * many profiles the image has. */
int uki_parse_profile(const uint8_t *head, size_t head_size, size_t file_size,
		      unsigned profile, struct uki *u, struct diag *d);

/* ".linux" ... ".sdmagic" */
const char *uki_section_name(enum uki_section_id id);

/* The value of key in os-release text (os-release(5): KEY=VALUE lines,
 * '#' comments, single or double quotes, backslash escapes as the shell
 * has them), NUL-terminated in out (truncated to cap - 1 bytes). The text
 * ends at its first NUL; the last assignment wins. False when absent.
 *
 * systemd-boot 252 lists \EFI\Linux\*.efi (not auto-*) that have an .osrel
 * (src/fundamental/bootspec-fundamental.c): title PRETTY_NAME, else
 * IMAGE_ID, NAME, ID (none: not listed); version IMAGE_VERSION, else
 * VERSION, VERSION_ID, BUILD_ID; sort key IMAGE_ID, else ID. It only
 * strips one pair of double quotes and knows no escapes. */
bool uki_osrel_value(const char *text, size_t len, const char *key, char *out,
		     size_t cap);

/* systemd-boot lists at most this many profiles of an image (its
 * UNIFIED_PROFILES_MAX) */
#define UKI_PROFILES_MAX 256

/* The menu entry systemd-boot 257 makes for profile `profile` of a UKI
 * whose name (its .osrel's, above) is name, from the profile's .profile
 * text (len bytes; NULL: none), as os-release keys: its title "NAME
 * (TITLE)", else for a profile other than the first "NAME (ID)", else
 * "NAME (Profile #N)" counting from 1, else NAME; into title (cap bytes,
 * truncated). And what its id gets after the image's (counter taken off):
 * "@ID", else "@N" for a profile other than the first, "" for the first,
 * into suffix (suffix_cap bytes, truncated). */
void uki_profile_entry(const char *name, const char *text, size_t len,
		       unsigned profile, char *title, size_t cap, char *suffix,
		       size_t suffix_cap);

#endif
