; efikexec.mb's console before long mode, as mb_fail (mb/halt.c) shows an
; error: COM1 and the text screen that mb/mb_console.c would pick, one error
; line on them, then a halt. For the checks mb_entry32 makes before .bss is
; zeroed (mb/early_checks.asm): it uses nothing in .bss.

%include "mb/early_info.inc"

; The screen and COM1, as mb/mb_console.c drives them
%define VGA_TEXT		0xb8000	; the BIOS's 80x25 text mode 3
%define VGA_COLS		80
%define VGA_ROWS		25
%define VGA_MAX_COLS		256
%define VGA_MAX_ROWS		128
%define VGA_ATTR		0x07	; light grey on black
%define BDA_CURSOR_ROW		0x451	; page 0's cursor row, IBM PC BIOS
%define COM1			0x3f8
%define UART_THR		0	; transmit holding register
%define UART_DLL		0	; divisor latch, with LCR.DLAB
%define UART_DLM		1
%define UART_FCR		2
%define UART_LCR		3
%define UART_MCR		4
%define UART_LSR		5
%define LCR_DLAB		0x80
%define LCR_8N1			0x03
%define FCR_ON_CLEARED		0x07	; FIFOs on and cleared
%define MCR_DTR_RTS		0x03
%define LSR_THRE		0x20	; transmit holding register empty
%define SERIAL_SPIN		100000	; LSR reads before writing anyway

; outb PORT, VALUE (clobbers AL, DX) and inb PORT (into AL, clobbers DX)
%macro outb 2
	mov	dx, %1
	mov	al, %2
	out	dx, al
%endmacro
%macro inb 1
	mov	dx, %1
	in	al, dx
%endmacro

extern boot_magic, boot_info			; mb/start.asm
extern mb2_walk					; mb/early_info.asm
global error_start, halt_after_error, puts, putc, put_dec, put_range

section .text

bits 32

; error_start: the console (as mb_console_init and mb_console_screen in
; mb/mb_console.c set it up), and the start of an error line.
; In:  boot_magic, boot_info. Out: every register kept.
error_start:
	pushad
	call	com1_init
	call	screen_init
	mov	esi, msg_error
	call	puts
	popad
	ret

; halt_after_error: ends the error line, says "efikexec: halted" and
; halts. Never a reset, not even with --on-error=reboot (read later, in
; C): a reset would meet the same CPU or loader again.
halt_after_error:
	mov	esi, msg_halted
	call	puts
.halt:
	cli
	hlt
	jmp	.halt

; com1_init: COM1 as mb_console_init (mb/mb_console.c) leaves it: at the
; speed a loader set, else at 115200 8N1; a missing UART (reading 0xff) is
; left alone. Out: EAX, ECX, EDX clobbered.
com1_init:
	inb	COM1 + UART_LCR
	cmp	al, 0xff
	je	.done
	mov	ah, al				; the loader's LCR
	or	al, LCR_DLAB
	out	dx, al
	inb	COM1 + UART_DLL
	mov	cl, al
	inb	COM1 + UART_DLM
	or	cl, al				; the divisor: 0 if nobody set it
	outb	COM1 + UART_LCR, ah
	test	cl, cl
	jnz	.done
	outb	COM1 + UART_LCR, LCR_DLAB
	outb	COM1 + UART_DLL, 1		; 115200 baud
	outb	COM1 + UART_DLM, 0
	outb	COM1 + UART_LCR, LCR_8N1
	outb	COM1 + UART_FCR, FCR_ON_CLEARED
	outb	COM1 + UART_MCR, MCR_DTR_RTS
.done:
	ret

; screen_init: the text screen, as mb_console_screen (mb/mb_console.c) picks
; it: an EGA text framebuffer the information describes; or, where it
; describes no framebuffer and (MB2) names no EFI system table, the BIOS's
; 80x25 text mode, below what the loader printed; else none (COM1 alone).
; In:  boot_magic, boot_info. Out: vga_*; every register but ESP clobbered.
screen_init:
	mov	ebx, [boot_info]
	mov	eax, [boot_magic]
	cmp	eax, MB1_LOADER_MAGIC
	je	.mb1
	cmp	eax, MB2_LOADER_MAGIC
	jne	.done
	mov	ebp, screen_tag
	call	mb2_walk
	mov	esi, [fb_fields]
	test	esi, esi
	jnz	screen_from_fb
	cmp	byte [efi_systab_seen], 0
	jne	.done
	jmp	.bios_text
.mb1:
	lea	esi, [ebx + MB1_FB_FIELDS]
	test	dword [ebx], MB1_INFO_FRAMEBUFFER
	jnz	screen_from_fb
.bios_text:
	mov	dword [vga_cell], VGA_TEXT
	mov	dword [vga_cols], VGA_COLS
	mov	dword [vga_rows], VGA_ROWS
	movzx	eax, byte [BDA_CURSOR_ROW]
	cmp	eax, VGA_ROWS
	jae	.done
	mov	[vga_row], eax
.done:
	ret

; screen_tag: mb2_walk's routine for screen_init: notes the framebuffer
; tag and whether there is an EFI system table, as mb/info.c reads them.
; In:  EDI = the tag, EAX = its type, ECX = its size.
screen_tag:
	cmp	eax, MB2_TAG_FRAMEBUFFER
	jne	.efi
	cmp	ecx, MB2_FB_MIN_SIZE
	jb	.done
	add	edi, MB2_FB_FIELDS
	mov	[fb_fields], edi
	ret
.efi:
	cmp	eax, MB2_TAG_EFI64
	jne	.done
	cmp	ecx, MB2_EFI64_MIN_SIZE
	jb	.done
	mov	eax, [edi + MB2_EFI64_SYSTAB]
	or	eax, [edi + MB2_EFI64_SYSTAB + 4]
	jz	.done
	mov	byte [efi_systab_seen], 1
