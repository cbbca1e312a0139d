/* A simulated machine for the format fuzzers: the third implementation of
 * the machine interface (core/machine.h), so that they run the very boot
 * sequence both front ends ship (core/boot_sequence.c). It has a firmware
 * memory map whose addresses are real host addresses (a region reserved
 * below 2 GiB, where AddressSanitizer leaves room), an allocator over it
 * that takes pages out of the map as AllocatePages does, and two module
 * files. Destinations beyond the region are only planned, never written,
 * as before ExitBootServices. */
#ifndef FUZZ_SIMULATED_MACHINE_H
#define FUZZ_SIMULATED_MACHINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "boot/format.h"
#include "core/session.h"
#include "lib/diag.h"
#include "relocate/relocate.h"

/* Boots data (the file "kernel") as fmt (NULL: --format auto) through
 * boot_sequence() in the session s, with two modules ("m1", "m2": initrds
 * for Linux and for auto) and this command line, up to the
 * point of no return; machine_leave() then runs the format's finish()
 * against the final map. A parse or preparation that fails is fine (the user gets the
 * error); a plan that fails validation after everything succeeded aborts,
 * and so does anything the sanitizers catch. Returns 0 when the machine
 * was left (s holds the plan), else the error, described in *d. */
int machine_boot(struct session *s, const struct boot_format *fmt,
		 const uint8_t *data, size_t size, const char *cmdline,
		 struct diag *d);

/* Whether the simulated firmware's boot services are running, as under
 * the UEFI front end (the default), or gone, as under the Multiboot one. */
extern bool simulated_boot_services;

/* Boots with --verify (off by default). */
extern bool simulated_verify;

/* What the last boot asked machine_protect() for. */
extern struct mem_protect simulated_protected[RELOCATE_MAX_PROTECT];
extern size_t simulated_nprotected;

/* The Secure Boot state the platform reports (SECURE_BOOT_UNSET, off, by
 * default). The simulated firmware accepts every signature
 * (core/plain_machine.c): what is tested is the boot sequence's own
 * decisions under Secure Boot. */
extern enum secure_boot_mode simulated_secure_boot;

/* The "#sha256=" pins of the kernel, m1 and m2 (none by default). */
extern struct pin simulated_pins[3];

/* Whether a kernel of no format given (NULL) is given m1 and m2 as
 * initrds (the default), or nothing */
extern bool simulated_no_initrds;

/* The files of the directory "kernel.extra.d" beside the kernel, which
 * exists when there are any (none by default); file_open() takes them as
 * "kernel.extra.d\NAME", but not one without data (it cannot be read). */
struct simulated_file {
	const char *name;
	const void *data;
	size_t size;
};
extern struct simulated_file simulated_extra_d[16];
extern size_t simulated_nextra_d;

/* The SMBIOS structure table the platform reports (none by default). */
extern const uint8_t *simulated_smbios;
extern size_t simulated_smbios_size;

/* Gives the simulated machine's memory back to the host (the unit tests'
 * other allocators want the low 2 GiB). */
void machine_unreserve(void);

#endif
