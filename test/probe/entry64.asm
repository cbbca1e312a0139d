; test/probe/entry64.asm: the 64-bit probes' entry (ELF64 protocol and the
; Linux 64-bit boot protocol). With -DLINUX it sits 0x200 bytes into the
; image, where boot.rst puts the 64-bit entry point, after a stub for the
; 32-bit entry nobody uses.
;
; Register contract on entry: 64-bit mode; RDI (ELF64 protocol) or RSI
; (Linux) points to the boot information. Saves every register and the
; control, segment and descriptor-table registers into probe_regs, then
; calls probe_main on its own stack.

bits 64
default rel

%include "layout.inc"

extern probe_main
extern __bss_start, __bss_end
global _start
global probe_regs

section .header
%ifdef LINUX
	cli				; the 32-bit entry: not for us
.stop:	hlt
	jmp	.stop
	times 0x200 - ($ - $$) db 0
%endif

_start:
	mov	[probe_regs + PR_RAX], rax
	mov	[probe_regs + PR_RBX], rbx
	mov	[probe_regs + PR_RCX], rcx
	mov	[probe_regs + PR_RDX], rdx
	mov	[probe_regs + PR_RSI], rsi
	mov	[probe_regs + PR_RDI], rdi
	mov	[probe_regs + PR_RBP], rbp
	mov	[probe_regs + PR_RSP], rsp
	mov	[probe_regs + PR_R8], r8
	mov	[probe_regs + PR_R9], r9
	mov	[probe_regs + PR_R10], r10
	mov	[probe_regs + PR_R11], r11
	mov	[probe_regs + PR_R12], r12
	mov	[probe_regs + PR_R13], r13
	mov	[probe_regs + PR_R14], r14
	mov	[probe_regs + PR_R15], r15
	mov	rax, cr0
	mov	[probe_regs + PR_CR0], rax
	mov	rax, cr3
	mov	[probe_regs + PR_CR3], rax
	mov	rax, cr4
	mov	[probe_regs + PR_CR4], rax
	mov	ax, cs
	mov	[probe_regs + PR_CS], ax
	mov	ax, ds
	mov	[probe_regs + PR_DS], ax
	mov	ax, es
	mov	[probe_regs + PR_ES], ax
	mov	ax, ss
	mov	[probe_regs + PR_SS], ax
	mov	ax, fs
	mov	[probe_regs + PR_FS], ax
	mov	ax, gs
	mov	[probe_regs + PR_GS], ax
	sgdt	[probe_regs + PR_GDTR]
	sidt	[probe_regs + PR_IDTR]
	; Linux loaders do not zero a kernel's .bss: zero it ourselves
	lea	rdi, [__bss_start]
	lea	rcx, [__bss_end]
	sub	rcx, rdi
	xor	eax, eax
	rep stosb
	lea	rsp, [stack_top]	; no loader promises a stack
	pushfq
	pop	qword [probe_regs + PR_RFLAGS]
	call	probe_main
.halt:	hlt
	jmp	.halt

section .data
	align	16
probe_regs:				; in .data: the .bss is zeroed after it is filled
	times PR_SIZE db 0

section .bss
	align	16
	resb	16384
stack_top:

section .note.GNU-stack noalloc noexec nowrite progbits
