/* Boot Loader Specification Type #1 entries (UAPI.1, "Type #1 Boot Loader
 * Entry Keys"), plus efikexec's own keys for kernels that are not Linux
 * (docs/bls.md). Pure; tested on the host. */
#ifndef BLS_ENTRY_H
#define BLS_ENTRY_H

#include <stdbool.h>
#include <stddef.h>

#include "bls/boot_count.h"
#include "core/options.h"
#include "lib/diag.h"

#define BLS_MAX_MODULES 16

/* A warning about a line that is ignored (an unknown key, say). */
typedef void (*bls_warn_fn)(void *ctx, const char *msg);

struct bls_entry {
	const char *id;   /* the file name without its counter (bls_count_strip),
			   * as the Boot Loader Interface names the entry */
	const char *file; /* the path, for messages */
	const char *title, *version, *machine_id, *sort_key;
	struct bls_count count; /* the file name's: bls_count_parse() after
				 * bls_parse_entry(), which clears it */
	const char *architecture; /* NULL: any */
	const char *kernel;       /* 'linux', 'efikexec-kernel', 'uki', 'efi'
				   * or 'uki-url' (a path or a URL) */
	struct pin kernel_pin;    /* the kernel's "#sha256=", taken off it */
	unsigned kernel_line;
	bool uki;                 /* a unified kernel image: 'uki', 'uki-url',
				   * or a Type #2 entry */
	bool beside_loader;       /* 'uki-url :NAME': kernel is NAME, a file
				   * beside the boot loader's own URL */
	const char *format;       /* "linux" for 'linux'; NULL: detect */
	const char *initrd[OPT_MAX_INITRDS];
	struct pin initrd_pin[OPT_MAX_INITRDS];
	unsigned initrd_line[OPT_MAX_INITRDS];
	size_t ninitrd;
	struct opt_module module[BLS_MAX_MODULES];
	unsigned module_line[BLS_MAX_MODULES];
	size_t nmodule;
	const char *devicetree;   /* installed as the firmware's devicetree
				   * table (efi/devicetree.h); NULL: none */
	unsigned devicetree_line;
	const char *options;      /* all 'options' lines, joined by spaces */
	const char *embedded_options; /* a Type #2 entry's own .cmdline, where
				       * the menu's editor starts; NULL: none */
	unsigned profile;         /* a Type #2 entry's profile of its image
				   * (systemd 257), "@N " before its options */
	enum flush_policy flush;
	struct diag broken;       /* code != 0: why the entry cannot boot */
};

/* Parses the entry text[0, len) (changed in place; text[len] writable).
 * `scratch` must hold len + 1 bytes; the entry points into both. Problems
 * with single lines that can be ignored go to warn; one that makes the
 * entry unbootable is recorded in e->broken, naming the file and line,
 * and returned. */
int bls_parse_entry(char *text, size_t len, char *scratch, const char *id,
		    const char *file, struct bls_entry *e, bls_warn_fn warn,
		    void *ctx);

/* Whether the entry is for this machine: no 'architecture', or "x64"
 * (the EFI name, compared without regard to case). */
bool bls_entry_for_x64(const struct bls_entry *e);

/* The menu's titles, made unique as systemd-boot makes them: each
 * entry's title (its id when it has none); where two are the same, the
 * version in brackets added to each of them that has one; where some are
 * still the same, the first 8 characters of the machine-id; then the id.
 * title[i] is v[i]'s (cut to BLS_TITLE_MAX - 1 bytes); `same` holds n
 * flags the work needs. */
#define BLS_TITLE_MAX 128
void bls_titles(struct bls_entry *const *v, size_t n,
		char (*title)[BLS_TITLE_MAX], bool *same);

/* Whether systemd-boot appends the SMBIOS OEM string
 * io.systemd.boot.kernel-cmdline-extra to the entry's options (256 on:
 * its LOADER_LINUX entries, those with a 'linux' line). */
bool bls_entry_takes_smbios(const struct bls_entry *e);

/* The command-line options that boot the entry. */
void bls_entry_options(const struct bls_entry *e, struct options *o);

#endif
