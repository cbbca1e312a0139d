/* What a front end gives the boot sequence (core/boot_sequence.c).
 *
 * The sequence (read, choose the format, parse, place, plan, check) is pure
 * code; everything it needs from the machine it gets through these
 * functions, which exactly one front end defines at link time:
 *   efi/        UEFI boot services (build/efikexec.efi);
 *   mb/         the Multiboot information, efikexec's own page allocator
 *               over its memory map (build/efikexec.mb);
 *   test/fuzz/  a simulated machine (the fuzzers, the unit tests).
 * A front end says how to get memory, files, the memory map and platform
 * facts; it never re-implements a step of the sequence.
 *
 * Pointers are physical addresses: UEFI runs identity mapped (UEFI 2.10
 * §2.3.4), efikexec.mb builds its own identity map, and the simulated
 * machine maps its arena at the addresses it hands out. */
#ifndef CORE_MACHINE_H
#define CORE_MACHINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "boot/format.h"
#include "boot/platform.h"
#include "cpu/cpus.h"
#include "cpu/facts.h"
#include "lib/diag.h"
#include "lib/range.h"
#include "mm/alloc.h"
#include "mm/memmap.h"
#include "relocate/relocate.h"

struct session;

/* --- Memory ------------------------------------------------------------ */

enum page_use {
	PAGES_DATA,     /* EfiLoaderData */
	PAGES_FILE,     /* EfiLoaderData, not zeroed: a file is read over it */
	PAGES_CODE,     /* EfiLoaderCode: executable under firmware NX policies */
	PAGES_RESERVED, /* EfiReservedMemoryType: the next kernel keeps off */
	PAGES_ACPI_RECLAIM, /* EfiACPIReclaimMemory: kept until the OS read it */
};

/* Zeroed pages (but for PAGES_FILE) whose last byte is at or below
 * max_addr (UINT64_MAX: any); NULL when there are none. */
void *pages_alloc(uint64_t size, uint64_t max_addr, enum page_use use);

/* Takes [base, base + size) at exactly that address; it must be free now. */
int pages_claim(uint64_t base, uint64_t size, struct diag *d);

/* Gives each range the attributes it asks for (relocate_protections():
 * executable, then read-only) where the firmware can set them
 * (EFI_MEMORY_ATTRIBUTE_PROTOCOL); 0 where it cannot, or where there is
 * no firmware whose page tables apply (efikexec.mb). Fails, naming the
 * range, when the firmware refuses. */
int machine_protect(const struct mem_protect *r, size_t n, struct diag *d);

/* A point in the record of allocations: pages_release(mark) frees,
 * newest first, everything taken after it; pages_release(0) everything. */
size_t pages_mark(void);
void pages_release(size_t mark);

/* The memory map as the machine has it now. `raw` is the map in the form
 * the next kernel may be handed (EFI memory descriptors; NULL when the
 * machine has none); `map` the same, parsed and sorted. */
struct fw_map {
	void *raw;          /* kept: Linux reads the final map from it */
	size_t raw_cap;     /* bytes */
	size_t raw_size;    /* bytes of the last map read */
	uintptr_t key;      /* the front end's own (EFI: the map key) */
	size_t desc_size;
	uint32_t desc_version;
	struct memmap map;
};

/* Allocates the buffers, with room for the map to grow by the allocations
 * still to come. */
int fw_map_init(struct fw_map *m, struct diag *d);

/* Reads the current map into the buffers (no allocation). */
int fw_map_read(struct fw_map *m, struct diag *d);

/* --- Files ------------------------------------------------------------- */

struct open_file {
	const char *what; /* "kernel", "initrd", "module" */
	const char *path;
	uint64_t size;
	void *handle;     /* the front end's */
};

/* Opens the file `path` names (a path on a volume under UEFI, a module's
 * name under Multiboot). Fails for a missing or empty file, naming `what`
 * and the path. */
int file_open(struct open_file *f, const char *what, const char *path,
	      struct diag *d);

/* Where the file's bytes already are in memory, to be used where they are
 * (efikexec.mb's modules: the loader read them), or NULL when they must be
 * read (UEFI). They stay intact until the point of no return. */
const void *file_in_memory(const struct open_file *f);

/* Reads n bytes at offset into buf, leaving the file open. */
int file_read_at(struct open_file *f, uint64_t offset, void *buf, size_t n,
		 struct diag *d);

/* Reads the file from byte `from` to its end, each byte k to buf + k,
 * and closes it. `from` is where the file stands: 0 on a file just
 * opened, the end of the last file_read_at() after one (the rest of a
 * file behind its head). */
int file_read_from(struct open_file *f, uint64_t from, void *buf,
		   struct diag *d);

void file_close(struct open_file *f);

typedef void (*file_name_fn)(void *ctx, const char *name, uint64_t size);

/* Calls each() with the name (UTF-8) and size of every file, not
 * directory, in the directory at path (as file_open() takes it); `what`
 * names it in messages. Fails with ERR_NOT_FOUND when there is no such
 * directory (a machine without directories has none). */
int file_list_dir(const char *what, const char *path, file_name_fn each,
		  void *ctx, struct diag *d);

/* --- Platform ---------------------------------------------------------- */

/* ACPI, framebuffer, EFI system table, paging mode, Secure Boot state. */
void platform_gather(struct platform *p);

/* The CPUs' features and memory-encryption state (cpu/facts.h). */
void machine_cpu_facts(struct cpu_facts *f);

/* The processors: the BSP first or anywhere, exactly one marked CPU_BSP.
 * *source says where the list came from, for messages. */
int cpus_enumerate(uint64_t acpi_rsdp, uint32_t bsp_apic_id,
		   struct cpu_list *out, const char **source, struct diag *d);

/* With Secure Boot on, whether this very buffer may boot (0) or not; a
 * machine without Secure Boot accepts everything. On a dry run it checks
 * nothing that would extend a PCR (the firmware's verifiers measure what
 * they verify), and says what it left unchecked. */
int secure_boot_check(const struct boot_format *fmt, const char *path,
		      const uint8_t *image, size_t size, bool dry_run,
		      struct diag *d);

/* Starts the EFI application `image` (read from path) with the load
 * options `options` and returns once it has returned: 0 when it returned
 * success, an error naming its status otherwise, or why it could not be
 * started. The firmware decides about Secure Boot. */
int machine_start_app(const char *path, const uint8_t *image, size_t size,
		      const char *options, struct diag *d);

/* Where efikexec's own image lies in memory, zeroed data included: with
 * --verify the trampoline runs its code after the copies, so the plan
 * keeps it out of every destination. */
struct range machine_image(void);

/* --- Leaving ----------------------------------------------------------- */

/* Once every check passed and before the point of no return: measured
 * boot and anything the machine publishes about the boot that happens. */
void machine_commit(struct session *s);

/* Undoes machine_commit()'s effects that must not outlive a boot that
 * did not happen (it is called for every attempt that returns). */
void machine_abandon(void);

/* Leaves the machine (ExitBootServices under UEFI) and hands over: on a
 * real machine it returns only with an error, while nothing has changed
 * yet. The simulated machine runs the formats' finish() and returns 0. */
int machine_leave(struct session *s, struct diag *d);

#endif
