/* The block of data the relocation trampoline reads: the one layout shared
 * between C and relocate/trampoline.asm. The build generates the assembler's
 * offsets (build/gen/layout.inc) from this header with offsetof, so
 * the two cannot drift apart. */
#ifndef RELOCATE_RELOC_PARAMS_H
#define RELOCATE_RELOC_PARAMS_H

#include <stddef.h>
#include <stdint.h>

#include "lib/sha256.h"
#include "relocate/plan.h"

struct reloc_seg {
	uint64_t src;  /* copy `copy` bytes from src to dst (skipped if equal) */
	uint64_t dst;
	uint64_t copy;
	uint64_t zero; /* then zero this many bytes after them */
	/* --verify: the SHA-256 of the `copy` bytes at src before
	 * ExitBootServices (relocate_set_verify) */
	uint8_t sha256[SHA256_SIZE];
};

/* Exceptions 0-31 go to the trampoline's fault stubs, FAULT_STUB_SIZE
 * bytes each from reloc_fault_stubs, which print the vector, error code
 * and RIP on COM1 and halt (Intel SDM Vol. 3A §6.14.1: a 64-bit interrupt
 * gate). */
#define FAULT_VECTORS 32

/* The trampoline's GDT selectors (trampoline.asm builds the GDT, its IDT
 * gates use the code selector). Linux boot.rst "64-bit Boot Protocol"
 * requires __BOOT_CS = 0x10 and __BOOT_DS = 0x18, both flat; the Multiboot
 * specifications want flat 32-bit code and data segments. */
#define RELOC_SEL_CODE64 0x10
#define RELOC_SEL_DATA 0x18
#define RELOC_SEL_CODE32 0x20
#define FAULT_STUB_SIZE 4
#define IDT_GATE_INTERRUPT 0x8e /* present, DPL 0, 64-bit interrupt gate */

struct idt_gate {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t ist;
	uint8_t type;
	uint16_t offset_mid;
	uint32_t offset_hi;
	uint32_t reserved;
};

/* CR4.MCE (Intel SDM Vol. 3A §2.5). A TDX guest runs with it set and may
 * not clear it (Linux's relocate_kernel_64.S keeps it there alone). */
#define RELOC_CR4_MCE (1ull << 6)

struct reloc_params {
	uint64_t cr3;         /* the identity map to switch to */
	uint64_t mode;        /* enum entry_mode */
	uint64_t stack_top;   /* the trampoline's own stack */
	uint64_t cache_flush; /* nonzero: WBINVD after the last copy */
	uint64_t entry;       /* where to jump */
	uint64_t rax, rbx, rsi, rdi; /* the kernel's registers; others zero */
	uint64_t fault_test;  /* nonzero: raise #UD once the IDT is loaded */
	uint64_t stamp_addr;  /* nonzero: where to write the TSC after the
			       * copies, and 8 bytes on, at the jump */
	uint64_t cr4_keep;    /* CR4 bits kept (where set) beside PAE and
			       * LA57, which the trampoline keeps itself:
			       * RELOC_CR4_MCE in a TDX guest, else 0. Never
			       * PAE or LA57: the 32-bit exit masks CR4 with it */
	uint64_t verify;      /* nonzero: relocate_digest() in efikexec's
			       * image, which the trampoline calls after its
			       * copies (--verify) */
	uint64_t verify_flip; /* nonzero: a byte to invert before that call,
			       * for the check to find (--verify-test) */
	uint8_t now[SHA256_SIZE]; /* what that call leaves for the report */
	/* the operand of LGDT, which the trampoline fills in: here rather
	 * than beside its GDT, whose page is read-only by then */
	uint8_t gdtr_pad[6];
	uint16_t gdt_limit;
	uint64_t gdt_base;
	uint8_t idtr_pad[6];
	uint16_t idt_limit;   /* with idt_base: the operand of LIDT */
	uint64_t idt_base;
	struct idt_gate idt[FAULT_VECTORS];
	uint64_t nseg;
	struct reloc_seg seg[PLAN_MAX_SEGMENTS];
};

