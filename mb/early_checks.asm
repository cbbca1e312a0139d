; The checks mb_entry32 (mb/start.asm) makes in 32-bit protected mode, on
; its early stack, before it writes anything to .bss: that the CPU has
; long mode (on a 32-bit CPU the way in would fault, and without an IDT a
; fault is a silent reset), and that the loader put neither its
; information nor a module in .bss, which is about to be zeroed (a loader
; that ignores bss_end_addr or the ELF segment's memory size may). Either
; failing prints one error line on COM1 and the screen
; (mb/early_console.asm) and halts.

%include "mb/early_info.inc"

; CPUID: how far the extended leaves go, and the extended feature bits
%define CPUID_EXT_MAX		0x80000000
%define CPUID_EXT_FEATURES	0x80000001
%define EXT_EDX_LONG_MODE	29

extern __bss_start, __bss_end
extern boot_magic, boot_info			; mb/start.asm
extern mb2_walk					; mb/early_info.asm
extern error_start, halt_after_error		; mb/early_console.asm
extern puts, putc, put_dec, put_range
global ext_features, check_long_mode, check_placement

section .text

bits 32

; ext_features: the extended feature bits, CPUID 0x80000001 EDX, or none
; on a CPU whose extended leaves (CPUID 0x80000000 EAX) stop short of it.
; Out: EDX; EAX, EBX, ECX clobbered.
ext_features:
	mov	eax, CPUID_EXT_MAX
	cpuid
	xor	edx, edx
	cmp	eax, CPUID_EXT_FEATURES
	jb	.done
	mov	eax, CPUID_EXT_FEATURES
	cpuid
.done:
	ret

; check_long_mode: efikexec.mb is x86-64 code.
; Out: returns on a CPU with long mode; else says so and halts. EAX to
;      EDX clobbered.
check_long_mode:
	call	ext_features
	bt	edx, EXT_EDX_LONG_MODE
	jnc	.none
	ret
.none:
	call	error_start
	mov	esi, msg_no_long_mode
	call	puts
	jmp	halt_after_error

; check_placement: that zeroing .bss wipes nothing the loader passed.
; MB1 §3.3 and MB2 §3.6.1 let the loader put the information anywhere but
; in the memory reserved for the kernel, which is ours up to bss_end_addr
; (MB1 §3.1.3: the loader keeps modules and the information out of it) or
; to the ELF segment's memory size; a loader that takes only the file's
; bytes as ours may put them in .bss.
; In:  boot_magic, boot_info.
; Out: returns if nothing is in .bss (or there is no Multiboot information
;      to look at: mb_main says so); else says what and halts. Every
;      register but ESP clobbered.
check_placement:
	mov	ebx, [boot_info]
	mov	eax, [boot_magic]
	cmp	eax, MB1_LOADER_MAGIC
	je	check_mb1
	cmp	eax, MB2_LOADER_MAGIC
	je	check_mb2
	ret

; check_mb1: check_placement for Multiboot 1 (§3.3): the information, and
; what its flags say is there and mb/info.c reads: the module list, each
; module and its string, the command line, the boot loader name, the
; memory map.
; In:  EBX = the information. Out: as check_placement.
check_mb1:
	xor	edi, edi			; none of these is numbered
	mov	eax, ebx
	mov	ecx, MB1_INFO_BASE_SIZE
	test	dword [ebx], MB1_INFO_FRAMEBUFFER
	jz	.info
	mov	ecx, MB1_INFO_FB_SIZE
.info:
	mov	esi, name_info
	call	check_block

	test	dword [ebx], MB1_INFO_MODS
	jz	.cmdline
	mov	ecx, [ebx + MB1_MODS_COUNT]
	cmp	ecx, MB_MODULES_MAX
	jbe	.list
	mov	ecx, MB_MODULES_MAX
.list:
	imul	ecx, ecx, MB1_MODULE_SIZE
	mov	eax, [ebx + MB1_MODS_ADDR]
	mov	esi, name_module_list
	call	check_block
	; EBP: the entry, EDX: the list's end, EDI: the module's number
	mov	ebp, eax
	lea	edx, [eax + ecx]
	mov	edi, 1
.module:
	cmp	ebp, edx
	jae	.modules_done
	mov	eax, [ebp + MB1_MOD_START]
	mov	ecx, [ebp + MB1_MOD_END]
	sub	ecx, eax
	jb	.string				; mod_end below mod_start: mb/info.c says so
	mov	esi, name_module
	call	check_block
.string:
	mov	eax, [ebp + MB1_MOD_STRING]
	test	eax, eax			; §3.3 allows none
	jz	.next
	mov	esi, name_module_string
	call	check_string
.next:
	add	ebp, MB1_MODULE_SIZE
	inc	edi
	jmp	.module
.modules_done:
	xor	edi, edi

.cmdline:
	test	dword [ebx], MB1_INFO_CMDLINE
	jz	.loader_name
	mov	eax, [ebx + MB1_CMDLINE]
	mov	esi, name_cmdline
	call	check_string
.loader_name:
	test	dword [ebx], MB1_INFO_LOADER_NAME
	jz	.mmap
	mov	eax, [ebx + MB1_LOADER_NAME]
	mov	esi, name_loader_name
	call	check_string
.mmap:
	test	dword [ebx], MB1_INFO_MEM_MAP
	jz	.done
	mov	eax, [ebx + MB1_MMAP_ADDR]
	mov	ecx, [ebx + MB1_MMAP_LENGTH]
	mov	esi, name_mmap
	call	check_block
.done:
	ret

; check_mb2: check_placement for Multiboot 2: each module (§3.6.6), then
; the information itself, every tag in it (command line, strings, maps).
; In:  EBX = the information. Out: as check_placement.
check_mb2:
	mov	dword [module_number], 0
	mov	ebp, check_mb2_tag
	call	mb2_walk
	mov	ecx, eax
	mov	eax, ebx
	mov	esi, name_info
	xor	edi, edi
	jmp	check_block

; check_mb2_tag: mb2_walk's routine for check_mb2: a module tag's module,
; numbered as mb/info.c numbers them.
; In:  EDI = the tag, EAX = its type, ECX = its size. Out: as check_range.
check_mb2_tag:
	cmp	eax, MB2_TAG_MODULE
	jne	.done
	inc	dword [module_number]
	cmp	ecx, MB2_MODULE_MIN_SIZE
	jb	.done				; mb/info.c: too short
	mov	eax, [edi + MB2_MOD_START]
	mov	ecx, [edi + MB2_MOD_END]
	sub	ecx, eax
	jb	.done				; mod_end below mod_start: likewise
	mov	esi, name_module
	mov	edi, [module_number]
	jmp	check_block
.done:
	ret

; check_string: check_range for the string at EAX, its NUL included, or
; its first MB_STRING_MAX bytes (mb/info.c refuses a longer one).
; In:  EAX = the string; ESI, EDI as check_range. Out: as check_range.
check_string:
	push	ecx
	xor	ecx, ecx
.length:
	cmp	byte [eax + ecx], 0
	je	.nul
	inc	ecx
	cmp	ecx, MB_STRING_MAX
	jb	.length
	jmp	.check
.nul:
	inc	ecx
.check:
	call	check_block
	pop	ecx
	ret

; check_block: check_range for the ECX bytes at EAX (none if ECX is 0;
; those past 4 GiB are no concern of .bss).
; In:  EAX = the first byte, ECX = how many; ESI, EDI as check_range.
; Out: as check_range.
check_block:
	jecxz	.none
	push	edx
	lea	edx, [ecx - 1]
	add	edx, eax
	jnc	.check
	mov	edx, 0xffffffff
.check:
	call	check_range
	pop	edx
.none:
	ret

; check_range: whether the loader's bytes [EAX, EDX] lie clear of .bss.
; In:  EAX = the first byte, EDX = the last (EDX >= EAX); ESI = what they
;      are ("module"), EDI = its number from 1, or 0 for one of a kind.
; Out: returns, every register kept, if they lie clear of
;      [__bss_start, __bss_end); else says what and where, and halts.
check_range:
	cmp	eax, __bss_end - 1
	ja	.clear
	cmp	edx, __bss_start
	jb	.clear
	call	error_start
	push	esi
	mov	esi, msg_loader_put
	call	puts
	pop	esi
	call	puts
	test	edi, edi
	jz	.where
	push	eax
	mov	al, ' '
	call	putc
	mov	eax, edi
	call	put_dec
	pop	eax
.where:
	mov	esi, msg_at
	call	puts
	call	put_range
	mov	esi, msg_inside_bss
	call	puts
	mov	eax, __bss_start
	mov	edx, __bss_end - 1
	call	put_range
	mov	esi, msg_must_zero
	call	puts
	jmp	halt_after_error
.clear:
	ret

section .rodata

msg_no_long_mode:	db	"this CPU has no 64-bit long mode (CPUID 0x80000001 EDX bit 29 clear): efikexec.mb needs an x86-64 CPU", 0
msg_loader_put:		db	"the loader put ", 0
msg_at:			db	" at ", 0
msg_inside_bss:		db	", inside efikexec.mb's .bss at ", 0
msg_must_zero:		db	", which it must zero", 0
name_info:		db	"the Multiboot information", 0
name_module_list:	db	"the module list", 0
name_module:		db	"module", 0
name_module_string:	db	"the string of module", 0
name_cmdline:		db	"the command line", 0
name_loader_name:	db	"the boot loader name", 0
name_mmap:		db	"the memory map", 0

; in .data, not .bss: these checks run before .bss is zeroed
section .data

module_number:	dd	0		; check_mb2_tag's count

section .note.GNU-stack noalloc noexec nowrite progbits
