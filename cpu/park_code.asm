; cpu/park_code.asm: where the application processors wait for the next kernel.
;
; cpu/park.c copies the bytes from park_start to park_end to the start of
; the park area (4 KiB aligned, below 1 MiB, reserved in the memory map the
; kernel gets) and sends each AP INIT-SIPI-SIPI with the area's page as the
; vector. Layout: cpu/park_layout.h.

bits 16

%include "layout.inc"

section .text

global park_start
global park_halt
global park_ivt_base
global park_end

; Register contract on entry (SDM Vol. 3A §9.4.4.1, after a SIPI):
;   real mode, CS = area >> 4, IP = 0; other registers undefined;
;   interrupts in any state.
; Effect: interrupts off; WBINVD when park_data.flush is set; one record
;   {APIC ID, PARKED | FLUSHED?} claimed with LOCK XADD; then HLT forever,
;   touching no memory. A stray NMI lands on the same HLT loop through our
;   own IVT. The next kernel's INIT-SIPI-SIPI resets the CPU.
park_start:
	cli
	mov	ax, cs
	mov	ds, ax
	mov	ss, ax
	mov	sp, PK_STACK_TOP
	o32 lidt [cs:ivt_desc - park_start]	; offsets from the area start

	xor	edi, edi			; record state: flushed?
	cmp	dword [PK_FLUSH], 0
	je	.flushed
	wbinvd
	mov	edi, PK_STATE_FLUSHED
.flushed:
	or	edi, PK_STATE_PARKED

	; Our APIC ID: the x2APIC ID from leaf 0xB when it exists, else the
	; initial xAPIC ID in CPUID.1:EBX[31:24].
	xor	eax, eax
	cpuid
	cmp	eax, 0xb
	jb	.xapic_id
	mov	eax, 0xb
	xor	ecx, ecx
	cpuid
	test	ebx, ebx
	jz	.xapic_id
	mov	esi, edx
	jmp	.have_id
.xapic_id:
	mov	eax, 1
	cpuid
	shr	ebx, 24
	mov	esi, ebx
.have_id:

	mov	eax, 1
	lock xadd [PK_COUNT], eax		; eax = our slot
	cmp	eax, [PK_CAPACITY]
	jae	park_halt			; no room: counted, not recorded
	mov	[PK_RECORDS + eax * PK_RECORD_SIZE + PK_REC_APIC_ID], esi
	mov	[PK_RECORDS + eax * PK_RECORD_SIZE + PK_REC_STATE], edi

park_halt:
	cli
	hlt
	jmp	park_halt

	align	8
ivt_desc:
	dw	PK_IVT_LIMIT
park_ivt_base:
	dd	0				; the area's address + PK_IVT, set by park.c
park_end:

%if park_end - park_start > PK_IVT
%error "park code overlaps the IVT"
%endif

section .note.GNU-stack noalloc noexec nowrite progbits
