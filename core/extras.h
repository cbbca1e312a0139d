/* What systemd-stub hands the initrd under /.extra besides a unified
 * kernel image's own initrd (boot/systemd_stub.h): efikexec makes the
 * same cpio archives (boot/cpio.h), from the image's sections and from
 * the files beside it, so that they reach the initrd, and are measured,
 * as under the stub. */
#ifndef CORE_EXTRAS_H
#define CORE_EXTRAS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "boot/systemd_stub.h"
#include "boot/uki.h"

struct extra_archive {
	enum stub_extra_id id;
	const char *name; /* where its files go: ".extra/credentials" */
	const uint8_t *data;
	size_t size;
	uint8_t pcr; /* 0: not measured */
	const char *description;
};

/* A section of an add-on that the stub measures as a tagged event named
 * by the add-on (boot/systemd_stub.h: STUB_*_ADDON_EVENT_TAG): a devicetree it
 * installs (.dtb), or an archive it hands the kernel with the image's
 * initrds (.ucode, .initrd) */
struct addon_part {
	enum uki_section_id section;
	const char *name; /* the add-on's file name */
	const uint8_t *data;
	uint32_t size;
};

/* What the stub measures into its command line's PCR besides its
 * archives, in its order: the parts of the command line, each as a
 * command line given to it, before the archives; the add-ons'
 * devicetrees before them or after them (addon_dtbs_first); the
 * add-ons' microcode and then their initrds after them. */
struct stub_lines {
	const char *given;     /* the line given in place of the image's
				* own (NULL: the image's own was booted) */
	const char *addons[2]; /* the add-ons' lines (stub_addon_lines()) */
	size_t naddons;
	const char *smbios;    /* io.systemd.stub.kernel-cmdline-extra
				* (NULL: none) */
	unsigned profile;      /* the image's profile booted (stub_profile()) */
	/* the parts of the add-ons taken, of each section in the order
	 * the stub loads and measures them: .ucode in the reverse of the
	 * add-ons' order (the image's add-ons', then the global ones', each
	 * last first: the kernel takes the first microcode it finds), the
	 * others in it (the global add-ons', then the image's) */
	const struct addon_part *parts;
	size_t nparts;
};

/* The add-ons the stub `r` loads for the image u (its bytes at file,
 * read from path): each one its directories hold (stub_addon_dirs()) in
 * its order, verified as the image is under Secure Boot
 * (secure_boot_check(), dry_run as there), then taken or not as
 * stub_addon_check() says. l->addons gets the lines it appends after the
 * one it boots and measures (stub_addon_lines()), l->naddons how many;
 * l->parts the sections it measures and takes from them: each taken
 * add-on's .dtb, .ucode and .initrd that r takes, l->nparts how many.
 * An add-on that cannot be read, is refused or is not taken is left out
 * with a warning, as the stub leaves it out; of one with a devicetree, a
 * warning that efikexec measures it but installs no add-on's
 * devicetree. */
void extras_addons(const char *path, const uint8_t *file, const struct uki *u,
		   const struct stub_release *r, bool dry_run,
		   struct stub_lines *l);

/* The archives the stub `r` makes for the image u (its bytes at file,
 * read from path), in its order, into out; returns how many. A set
 * whose directory cannot be read, or a file that cannot be, is left out
 * with a warning, as the stub leaves it out. */
size_t extras_make(const char *path, const uint8_t *file, const struct uki *u,
		   const struct stub_release *r, struct extra_archive out[EXTRA_N]);

#endif
