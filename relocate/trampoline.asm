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
; __BOOT_CS = 0x10 and __BOOT_DS = 0x18, both flat 4 GiB segments.
SEL_CODE64  equ 0x10
SEL_DATA    equ 0x18

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
; On the jump to params.entry:
;   64-bit mode, paging on params.cr3 with CR4.PGE, PCIDE and CET clear,
;   CS = 0x10, DS = ES = SS = FS = GS = 0x18 (our GDT, inside this page),
;   IDT limit 0 (any exception shuts the machine down rather than running
;   whatever the copies left where the firmware's handlers were),
;   interrupts off, RSP = params.stack_top,
;   RAX, RBX, RSI, RDI from params; every other general register zero.
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

	align	16
gdt:
	dq	0			; 0x00 null
	dq	0			; 0x08 unused
	dq	0x00af9a000000ffff	; 0x10 64-bit code, DPL 0
	dq	0x00cf92000000ffff	; 0x18 flat 4 GiB data, DPL 0
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
