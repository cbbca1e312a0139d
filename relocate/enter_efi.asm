; relocate/enter_efi.asm: enters a kernel that takes over with the
; firmware's boot services still running (Multiboot2 §3.5, "EFI amd64
; machine state with boot services enabled"), after relocate.c copied its
; segments.

bits 64
default rel

section .text

global reloc_enter_efi

; Register contract (a System V call that never returns):
;   RDI = the kernel's entry point, RSI = the RAX it is entered with,
;   RDX = the RBX it is entered with; the CPU as the firmware runs an
;   application (UEFI 2.10 §2.3.4: 64-bit mode on its identity map, its
;   GDT and IDT, interrupts as it keeps them), RSP = the caller's stack.
; On the jump: RAX and RBX as given (§3.5: the magic 0x36d76289 and the
;   information structure; the specification defines no other register),
;   RDI = the entry point (an indirect jump, not a RET, so that no shadow
;   stack the firmware may run is asked about it), RSP 8 below a 16-byte
;   boundary with a zero return address on it, as at the entry of a called
;   function (UEFI 2.10 §2.3.4.1), direction flag clear; the firmware's
;   state otherwise untouched.
reloc_enter_efi:
	cld
	mov	rax, rsi
	mov	rbx, rdx
	and	rsp, -16
	push	0
	jmp	rdi

section .note.GNU-stack noalloc noexec nowrite progbits
