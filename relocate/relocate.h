/* Executing a plan: the trampoline's control area.
 *
 * The area holds a copy of the trampoline code, its parameter block and its
 * stack. It is allocated and filled before ExitBootServices and kept out of
 * every destination by the plan; after ExitBootServices the only thing left
 * to do is relocate_jump(). */
#ifndef RELOCATE_RELOCATE_H
#define RELOCATE_RELOCATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "relocate/plan.h"

struct reloc_params;

/* Bytes the control area needs (a multiple of the page size). The code
 * has pages of its own, which nothing writes once relocate_prepare()
 * copied it: the parameters and the stack follow on the next page. */
size_t relocate_area_size(void);

/* Memory that efikexec runs outside its own image while the firmware's
 * page tables are in force, and the attributes it needs there under
 * firmware that maps memory no-execute (docs/secure-boot.md, "NX"):
 * `clear` (EFI_MEMORY_XP) before it runs, then `set` (EFI_MEMORY_RO) on
 * what is no longer written. Page-aligned. */
struct mem_protect {
	const char *what;
	uint64_t base;
	uint64_t size;
	uint64_t clear; /* MEM_ATTR_* (mm/memmap.h) */
	uint64_t set;
};

#define RELOCATE_MAX_PROTECT PLAN_MAX_SEGMENTS

/* The ranges for a plan and its prepared area, into out (room for
 * RELOCATE_MAX_PROTECT); returns how many:
 *  - the trampoline's code pages in the area: executable, then read-only
 *    (it runs on the firmware's page tables until it loads the plan's
 *    identity map, and writes only to its parameters and stack);
 *  - with ENTRY_EFI64, instead, the kernel's segments, which it runs on
 *    the firmware's page tables: executable, not read-only (the copy
 *    writes them, and the kernel its own data in them). No trampoline
 *    runs then.
 * Nothing for the APs' park code: they run it in real mode, paging off
 * (cpu/park_code.asm), where no page attribute applies. */
size_t relocate_protections(const void *area, const struct plan *p,
			    struct mem_protect *out);

/* Copies the trampoline into `area` and fills its parameters from the plan;
 * cr3 is the identity map to run on. Touches nothing but the area. */
void relocate_prepare(void *area, const struct plan *p, uint64_t cr3);

/* Makes the prepared trampoline raise #UD as soon as its fault handlers
 * are in place: a check that a fault after ExitBootServices is reported
 * (--fault-test). */
void relocate_test_fault(void *area);

/* Has the trampoline write the TSC to stamps[0] once the segments are
 * copied and to stamps[1] just before the jump (the handoff record's last
 * two stamps). */
void relocate_set_stamps(void *area, uint64_t *stamps);

/* --verify: takes the SHA-256 of every segment's bytes where they are
 * now, and has the trampoline check its copies against them before the
 * jump, as kexec-tools' purgatory does: a device still doing DMA after
 * ExitBootServices may have written over them. On a mismatch it reports
 * the segment and both digests on COM1 and halts. With `test` it first
 * inverts the first byte of the first segment's destination, for the
 * check to find (--verify-test). The check runs relocate_digest() in
 * efikexec's own image: the plan must keep that. */
void relocate_set_verify(void *area, bool test);

/* The SHA-256 of each segment's copied bytes: with now NULL, at its source
 * into its record (relocate_set_verify); else at its destination into now,
 * compared with the record (the trampoline, with params.now). Returns the
 * index of the first segment whose digest differs from its record, or
 * -1. */
int relocate_digest(struct reloc_params *rp, uint8_t *now);

/* Enters the trampoline in a prepared area: copies the segments, flushes
 * the cache if the plan says so and jumps to the kernel. */
_Noreturn void relocate_jump(void *area);

/* Executes an ENTRY_EFI64 plan with boot services still running: copies
 * and zero-fills every segment here and now (its destinations are memory
 * efikexec owns), writes the TSC to stamps[0] then (the copy done) and to
 * stamps[1] just before the jump when stamps is not NULL, as the
 * trampoline does, and jumps to the kernel with its RAX and RBX, on the firmware's paging, GDT, IDT and interrupt state. No
 * cache flush and no parking: the kernel exits boot services and owns the
 * other CPUs from then on. */
_Noreturn void relocate_enter_efi64(const struct plan *p, uint64_t *stamps);

#endif
