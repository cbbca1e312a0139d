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

/* The sections efikexec knows, in the order systemd-stub measures them
 * into PCR 11 (UAPI.5 "UKI Components", the canonical order; systemd's
 * src/fundamental/uki.h UnifiedSection): .pcrsig comes before .pcrpkey
 * there, and is the one not measured. */
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
 * or empty .linux. Unknown sections are ignored. */
int uki_parse_head(const uint8_t *head, size_t head_size, size_t file_size,
		   struct uki *u, struct diag *d);

/* uki_parse_head() on a whole file. */
int uki_parse(const uint8_t *file, size_t size, struct uki *u, struct diag *d);

/* ".linux" ... ".pcrpkey" */
const char *uki_section_name(enum uki_section_id id);

/* The version of the systemd-stub the image carries, from its .sdmagic;
 * 0 when it does not say. */
unsigned uki_stub_version(const uint8_t *file, const struct uki *u);

/* Whether a systemd-stub of that version (0: unknown) measures the section
 * into PCR 11. For each one present, in enum order, two EV_IPL events:
 * the name with its NUL, then the VirtualSize bytes (UAPI.5 "UKI TPM PCR
 * Measurements"); systemd-measure predicts the same from one file per
 * section, skipping empty files. */
bool uki_measured(enum uki_section_id id, unsigned stub_version);

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

/* The kernel command line systemd-stub makes of an embedded .cmdline:
 * up to the first NUL, leading and trailing whitespace dropped, each
 * control character (and DEL) a space. NUL-terminated in out, truncated
 * to cap - 1 bytes; returns the whole line's length (>= cap: truncated). */
size_t uki_cmdline(const uint8_t *data, size_t len, char *out, size_t cap);

#endif
