/* Probe kernels: tiny kernels, one per boot format, that check on entry
 * everything a boot loader promised and report it on COM1, then end QEMU
 * through isa-debug-exit. The same C runs in 32-bit protected mode
 * (Multiboot 1 and 2) and in 64-bit mode (ELF64, Linux).
 *
 * Output, one line each: "probe: KEY=VALUE" for facts a test compares,
 * "probe: ok: WHAT" / "probe: FAIL: WHAT" for checks, and finally
 * "probe: PASS" or "probe: FAIL". */
#ifndef PROBE_H
#define PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The CPU state the entry code saved before touching anything; the entry
 * code's offsets are generated from this (gen_probe_inc.c). */
struct entry_regs {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rflags, cr0, cr3, cr4;
	uint64_t cs, ds, es, ss, fs, gs;
	uint8_t gdtr[10], idtr[10];
};

#define ENTRY_REGS_FIELDS(X)                                     \
	X(PR_RAX, rax) X(PR_RBX, rbx) X(PR_RCX, rcx) X(PR_RDX, rdx) \
	X(PR_RSI, rsi) X(PR_RDI, rdi) X(PR_RBP, rbp) X(PR_RSP, rsp) \
	X(PR_R8, r8) X(PR_R9, r9) X(PR_R10, r10) X(PR_R11, r11)     \
	X(PR_R12, r12) X(PR_R13, r13) X(PR_R14, r14) X(PR_R15, r15) \
	X(PR_RFLAGS, rflags) X(PR_CR0, cr0) X(PR_CR3, cr3)          \
	X(PR_CR4, cr4) X(PR_CS, cs) X(PR_DS, ds) X(PR_ES, es)       \
	X(PR_SS, ss) X(PR_FS, fs) X(PR_GS, gs) X(PR_GDTR, gdtr)     \
	X(PR_IDTR, idtr)

extern struct entry_regs probe_regs;          /* filled by the entry code */
extern const char probe_image_start[], probe_image_end[]; /* linker */

/* What every format's information says, in one shape. */
#define PROBE_MAX_MODULES 16
#define PROBE_MAX_MEMMAP 256

struct probe_range {
	uint64_t base, len;
	uint32_t type; /* e820 / Multiboot: 1 RAM, 2 reserved, 3 ACPI, 4 NVS */
};

struct probe_view {
	const char *cmdline;
	const char *loader_name;
	size_t nmodules;
	struct {
		uint64_t start, end;
		const char *string;
	} mod[PROBE_MAX_MODULES];
	size_t nmem;
	struct probe_range mem[PROBE_MAX_MEMMAP];
	uint64_t info_start, info_end; /* the boot information itself */
	uint64_t rsdp;
	const void *handoff; /* efikexec's record (flags + CPUs), or NULL */
	/* entered with EFI boot services running (Multiboot2 §3.5), which the
	 * probe has since exited: the CPU is in the firmware's state, not in
	 * one efikexec made, and the APs are the firmware's, not parked */
	bool boot_services;
};

/* serial output */
void probe_puts(const char *s);
void probe_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* One check: prints ok/FAIL; returns ok. */
bool check(bool ok, const char *what, ...) __attribute__((format(printf, 2, 3)));

/* The common checks and the end of the run; never returns. cpus is the
 * CPU count the test asked QEMU for (from the command line, 0: unknown). */
__attribute__((noreturn)) void probe_finish(struct probe_view *v);

/* Helpers the format parts share. */
void probe_main(void); /* called by the entry code */
uint64_t cmdline_number(const char *cmdline, const char *key);

/* Mode checks the formats' probe_check_mode() use. */
void probe_check_prot32(void);
void probe_check_long64(void);

/* Each probe provides these. */
extern const char probe_format[];
void probe_check_mode(void);

#endif
