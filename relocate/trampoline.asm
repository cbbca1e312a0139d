; relocate/trampoline.asm: the last code efikexec runs.
;
; relocate.c copies the bytes between reloc_tramp_start and reloc_tramp_end
; into a page of its own (kept out of every destination by the plan) and
; calls it after ExitBootServices. From here on nothing of the firmware is
; used: not its page tables, its GDT, its IDT nor its stack, because the
; segments may be copied over all of them.
;
; The code is position independent (RIP-relative only) and writes only to
; its parameters, its stack and the segments' destinations, never to its
; own bytes: their pages may be read-only (relocate_protections()). The
; one code outside it that it runs is params.verify (--verify), after the
; copies.

bits 64
default rel

%include "layout.inc"

; Our GDT's selectors, SEL_CODE64, SEL_DATA and SEL_CODE32, come from
; relocate/reloc_params.h through layout.inc (relocate.c's IDT gates use
; the code selector too); the GDT at the end of this file matches them.

; Control register bits (Intel SDM Vol. 3A §2.5).
CR0_PE      equ 1 << 0
CR0_EM      equ 1 << 2
CR0_TS      equ 1 << 3
CR0_WP      equ 1 << 16
CR0_AM      equ 1 << 18
CR0_PG      equ 1 << 31
CR4_PAE     equ 1 << 5
CR4_OSFXSR  equ 1 << 9
CR4_LA57    equ 1 << 12
CR4_CET     equ 1 << 23
MSR_EFER    equ 0xc0000080
EFER_LME    equ 1 << 8

section .text

global reloc_tramp_start
global reloc_fault_stubs
global reloc_tramp_end

COM1        equ 0x3f8
COM1_LSR    equ COM1 + 5
LSR_THRE    equ 1 << 5

