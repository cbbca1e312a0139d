; The Multiboot 2 information's tags, walked as mb/info.c walks them, for
; the 32-bit code before long mode: the placement checks
; (mb/early_checks.asm) and the choice of a screen (mb/early_console.asm)
; both need it, and it belongs to neither.

%include "mb/early_info.inc"

global mb2_walk

section .text

bits 32

; mb2_walk: calls EBP for each tag of the Multiboot 2 information, as far
; as mb2_parse (mb/info.c) walks: from the first tag to the end tag, each
; at most total_size bytes from the start plus 8 per module tag
; (kexec-tools' short total_size: mb/info.c says why). A malformed size
; ends the walk (mb/info.c then says what is wrong), and so does a
; total_size mb/info.c refuses.
; In:  EBX = the information; EBP = the routine: In: EDI = the tag,
;      EAX = its type, ECX = its size; may clobber any register but ESP.
; Out: EAX = the information's size: total_size, or the end of its tags
;      where they go further (8, the fixed part, for a total_size refused).
;      ECX, EDX, ESI, EDI clobbered.
mb2_walk:
	mov	eax, [ebx]
	cmp	eax, MB2_FIRST_TAG
	jb	.refused
	cmp	eax, MB_INFO_MAX
	ja	.refused
	push	eax				; [ESP]: the limit
	mov	esi, MB2_FIRST_TAG		; the tag's offset
.tag:
	mov	edx, [esp]
	sub	edx, esi			; the bytes left to the limit
	jb	.end
	cmp	edx, 8
	jb	.end
	lea	edi, [ebx + esi]
	mov	eax, [edi]
	mov	ecx, [edi + 4]
	cmp	eax, MB2_TAG_END
	je	.end_tag
	cmp	eax, MB2_TAG_MODULE
	jne	.sized
	add	dword [esp], MB2_TAG_ALIGN
	add	edx, MB2_TAG_ALIGN
.sized:
	cmp	ecx, 8
	jb	.end
	cmp	ecx, edx
	ja	.end
	pushad
	call	ebp
	popad
	add	esi, ecx
	add	esi, MB2_TAG_ALIGN - 1
	and	esi, -MB2_TAG_ALIGN
	jmp	.tag
.end_tag:
	add	esi, 8
.end:
	pop	eax
	mov	eax, [ebx]
	cmp	eax, esi
	jae	.done
	mov	eax, esi
.done:
	ret
.refused:
	mov	eax, MB2_FIRST_TAG
	ret

section .note.GNU-stack noalloc noexec nowrite progbits
