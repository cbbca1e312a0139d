; test/probe/entry64.asm: the 64-bit probes' entry (ELF64 protocol, the
; Linux 64-bit boot protocol, and Multiboot2 with EFI boot services kept).
; With -DLINUX it sits 0x200 bytes into the image, where boot.rst puts the
; 64-bit entry point, after a stub for the 32-bit entry nobody uses. With
; -DMB2EFI a Multiboot2 header comes first, asking to be entered with boot
; services running (header tags 7 and 9) and saying the image may be
; loaded anywhere (tag 10): with the firmware still running, a loader can
; only use memory that is free now. That build is position-independent.
;
; Register contract on entry: 64-bit mode; RDI (ELF64 protocol), RSI
; (Linux) or RBX (Multiboot2) points to the boot information. Saves every
; register and the control, segment and descriptor-table registers into
; probe_regs, then calls probe_main: on its own stack, but with -DMB2EFI on
; the firmware's, which UEFI §2.3.4 sizes for the firmware's interrupt
; handlers (128 KiB), with interrupts as the firmware had them.

bits 64
default rel

%include "layout.inc"

extern probe_main
extern __bss_start, __bss_end
%ifdef MB2EFI
extern probe_image_start
%endif
global _start
global probe_regs
%ifdef MB2EFI
global probe_elf_entry
global probe_entry_runtime, probe_entry_link, probe_image_link
%endif

section .header
%ifdef MB2EFI
%include "mb2_header.inc"
	align	8			; EFI boot services (§3.1.12), required
	dw	7, 0
	dd	8
	align	8			; EFI amd64 entry address (§3.1.8)
	dw	9, 0
	dd	12
	dd	_start
	align	8			; relocatable (§3.1.13): 2 MiB-aligned,
	dw	10, 0			; from 1 MiB to 4 GiB, no preference
	dd	24
	dd	0x100000, 0xffffffff, 0x200000, 0
	align	8
	dw	0, 0			; end
	dd	8
mb2_end:
%endif
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
%ifdef MB2EFI
	pushfq				; before an instruction changes a flag
	pop	qword [probe_regs + PR_RFLAGS]
	cld				; UEFI says so; the check is on the saved flags
	; where the code runs, and where it was linked: the C code compares
	; the difference with the load base the loader reports
	lea	rax, [rel _start]
	mov	[probe_entry_runtime], rax
	mov	rax, _start
	mov	[probe_entry_link], rax
	mov	rax, probe_image_start
	mov	[probe_image_link], rax
%endif
	; Linux loaders do not zero a kernel's .bss: zero it ourselves
	lea	rdi, [__bss_start]
	lea	rcx, [__bss_end]
	sub	rcx, rdi
	xor	eax, eax
	rep stosb
%ifdef MB2EFI
	and	rsp, -16		; the firmware's stack, ABI-aligned for the call
%else
	lea	rsp, [stack_top]	; no loader promises a stack
	pushfq
	pop	qword [probe_regs + PR_RFLAGS]
%endif
	call	probe_main
.halt:	hlt
	jmp	.halt

%ifdef MB2EFI
; The ELF header's entry point, which §3.1.8 says a loader ignores when it
; honours tags 7 and 9. Whoever comes here says so on COM1 and ends QEMU
; with status 101. The bytes mean the same in 32-bit protected mode and in
; 64-bit mode, the two ways a loader could enter it, wherever the image is
; (below 4 GiB).
section .text
probe_elf_entry:
	call	.here
.here:	pop	rsi			; pop esi in 32-bit mode
	add	esi, elf_entry_msg - .here
fail_print:
	mov	dx, 0x3fd		; line status: wait for the transmitter
.wait:	in	al, dx
	test	al, 0x20
	jz	.wait
	mov	dx, 0x3f8
	lodsb
	test	al, al
	jz	.exit
	out	dx, al
	jmp	fail_print
.exit:	mov	dx, 0xf4		; isa-debug-exit: status 101
	mov	al, 0x32
	out	dx, al
.stop:	hlt
	jmp	.stop
elf_entry_msg:				; in .text: .here's offset to it is fixed
	db	"probe: FAIL: entered at the ELF entry point, not at the EFI amd64 entry address tag's", 13, 10
	db	"probe: FAIL", 13, 10, 0
%endif

section .data
	align	16
probe_regs:				; in .data: the .bss is zeroed after it is filled
	times PR_SIZE db 0
%ifdef MB2EFI
probe_entry_runtime:			; _start as run
	dq	0
probe_entry_link:			; _start as linked
	dq	0
probe_image_link:			; probe_image_start as linked
	dq	0
%endif

%ifndef MB2EFI
section .bss
	align	16
	resb	16384
stack_top:
%endif

section .note.GNU-stack noalloc noexec nowrite progbits
