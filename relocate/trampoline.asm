; relocate/trampoline.asm: the last code efikexec runs.
;
; relocate.c copies the bytes between reloc_tramp_start and reloc_tramp_end
; into a page of its own (kept out of every destination by the plan) and
; calls it after ExitBootServices. From here on nothing of the firmware is
; used: not its page tables, its GDT, its IDT nor its stack, because the
; segments may be copied over all of them.
;
; The code is position independent (RIP-relative only) and writes only to
; its own page and to the segments' destinations.

bits 64
default rel

%include "layout.inc"

; Our GDT's selectors. Linux boot.rst "64-bit Boot Protocol" requires
; __BOOT_CS = 0x10 and __BOOT_DS = 0x18, both flat 4 GiB segments; the
; Multiboot specifications want flat 32-bit code and data segments.
SEL_CODE64  equ 0x10
SEL_DATA    equ 0x18
SEL_CODE32  equ 0x20

CR0_PG      equ 1 << 31
CR4_PAE     equ 1 << 5
MSR_EFER    equ 0xc0000080
EFER_LME    equ 1 << 8

CR4_PCIDE   equ 1 << 17
CR4_PGE     equ 1 << 7
CR4_CET     equ 1 << 23

section .text

global reloc_tramp_start
global reloc_tramp_end

; Register contract on entry (a System V call that never returns):
;   RDI  = struct reloc_params * (see reloc_params.h), identity mapped
;   CPU in 64-bit mode on the firmware's identity map, any GDT/IDT/stack,
;   interrupts in any state.
; On the jump to params.entry, with params.mode ENTRY_LONG64:
;   64-bit mode, paging on params.cr3 with CR4.PGE, PCIDE and CET clear,
;   CS = 0x10, DS = ES = SS = FS = GS = 0x18 (our GDT, inside this page),
;   IDT limit 0 (any exception shuts the machine down rather than running
;   whatever the copies left where the firmware's handlers were),
;   interrupts off, RSP = params.stack_top,
;   RAX, RBX, RSI, RDI from params; every other general register zero.
; With ENTRY_PROT32 (Multiboot 1 and 2): 32-bit protected mode with paging,
;   PAE and long mode off (Intel SDM Vol. 3A §10.8.5.4), CS = 0x20 (flat
;   32-bit code), DS = ES = SS = FS = GS = 0x18, the same IDT, interrupts
;   off, ESP = params.stack_top, EAX, EBX, ESI, EDI from params, the rest
;   zero. This code and its area lie below 4 GiB (the plan keeps them
;   there), so they stay reachable with paging off.
reloc_tramp_start:
	cli
	cld
	mov	r15, rdi
	mov	rsp, [r15 + RP_STACK_TOP]

	; Point the GDTR image at our GDT, wherever this page landed.
	lea	rax, [gdt]
	mov	[gdtr.base], rax
	lgdt	[gdtr]
	lidt	[null_idtr]

	; Reload CS with a far return, then the data segments.
	lea	rax, [.new_cs]
	push	SEL_CODE64
	push	rax
	o64 retf
.new_cs:
	mov	eax, SEL_DATA
	mov	ds, ax
	mov	es, ax
	mov	ss, ax
	mov	fs, ax
	mov	gs, ax

	; Switch to our identity map (PCID 0), then drop global pages and
	; PCIDs so no stale translation survives.
	mov	rax, [r15 + RP_CR3]
	mov	cr3, rax
	mov	rax, cr4
	and	rax, ~(CR4_PGE | CR4_PCIDE)
	mov	cr4, rax

	; Until here a fault still reaches the firmware's handlers; from here
	; on the copies may overwrite them.
	lidt	[null_idtr]

	; Copy each segment and zero-fill its tail. Sources never overlap a
	; destination (plan_validate), so the order does not matter.
	lea	rbx, [r15 + RP_SEG]
	mov	r8, [r15 + RP_NSEG]
.segment:
	test	r8, r8
	jz	.copied
	mov	rsi, [rbx + RS_SRC]
	mov	rdi, [rbx + RS_DST]
	mov	rdx, [rbx + RS_COPY]
	cmp	rsi, rdi
	jne	.copy
	add	rdi, rdx		; in place: nothing to copy
	jmp	.zero
.copy:
	mov	rcx, rdx
	shr	rcx, 3
	rep movsq
	mov	rcx, rdx
	and	rcx, 7
	rep movsb
.zero:
	mov	rdx, [rbx + RS_ZERO]
	xor	eax, eax
	mov	rcx, rdx
	shr	rcx, 3
	rep stosq
	mov	rcx, rdx
	and	rcx, 7
	rep stosb
	add	rbx, RS_SIZE
	dec	r8
	jmp	.segment
.copied:

	; As Linux's relocate_kernel: flush this CPU's caches after the last
	; write and immediately before the jump, so no line written under
	; another memory-encryption key can be written back over the kernel.
	cmp	qword [r15 + RP_CACHE_FLUSH], 0
	je	.flushed
	wbinvd
.flushed:
	cmp	qword [r15 + RP_MODE], ENTRY_PROT32
	je	.to_prot32

	push	qword [r15 + RP_ENTRY]
	mov	rax, [r15 + RP_RAX]
	mov	rbx, [r15 + RP_RBX]
	mov	rsi, [r15 + RP_RSI]
	mov	rdi, [r15 + RP_RDI]
	xor	ecx, ecx
	xor	edx, edx
	xor	ebp, ebp
	xor	r8d, r8d
	xor	r9d, r9d
	xor	r10d, r10d
	xor	r11d, r11d
	xor	r12d, r12d
	xor	r13d, r13d
	xor	r14d, r14d
	xor	r15d, r15d
	ret

	; Leave long mode: to compatibility mode through a 32-bit code
	; segment, then paging off, then EFER.LME off.
.to_prot32:
	mov	esi, r15d		; params, below 4 GiB
	lea	rax, [.compat]
	push	SEL_CODE32
	push	rax
	o64 retf
bits 32
.compat:
	mov	eax, cr0
	and	eax, ~CR0_PG
	mov	cr0, eax
	mov	ecx, MSR_EFER
	rdmsr
	and	eax, ~EFER_LME
	wrmsr
	mov	eax, cr4
	and	eax, ~CR4_PAE
	mov	cr4, eax
	mov	eax, SEL_DATA
	mov	ds, eax
	mov	es, eax
	mov	fs, eax
	mov	gs, eax
	mov	ss, eax
	mov	esp, [esi + RP_STACK_TOP]
	push	dword [esi + RP_ENTRY]
	mov	eax, [esi + RP_RAX]
	mov	ebx, [esi + RP_RBX]
	mov	edi, [esi + RP_RDI]
	mov	esi, [esi + RP_RSI]
	xor	ecx, ecx
	xor	edx, edx
	xor	ebp, ebp
	ret
bits 64

	align	16
gdt:
	dq	0			; 0x00 null
	dq	0			; 0x08 unused
	dq	0x00af9a000000ffff	; 0x10 64-bit code, DPL 0
	dq	0x00cf92000000ffff	; 0x18 flat 4 GiB data, DPL 0
	dq	0x00cf9a000000ffff	; 0x20 flat 4 GiB 32-bit code, DPL 0
gdt_end:

	align	8
	dw	0			; pad so the limit ends where an 8-byte base may start
gdtr:
	dw	gdt_end - gdt - 1
.base:	dq	0

	align	8
	dw	0
null_idtr:
	dw	0
	dq	0

reloc_tramp_end:

section .note.GNU-stack noalloc noexec nowrite progbits
