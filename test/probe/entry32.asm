; test/probe/entry32.asm: the Multiboot probes' entry. One of MB1 or MB2
; (assembled with -DMB1 or -DMB2) puts its header first in the image.
;
; Register contract on entry (Multiboot 1 §3.2, Multiboot2 §3.3): 32-bit
; protected mode, paging off, EAX = the loader's magic, EBX = the
; information structure, ESP undefined. Saves every register and the
; control, segment and descriptor-table registers into probe_regs before
; anything changes them, then calls probe_main on its own stack.

bits 32

%include "layout.inc"

extern probe_main
extern __bss_start, __bss_end
global _start
global probe_regs

section .header
%ifdef MB1
	align	4
mb1_header:
	dd	0x1badb002
	dd	0x00000003		; page-align modules, memory info
	dd	-(0x1badb002 + 0x00000003)
%endif
%ifdef MB2
%include "mb2_header.inc"
	align	8
	dw	0, 0			; end
	dd	8
mb2_end:
%endif

section .text
_start:
	mov	[probe_regs + PR_RAX], eax
	mov	[probe_regs + PR_RBX], ebx
	mov	[probe_regs + PR_RCX], ecx
	mov	[probe_regs + PR_RDX], edx
	mov	[probe_regs + PR_RSI], esi
	mov	[probe_regs + PR_RDI], edi
	mov	[probe_regs + PR_RBP], ebp
	mov	[probe_regs + PR_RSP], esp
	mov	eax, cr0
	mov	[probe_regs + PR_CR0], eax
	mov	eax, cr3
	mov	[probe_regs + PR_CR3], eax
	mov	eax, cr4
	mov	[probe_regs + PR_CR4], eax
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
	; the .bss may not be zeroed by every loader: zero it ourselves
	mov	edi, __bss_start
	mov	ecx, __bss_end
	sub	ecx, edi
	xor	eax, eax
	rep stosb
	mov	esp, stack_top		; ESP is undefined on entry
	pushfd
	pop	eax
	mov	[probe_regs + PR_RFLAGS], eax
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
