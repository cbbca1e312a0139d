/* The kexec model: a plan is a list of segments (a source buffer to copy
 * to a destination physical range), the ranges that must survive the
 * copies, and the CPU state to enter the next kernel with.
 *
 * Formats in boot/ build plans; relocate/ executes any valid plan and knows
 * no format. Every rule the trampoline relies on is checked here, on the
 * host-testable side, before ExitBootServices. */
#ifndef RELOCATE_PLAN_H
#define RELOCATE_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/diag.h"
#include "mm/memmap.h"

#define PLAN_MAX_SEGMENTS 64
#define PLAN_MAX_KEEP 64

struct segment {
	const char *what; /* "kernel", "initrd", ... for messages */
	uint64_t src;     /* physical address of the bytes; == dst: in place */
	uint64_t bufsz;   /* bytes to copy from src */
	uint64_t dst;     /* destination physical address */
	uint64_t memsz;   /* destination bytes the segment owns (>= bufsz) */
	uint64_t align;   /* dst must be a multiple of this (0: none) */
	bool zero_fill;   /* zero [dst + bufsz, dst + memsz) */
};

/* Something that must be intact when the trampoline jumps: boot
 * information, the trampoline's own page, its stack and page tables. */
struct keep {
	const char *what;
	uint64_t base;
	uint64_t size;
};

enum entry_mode {
	ENTRY_LONG64, /* 64-bit mode on the plan's identity map */
	ENTRY_PROT32, /* 32-bit protected mode, paging off (Multiboot) */
	/* 64-bit mode as the firmware runs an application, boot services
	 * still up: the kernel exits them itself (Multiboot2 §3.5). No
	 * trampoline: relocate_enter_efi64() copies and jumps at once. */
	ENTRY_EFI64,
};

/* The CPU state at the jump. Registers not listed are zero. */
struct entry_state {
	enum entry_mode mode;
	uint64_t rip;
	uint64_t rax, rbx, rsi, rdi;
};

struct plan {
	const char *format;
	struct segment seg[PLAN_MAX_SEGMENTS];
	size_t nseg;
	struct keep keep[PLAN_MAX_KEEP];
	size_t nkeep;
	struct entry_state entry;
	uint32_t flags;   /* the efikexec flags word handed to the kernel */
	bool flush_cache; /* WBINVD on the boot CPU after the last copy */
	uint64_t map_top; /* the trampoline's identity map covers [0, map_top) */
};

int plan_add_segment(struct plan *p, const struct segment *s, struct diag *d);
int plan_add_keep(struct plan *p, const char *what, uint64_t base,
		  uint64_t size, struct diag *d);

/* Checks every rule the trampoline depends on:
 *  - each segment is well formed (bufsz <= memsz, no wrap, aligned);
 *  - destinations do not overlap each other;
 *  - every destination is memory that is free once boot services are gone;
 *  - no source of a copied segment and no kept range overlaps any
 *    destination (an in-place segment's source is its destination);
 *  - everything lies inside the identity map;
 *  - the entry point lies inside a segment. */
int plan_validate(const struct plan *p, const struct memmap *m,
		  struct diag *d);

/* Writes a human-readable description of the plan, one line per call. */
void plan_describe(const struct plan *p,
		   void (*line)(void *ctx, const char *text), void *ctx);

#endif