_Static_assert(sizeof(struct reloc_seg) == 64, "reloc_seg");
_Static_assert(sizeof(struct idt_gate) == 16, "idt_gate");
_Static_assert(offsetof(struct idt_gate, type) == 5, "idt_gate.type");
_Static_assert(offsetof(struct idt_gate, offset_mid) == 6 &&
		       offsetof(struct idt_gate, offset_hi) == 8,
	       "idt_gate: trampoline.asm writes offset 63:16 at once");
_Static_assert(offsetof(struct reloc_params, idt_base) % 8 == 0 &&
		       offsetof(struct reloc_params, idt_base) ==
			       offsetof(struct reloc_params, idt_limit) + 2,
	       "LIDT operand");
_Static_assert(offsetof(struct reloc_params, gdt_base) % 8 == 0 &&
		       offsetof(struct reloc_params, gdt_base) ==
			       offsetof(struct reloc_params, gdt_limit) + 2,
	       "LGDT operand");
_Static_assert(offsetof(struct reloc_params, cr3) == 0, "cr3");
_Static_assert(offsetof(struct reloc_params, seg) % 8 == 0, "seg alignment");
_Static_assert(sizeof(struct reloc_params) ==
		       184 + FAULT_VECTORS * sizeof(struct idt_gate) +
			       PLAN_MAX_SEGMENTS * sizeof(struct reloc_seg),
	       "reloc_params");

/* Every field the assembler uses, as (name, offset) pairs for the generator. */
#define RELOC_PARAMS_FIELDS(X)                                  \
	X(RP_CR3, offsetof(struct reloc_params, cr3))           \
	X(RP_MODE, offsetof(struct reloc_params, mode))         \
	X(ENTRY_PROT32, ENTRY_PROT32)                           \
	X(RP_STACK_TOP, offsetof(struct reloc_params, stack_top)) \
	X(RP_CACHE_FLUSH, offsetof(struct reloc_params, cache_flush)) \
	X(RP_ENTRY, offsetof(struct reloc_params, entry))       \
	X(RP_RAX, offsetof(struct reloc_params, rax))           \
	X(RP_RBX, offsetof(struct reloc_params, rbx))           \
	X(RP_RSI, offsetof(struct reloc_params, rsi))           \
	X(RP_RDI, offsetof(struct reloc_params, rdi))           \
	X(RP_FAULT_TEST, offsetof(struct reloc_params, fault_test)) \
	X(RP_STAMP_ADDR, offsetof(struct reloc_params, stamp_addr)) \
	X(RP_CR4_KEEP, offsetof(struct reloc_params, cr4_keep)) \
	X(RP_VERIFY, offsetof(struct reloc_params, verify))     \
	X(RP_VERIFY_FLIP, offsetof(struct reloc_params, verify_flip)) \
	X(RP_NOW, offsetof(struct reloc_params, now))           \
	X(RP_GDTR, offsetof(struct reloc_params, gdt_limit))    \
	X(RP_IDTR, offsetof(struct reloc_params, idt_limit))    \
	X(RP_IDT, offsetof(struct reloc_params, idt))           \
	X(IDT_GATE_INTERRUPT, IDT_GATE_INTERRUPT)               \
	X(IDT_GATE_SIZE, sizeof(struct idt_gate))               \
	X(FAULT_STUB_SIZE, FAULT_STUB_SIZE)                     \
	X(SEL_CODE64, RELOC_SEL_CODE64)                         \
	X(SEL_DATA, RELOC_SEL_DATA)                             \
	X(SEL_CODE32, RELOC_SEL_CODE32)                         \
	X(FAULT_VECTORS, FAULT_VECTORS)                         \
	X(RP_NSEG, offsetof(struct reloc_params, nseg))         \
	X(RP_SEG, offsetof(struct reloc_params, seg))           \
	X(RS_SRC, offsetof(struct reloc_seg, src))              \
	X(RS_DST, offsetof(struct reloc_seg, dst))              \
	X(RS_COPY, offsetof(struct reloc_seg, copy))            \
	X(RS_ZERO, offsetof(struct reloc_seg, zero))            \
	X(RS_SHA256, offsetof(struct reloc_seg, sha256))        \
	X(RS_SIZE, sizeof(struct reloc_seg))

#endif