.done:
	ret

; screen_from_fb: the screen, if the framebuffer is EGA text below 1 MiB
; of a sane size (as mb_console_screen asks), from its top line.
; In:  ESI = the framebuffer fields (FB_*). Out: vga_*; EAX, ECX, EDX
;      clobbered.
screen_from_fb:
	cmp	byte [esi + FB_TYPE], FB_EGA_TEXT
	jne	.done
	cmp	dword [esi + FB_ADDR + 4], 0
	jne	.done
	mov	eax, [esi + FB_ADDR]
	cmp	eax, 0x100000
	jae	.done
	mov	ecx, [esi + FB_WIDTH]
	mov	edx, [esi + FB_HEIGHT]
	dec	ecx				; 1 to the maximum in one compare: 0 wraps
	cmp	ecx, VGA_MAX_COLS - 1
	ja	.done
	dec	edx
	cmp	edx, VGA_MAX_ROWS - 1
	ja	.done
	inc	ecx
	inc	edx
	mov	[vga_cell], eax
	mov	[vga_cols], ecx
	mov	[vga_rows], edx
.done:
	ret

; puts: the string at ESI (NUL-terminated) through putc.
; Out: every register kept.
puts:
	push	eax
	push	esi
.char:
	lodsb
	test	al, al
	jz	.done
	call	putc
	jmp	.char
.done:
	pop	esi
	pop	eax
	ret

; put_hex: EAX as 0x and 8 hex digits. Out: every register kept.
put_hex:
	pushad
	mov	edx, eax
	mov	esi, msg_0x
	call	puts
	mov	ecx, 8
.digit:
	rol	edx, 4
	mov	eax, edx
	and	eax, 0xf
	mov	al, [hex_digits + eax]
	call	putc
	loop	.digit
	popad
	ret

; put_range: EAX-EDX as two put_hex. Out: every register kept.
put_range:
	call	put_hex
	push	eax
	mov	al, '-'
	call	putc
	mov	eax, edx
	call	put_hex
	pop	eax
	ret

; put_dec: EAX in decimal. Out: every register kept.
put_dec:
	pushad
	mov	ebx, 10
	xor	ecx, ecx			; digits on the stack
.divide:
	xor	edx, edx
	div	ebx
	push	edx
	inc	ecx
	test	eax, eax
	jnz	.divide
.put:
	pop	eax
	add	al, '0'
	call	putc
	loop	.put
	popad
	ret

; putc: AL on COM1 ("\n" as "\r\n", as lib/serial.c) and on the screen.
; Out: every register kept.
putc:
	pushad
	cmp	al, 10
	jne	.serial
	mov	al, 13
	call	serial_putc
	mov	al, 10
.serial:
	call	serial_putc
	mov	eax, [esp + 28]			; pushad's EAX
	call	vga_putc
	popad
	ret

; serial_putc: AL to COM1 once it can take it, or after SERIAL_SPIN
; tries (lib/serial.c). Out: AH, ECX, EDX clobbered.
serial_putc:
	mov	ah, al
	mov	ecx, SERIAL_SPIN
	mov	dx, COM1 + UART_LSR
.wait:
	in	al, dx
	test	al, LSR_THRE
	jnz	.ready
	loop	.wait
.ready:
	outb	COM1 + UART_THR, ah
	ret

; vga_putc: AL on the screen screen_init chose, if any, as vga_put
; (mb/mb_console.c): a "\n" or a full line goes on at the start of the next
; line; below the last one the screen scrolls up.
; In:  AL. Out: EAX, EBX, ECX, EDX, ESI, EDI clobbered.
vga_putc:
	cmp	dword [vga_cell], 0
	je	.done
	mov	bl, al
	cmp	bl, 10
	je	.new_line
	mov	eax, [vga_col]
	cmp	eax, [vga_cols]
	jb	.put
.new_line:
	mov	dword [vga_col], 0
	mov	eax, [vga_row]
	inc	eax
	cmp	eax, [vga_rows]
	jb	.row
	call	vga_scroll
	mov	eax, [vga_rows]
	dec	eax
.row:
	mov	[vga_row], eax
	cmp	bl, 10
	je	.done
.put:
	mov	eax, [vga_row]
	imul	eax, [vga_cols]
	add	eax, [vga_col]
	mov	edi, [vga_cell]
	mov	bh, VGA_ATTR
	mov	[edi + eax * 2], bx
	inc	dword [vga_col]
.done:
	ret

; vga_scroll: every line of the screen up by one, the last one blank.
; Out: EAX, ECX, ESI, EDI clobbered.
vga_scroll:
	mov	edi, [vga_cell]
	mov	ecx, [vga_cols]
	lea	esi, [edi + ecx * 2]
	mov	eax, [vga_rows]
	dec	eax
	imul	ecx, eax
	rep movsw
	mov	ecx, [vga_cols]
	mov	ax, VGA_ATTR << 8 | ' '
	rep stosw
	ret

section .rodata

msg_error:		db	"efikexec: error: ", 0
msg_halted:		db	10, "efikexec: halted", 10, 0
msg_0x:			db	"0x", 0
hex_digits:		db	"0123456789abcdef"

; in .data, not .bss: this runs before .bss is zeroed
section .data

fb_fields:	dd	0		; screen_tag's framebuffer, or 0
efi_systab_seen: db	0		; screen_tag saw an EFI system table
	align	4
vga_cell:	dd	0		; the screen's first cell, or 0: none
vga_cols:	dd	0
vga_rows:	dd	0
vga_row:	dd	0		; where the next character goes
vga_col:	dd	0

section .note.GNU-stack noalloc noexec nowrite progbits