; Register contract on entry (a System V call that never returns, made
; through a function pointer: relocate_jump() in relocate.c):
;   RDI  = struct reloc_params * (see reloc_params.h), identity mapped
;   CPU in 64-bit mode on the firmware's identity map, any GDT/IDT/stack,
;   interrupts in any state, CET shadow stacks and indirect branch
;   tracking on or off (hence the ENDBR64 first).
; On the jump to params.entry, with params.mode ENTRY_LONG64:
;   64-bit mode, paging on params.cr3;
;   CR0: PE and PG set; WP, AM, TS and EM clear; MP, NE, ET, CD and NW as
;     the firmware left them (the state Linux's relocate_kernel_64.S
;     enters a kexec'd kernel with);
;   CR4: PAE set; LA57 set if and only if the firmware ran with it; MCE
;     kept only where params.cr4_keep says (TDX guests); every other bit
;     clear: PGE, PCIDE, CET, OSFXSR, OSXMMEXCPT, OSXSAVE, SMEP, SMAP,
;     PKE, FSGSBASE, UMIP, ... (a kernel enables what it uses);
;   CS = 0x10, DS = ES = SS = FS = GS = 0x18 (our GDT, inside this page),
;   IDT limit 0 (the kernel may reuse this page at once: an exception
;   before it loads its own IDT shuts the machine down rather than running
;   whatever is there by then),
;   interrupts off, RSP = params.stack_top,
;   RAX, RBX, RSI, RDI from params; every other general register zero.
; With ENTRY_PROT32 (Multiboot 1 and 2): 32-bit protected mode with paging,
;   PAE and long mode off (Intel SDM Vol. 3A §10.8.5.4): CR0 as above but
;   PG clear; CR4 as above without PAE and LA57, so zero but for a kept
;   MCE; CS = 0x20 (flat 32-bit code), DS = ES = SS = FS = GS = 0x18, the
;   same IDT, interrupts off, ESP = params.stack_top, EAX, EBX, ESI, EDI
;   from params, the rest zero. This code and its area lie below 4 GiB
;   (the plan keeps them there), so they stay reachable with paging off.
reloc_tramp_start:
	endbr64
	cli
	cld

	; CET off before anything else. With shadow stacks on, the far
	; return below and every RET would be checked against a shadow stack
	; that knows nothing of the addresses pushed here (#CP); with
	; indirect branch tracking on, the call that brought us here needed
	; the ENDBR64 above, and the kernel would be entered with both on.
	; CR4.CET may be cleared at any time, and must be clear before CR0.WP
	; can be (Intel SDM Vol. 3A §2.5, CR4.CET; Vol. 2, MOV to CR0 #GP
	; conditions), which the CR0 state below needs: Linux's
	; relocate_kernel_64.S (identity_mapped) clears it first for the
	; same reason.
	mov	rax, cr4
	and	rax, ~CR4_CET
	mov	cr4, rax

	mov	r15, rdi
	mov	rsp, [r15 + RP_STACK_TOP]

	; Point the GDTR image in the parameters at our GDT, wherever this
	; page landed; our
	; fault handlers replace the firmware's, which the copies may
	; overwrite: in the parameters' IDT (relocate.c cleared it and set
	; the IDTR image), a 64-bit interrupt gate to each stub (Intel SDM
	; Vol. 3A §6.14.1), offset 15:0, our code selector, IST 0 and the
	; type, then offset 63:16 over the next eight bytes (the top two are
	; the first of the reserved dword, zero as bits 63:48 of the offset
	; shifted right by 16 are).
	lea	rax, [gdt]
	mov	word [r15 + RP_GDTR], gdt_end - gdt - 1
	mov	[r15 + RP_GDTR + 2], rax
	lgdt	[r15 + RP_GDTR]
	lea	rdi, [r15 + RP_IDT]
	lea	rax, [reloc_fault_stubs]
	mov	ecx, FAULT_VECTORS
.gate:
	mov	[rdi], ax
	mov	dword [rdi + 2], SEL_CODE64 | IDT_GATE_INTERRUPT << 24
	mov	rdx, rax
	shr	rdx, 16
	mov	[rdi + 6], rdx
	add	rdi, IDT_GATE_SIZE
	add	rax, FAULT_STUB_SIZE
	loop	.gate
	lidt	[r15 + RP_IDTR]
	cmp	qword [r15 + RP_FAULT_TEST], 0
	je	.no_fault_test
	ud2
.no_fault_test:

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

	; CR0 to the known state Linux's relocate_kernel_64.S (identity_mapped)
	; sets: protected mode and paging on; alignment checking, write
	; protection, task-switched and x87 emulation off (a stale TS or EM
	; would fault the kernel's first x87 or SSE instruction with #NM or
	; #UD). MP, NE, ET and the cache controls CD and NW stay as the
	; firmware set them, as there.
	mov	rax, cr0
	and	rax, ~(CR0_AM | CR0_WP | CR0_TS | CR0_EM)
	or	eax, CR0_PE | CR0_PG
	mov	cr0, rax

	; Switch to our identity map, then CR4 to its known state. Kept: PAE
	; (IA-32e paging needs it), LA57 as it was (it cannot change while
	; IA-32e mode is active: SDM Vol. 3A "Paging-Mode Enabling"; and
	; params.cr3 was built for it, cpu/paging.h), and MCE where
	; params.cr4_keep asks, which relocate.c does in a TDX guest. These
	; are exactly the bits Linux's relocate_kernel_64.S keeps (MCE only
	; in TDX guests, which may not clear it). Everything else goes:
	; global pages and PCIDs (a MOV to CR4 that clears PGE or PCIDE
	; invalidates every TLB entry, global ones and every PCID's included,
	; SDM Vol. 3A "Operations that Invalidate TLBs and Paging-Structure
	; Caches", so no stale translation survives), SMEP, SMAP and
	; protection keys (which could fault our accesses), FRED, and the
	; OS-support bits a kernel sets for itself (OSFXSR, OSXSAVE,
	; FSGSBASE, ...).
	mov	rax, [r15 + RP_CR3]
	mov	cr3, rax
	mov	rdx, [r15 + RP_CR4_KEEP]
	or	edx, CR4_PAE | CR4_LA57
	mov	rax, cr4
	and	rax, rdx
	mov	cr4, rax

	; Copy each segment and zero-fill its tail. Sources never overlap a
	; destination (plan_validate), so the order does not matter. REP
	; MOVSQ/STOSQ: with fast-string operation (Intel SDM Vol. 1 §7.3.9.3)
	; the processor moves whole cache lines a step, as wide as any vector
	; loop and with no SSE state to set up; an SSE2 loop with
	; non-temporal stores measured slower (docs/bench.md).
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
	mov	rdi, [r15 + RP_STAMP_ADDR]
	call	stamp

	; --verify: relocate_digest(params, params.now), C in efikexec's own
	; image, which the plan then keeps out of every destination, hashes
	; each segment where it now is and compares with the digest taken
	; before ExitBootServices (relocate_set_verify), as kexec-tools'
	; purgatory does. Safe to call here: RSP is 16-byte aligned as the
	; System V ABI wants at a call, and R15 is callee-saved. SSE is on
	; for the call alone (CR4.OSFXSR; CR0.EM and TS are clear since
	; above), for lib/sha256.c's SHA-NI code where efikexec chose it
	; (the rest of the C uses no XMM register: the image is built with
	; -mno-sse, efikexec.mb with -mgeneral-regs-only), and off again
	; for the kernel. --verify-test first inverts a byte of the first
	; destination, for the check to find.
	mov	rdi, [r15 + RP_VERIFY_FLIP]
	test	rdi, rdi
	jz	.flipped
	not	byte [rdi]
.flipped:
	mov	rax, [r15 + RP_VERIFY]
	test	rax, rax
	jz	.verified
	mov	rdx, cr4
	or	rdx, CR4_OSFXSR
	mov	cr4, rdx
	mov	rdi, r15
	lea	rsi, [r15 + RP_NOW]
	call	rax
	mov	rdx, cr4
	and	rdx, ~CR4_OSFXSR
	mov	cr4, rdx
	test	eax, eax		; the index of a segment that changed, or -1
	jns	verify_failed
.verified:

	; As Linux's relocate_kernel: flush this CPU's caches after the last
	; write and immediately before the jump, so no line written under
	; another memory-encryption key can be written back over the kernel.
	cmp	qword [r15 + RP_CACHE_FLUSH], 0
	je	.flushed
	wbinvd
.flushed:
	lidt	[null_idtr]		; see the contract: the kernel may reuse this page
	mov	rdi, [r15 + RP_STAMP_ADDR]
	test	rdi, rdi
	jz	.stamped
	add	rdi, 8
	call	stamp
.stamped:
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

	; Leave long mode as Intel SDM Vol. 3A §10.8.5.4 ("Switching Out of
	; IA-32e Mode Operation") says: to compatibility mode through a
	; 32-bit code segment, then paging off (IA32_EFER.LMA drops with it),
	; then EFER.LME off. PCIDE must be clear before that MOV to CR0 (it
	; raises #GP clearing PG while CR4.PCIDE is set: SDM Vol. 2, MOV to
	; CR0), and has been since the known state above, as have PGE and
	; CET. PAE and LA57 go last, once IA-32e mode is inactive: a MOV to
	; CR4 may change neither while it is active (SDM Vol. 3A "Paging-Mode
	; Enabling"). params.cr4_keep holds neither paging bit
	; (reloc_params.h), so masking with it clears PAE, LA57 and any
	; other bit but a kept MCE.
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
	and	eax, [esi + RP_CR4_KEEP]
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

; stamp: RDI = where to store the TSC (nothing when 0). Clobbers RAX, RDX.
stamp:
	test	rdi, rdi
	jz	.none
	rdtsc
	shl	rdx, 32
	or	rax, rdx
	mov	[rdi], rax
.none:
	ret

; Fault stubs, FAULT_STUB_SIZE bytes each, one per vector 0-31: push the
; vector and go to fault, which supplies the zero error code the CPU does
; not push for most vectors. Four bytes each ("push imm8", "jmp rel8": the
; handler follows the last stub, within reach of the first). No ENDBR64:
; CET is cleared at the entry, before our IDT is loaded, so no stub can be
; reached with indirect branch tracking on.
; Register contract: entered by the CPU through an interrupt gate on the
; trampoline's stack, [RSP] = error code (if any), RIP, CS, RFLAGS, RSP, SS.
reloc_fault_stubs:
%assign vec 0
%rep FAULT_VECTORS
	push	vec
	jmp	short fault
	; (a negative count, an error, if a stub outgrew FAULT_STUB_SIZE)
	times	(vec + 1) * FAULT_STUB_SIZE - ($ - reloc_fault_stubs) db 0xcc
%assign vec vec + 1
%endrep

; The vectors whose exceptions push an error code (Intel SDM Vol. 3A
; §6.13, table 6-1): #DF 8, #TS 10, #NP 11, #SS 12, #GP 13, #PF 14, #AC 17,
; #CP 21, #VC 29, #SX 30.
ERROR_CODE_VECTORS equ (1 << 8) | (0x1f << 10) | (1 << 17) | (1 << 21) | (1 << 29) | (1 << 30)

; Prints "efikexec: fault in the trampoline: vector V error E rip R cr2 C"
; on COM1 (which the firmware set up) and halts for good: nothing of the
; firmware is left to return to, and a reset would hide what happened.
; Register contract: [RSP] = vector (< 32), then the CPU's frame: the error
; code for ERROR_CODE_VECTORS, then RIP.
fault:
	cld
	mov	eax, [rsp]
	mov	edx, ERROR_CODE_VECTORS
	bt	edx, eax
	jc	.framed
	pop	rax			; no error code: put a zero under the vector
	push	0
	push	rax
.framed:
	; now [RSP] = vector, [RSP+8] = error code, [RSP+16] = RIP; each puts
	; leaves RSI at the next of the strings, which puthex keeps
	lea	rsi, [msg_fault]
	call	puts
	mov	rax, [rsp]
	call	puthex
	call	puts			; msg_error
	mov	rax, [rsp + 8]
	call	puthex
	call	puts			; msg_rip
	mov	rax, [rsp + 16]
	call	puthex
	call	puts			; msg_cr2
	mov	rax, cr2
	call	puthex
.end:
	lea	rsi, [msg_end]
	call	puts
.halt:
	cli
	hlt
	jmp	.halt

; Prints "efikexec: verify: segment N at DST changed after loading:
; sha256 THEN now NOW; halted" on COM1, the digests as sha256sum prints
; them, and halts as a fault does: the trampoline's copy of segment N is
; not what was loaded, and jumping into it would run whatever it is now.
; Register contract: EAX = N, R15 = params (params.now: the digest now).
verify_failed:
	mov	ebx, eax
	lea	rsi, [msg_verify]
	call	puts
	mov	eax, ebx
	call	puthex
	call	puts			; msg_at
	imul	ebx, ebx, RS_SIZE
	lea	rbx, [r15 + rbx + RP_SEG]
	mov	rax, [rbx + RS_DST]
	call	puthex
	call	puts			; msg_changed
	lea	rdi, [rbx + RS_SHA256]
	call	putdigest
	call	puts			; msg_now
	lea	rdi, [r15 + RP_NOW]
	call	putdigest
	jmp	fault.end

; puts: RSI = NUL-terminated string, sent to COM1; RSI is left just past
; its NUL. Clobbers RAX, RDX.
puts:
	lodsb
	test	al, al
	jz	.done
	call	putc
	jmp	puts
.done:
	ret

; putc: AL = the byte to send once COM1 can take it. Clobbers RDX.
putc:
	push	rax
	mov	edx, COM1_LSR
.wait:
	in	al, dx
	test	al, LSR_THRE
	jz	.wait
	pop	rax
	mov	edx, COM1
	out	dx, al
	ret

; puthex: RAX as "0x" and 16 hex digits; puthex.digits: without the "0x".
; Clobbers RAX, RCX, RDX.
puthex:
	push	rax
	mov	al, '0'
	call	putc
	mov	al, 'x'
	call	putc
	pop	rax
.digits:
	mov	ecx, 16
.digit:
	rol	rax, 4
	push	rax
	and	al, 0xf
	add	al, '0'
	cmp	al, '9'
	jbe	.put
	add	al, 'a' - '0' - 10
.put:
	call	putc
	pop	rax
	dec	ecx
	jnz	.digit
	ret

; putdigest: the 32 bytes at RDI in hex, first to last. Clobbers RAX, RCX,
; RDX, RDI, R8.
putdigest:
	lea	r8, [rdi + 32]
.quad:
	mov	rax, [rdi]
	bswap	rax			; the first byte in the top bits, printed first
	call	puthex.digits
	add	rdi, 8
	cmp	rdi, r8
	jne	.quad
	ret

; (in the order they are printed: see fault and verify_failed)
msg_fault:	db	13, 10, "efikexec: fault in the trampoline: vector ", 0
msg_error:	db	" error ", 0
msg_rip:	db	" rip ", 0
msg_cr2:	db	" cr2 ", 0
msg_end:	db	"; halted", 13, 10, 0
msg_verify:	db	13, 10, "efikexec: verify: segment ", 0
msg_at:		db	" at ", 0
msg_changed:	db	" changed after loading: sha256 ", 0
msg_now:	db	" now ", 0

	; Each descriptor with its accessed bit set: else loading a selector
	; makes the CPU set it, a write to this page, which may be read-only
	; (Intel SDM Vol. 3A §3.4.5.1, the accessed bit; Linux sets it in
	; its GDT, mapped read-only, for the same reason).
	align	16
gdt:
	dq	0			; 0x00 null
	dq	0			; 0x08 unused
	dq	0x00af9b000000ffff	; 0x10 64-bit code, DPL 0
	dq	0x00cf93000000ffff	; 0x18 flat 4 GiB data, DPL 0
	dq	0x00cf9b000000ffff	; 0x20 flat 4 GiB 32-bit code, DPL 0
gdt_end:
	; the selectors layout.inc gives must be these entries (a negative
	; count, an error, if reloc_params.h changed one)
	times -((SEL_CODE64 != 0x10) | (SEL_DATA != 0x18) | (SEL_CODE32 != 0x20)) db 0

	align	8
	dw	0
null_idtr:
	dw	0
	dq	0

reloc_tramp_end:

section .note.GNU-stack noalloc noexec nowrite progbits
