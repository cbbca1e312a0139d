/* What a kernel format does: turn an image, its modules and a command line
 * into a plan plus the boot information the kernel expects.
 *
 * A format never calls the firmware. The boot sequence
 * (core/boot_sequence.c) drives it:
 *   detect()  whether the image carries the format's header: without
 *             --format, the first format of boot/formats.c that detects
 *             it boots it;
 *   parse()   headers -> kernel_layout (where the image wants to go, how its
 *             modules must be placed);
 *             the sequence places the image, loads the modules;
 *   prepare() boot information in memory from ctx->alloc, the entry state,
 *             ranges to keep (all into ctx->plan);
 *             the sequence validates the plan, and the front end leaves
 *             the machine (ExitBootServices under UEFI);
 *   finish()  the parts that depend on the final memory map. It runs after
 *             the point of no return, so it cannot fail and must not
 *             allocate. */
#ifndef BOOT_FORMAT_H
#define BOOT_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "boot/platform.h"
#include "cpu/cpus.h"
#include "lib/diag.h"
#include "mm/alloc.h"
#include "mm/memmap.h"
#include "mm/place.h"
#include "relocate/plan.h"

#define LAYOUT_MAX_SEGS 16

/* A part of the image file that goes to memory, at its link address. */
struct image_seg {
	const char *what;
	uint64_t offset; /* in the file */
	uint64_t filesz;
	uint64_t addr;   /* link (preferred) physical address */
	uint64_t memsz;
	uint64_t align;  /* the destination's required alignment, 0: none */
	bool zero_fill;  /* zero [filesz, memsz) */
};

/* How a format wants its initrds / modules loaded. */
struct module_policy {
	uint64_t soft_max; /* highest last byte to try first */
	uint64_t hard_max; /* highest last byte at all */
	bool concatenate;  /* one region, each file padded to 4 bytes */
};

struct kernel_layout {
	struct image_seg seg[LAYOUT_MAX_SEGS];
	size_t nseg;
	/* Where the span of all segments may go. place.pref is the lowest
	 * link address; the image moves as a whole. */
	struct place_req place;
	uint64_t entry; /* at link addresses */
	struct module_policy modules;
	/* The kernel exits boot services itself (Multiboot2 §3.1.8-3.1.12):
	 * the plan's entry is ENTRY_EFI64 at efi64_entry, place.now_only is
	 * set, and the front end parks no CPU and copies the segments before
	 * the jump. On a machine without boot services (platform.h) the boot
	 * sequence clears it, and the kernel is entered at `entry`, unless it
	 * requires them. */
	bool boot_services;
	bool boot_services_required;
	uint64_t efi64_entry; /* at link addresses */
};

/* A file loaded for the kernel, in memory that is already its destination. */
struct module {
	const char *path;
	const char *args; /* the module's string, "" when none */
	uint64_t addr;
	uint64_t size;
};

/* What is known only after ExitBootServices: the final firmware memory
 * map, and the flags word once the APs are parked. */
struct final_state {
	const struct memmap *map;
	uint64_t raw_addr; /* the GetMemoryMap() buffer itself */
	uint64_t raw_size;
	uint32_t desc_size;
	uint32_t desc_version;
	uint32_t flags;
	uint64_t tsc_hz;
	const uint64_t *stamps; /* HANDOFF_STAMPS entries (boot/handoff_record.h) */
	const uint64_t *detail; /* HANDOFF_DETAILS entries */
};

#define BOOT_STATE_SIZE 128

struct efikexec_handoff;

struct boot_ctx {
	const uint8_t *image;
	size_t image_size;
	const struct kernel_layout *layout;
	uint64_t delta; /* placed base minus layout->place.pref */
	const char *cmdline;
	const struct module *modules;
	size_t nmodules;
	const struct platform *platform;
	/* The CPUs; parking marks their state before finish(). */
	const struct cpu_list *cpus;
	size_t max_map_entries; /* most descriptors the final map can have */
	size_t max_map_bytes;   /* most bytes the final raw map can have */
	struct allocator *alloc;
	struct plan *plan;
	/* Where finish() put the handoff record (NULL: the format has
	 * none): the trampoline completes its stamps. */
	struct efikexec_handoff *handoff;
	/* The format's own state, from prepare() to finish(). */
	_Alignas(16) unsigned char state[BOOT_STATE_SIZE];
};

/* A kernel format: its name and what the boot sequence calls for it (see
 * the top of this file). Each format defines its own (boot/linux.c,
 * ...); boot/formats.c lists them all, and a new format joins by adding
 * itself to that list. */
struct boot_format {
	const char *name; /* for --format, efikexec-format and messages */
	/* parse() reads no byte of the image past the first `head` (0: it
	 * may read any): the boot sequence then reads the rest of the file
	 * once it is placed, straight to its destination when the layout is
	 * the file as it is from some offset on (core/boot_sequence.c) */
	uint32_t head;
	/* The kernel is a PE image that can carry a signature: under Secure
	 * Boot no other kind is booted (efi/secure_boot_check.c). */
	bool signed_pe;
	/* What booting this format gives up, said under -v (NULL: nothing) */
	const char *note;
	bool (*detect)(const uint8_t *img, size_t size);
	int (*parse)(const uint8_t *img, size_t size, struct kernel_layout *out,
		     struct diag *d);
	int (*prepare)(struct boot_ctx *ctx, struct diag *d);
	void (*finish)(struct boot_ctx *ctx, const struct final_state *fs);
};

/* The first format whose signature the image carries, or NULL. */
const struct boot_format *format_detect(const uint8_t *img, size_t size);
/* The format called `name`, or NULL. */
const struct boot_format *format_by_name(const char *name);
/* Every format's name, comma-separated, for messages. */
const char *format_names(void);

/* Helpers every format uses (boot/format_helpers.c). */

/* Memory for boot information: allocated through ctx->alloc below max_addr
 * and kept intact by the plan; the kernel's memory map shows it as RAM. */
void *boot_alloc(struct boot_ctx *ctx, const char *what, uint64_t size,
		 uint64_t max_addr, struct diag *d);
/* The same, shown as reserved: for what the kernel must leave alone. */
void *boot_alloc_reserved(struct boot_ctx *ctx, const char *what,
			  uint64_t size, uint64_t max_addr, struct diag *d);

/* The bytes the command line and the modules' strings take with their
 * NULs: the room boot_put_string() needs for them. */
size_t boot_strings_size(const struct boot_ctx *ctx);

/* Copies s to *area, advances *area past its NUL and returns where it
 * went: for packing strings behind boot information. */
uint64_t boot_put_string(char **area, const char *s);

/* Whether addr, a link address, lies inside one of the layout's segments:
 * where an entry point must be. A format checks the entry it will use with
 * it, so that an image plan_validate() would refuse at the end is refused
 * at parse() with the format's own words. */
bool layout_holds(const struct kernel_layout *l, uint64_t addr);

/* Adds the image's segments (at their placed addresses) and one in-place
 * segment per module to the plan. */
int boot_add_segments(struct boot_ctx *ctx, struct diag *d);

#endif
