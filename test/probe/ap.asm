; test/probe/ap.asm: what an AP runs when a probe wakes it with
; INIT-SIPI-SIPI. The probe copies probe_ap_start..probe_ap_end to a page
; below 640 KiB; each AP counts itself in the dword at offset 0x100 and
; halts.
;
; Register contract on entry (after a SIPI): real mode, CS = page >> 4,
; IP = 0, everything else undefined.

bits 16
section .text
global probe_ap_start
global probe_ap_end

probe_ap_start:
	cli
	mov	ax, cs
	mov	ds, ax
	lock inc dword [0x100]
.halt:	hlt
	jmp	.halt
	times 0x100 - ($ - probe_ap_start) db 0
	dd	0			; the count (AP_COUNT_OFFSET in probe.c)
probe_ap_end:

section .note.GNU-stack noalloc noexec nowrite progbits
