; efikexec.mb's entry: the Multiboot 1 and 2 headers, and the way from the
; loader's 32-bit protected mode into 64-bit C (mb_main).
;
; One image serves both protocols. The ELF file is linked for x86-64 and
; converted to ELF32 (Makefile): kexec-tools accepts only i386 ELF for
; Multiboot (elf_x86_probe), QEMU's -kernel refuses x86-64 ELF, GRUB takes
; either. The Multiboot 1 header carries the address fields (flag 16), which
; QEMU, GRUB and kexec-tools then use instead of the ELF headers; mb/mb.ld
; lays the file out so that both views agree.
;
; What is mapped: 0-4 GiB, identity, 2 MiB pages, read/write/executable,
; cacheable as the MTRRs say (MMIO stays uncached through them), and the
; same 4 GiB again at 512 GiB (an alias for reading the information: see
; .pdpt). Nothing else: no memory above 4 GiB (a read there faults, and
; the fault handler says so): every Multiboot pointer is 32-bit,
; efikexec.mb allocates below 4 GiB only, and the trampoline builds its own
; map of whatever it copies later. The loader's GDT and IDT are never used (Multiboot 1 §3.2
; and Multiboot2 §3.3 leave them undefined): ours are in this image.
;
; Two checks come first, on a small stack in .data, before anything is
; written to .bss: that the CPU has long mode (on a 32-bit CPU the way in
; would fault, and without an IDT a fault is a silent reset), and that the
; loader put neither its information nor a module in .bss, which is about
; to be zeroed (a loader that ignores bss_end_addr or the ELF segment's
; memory size may). Either failing prints one error line on COM1 and the
; screen, as mb/output.c and mb/halt.c would, and halts.

%define MB1_MAGIC	0x1badb002
; bit 0: modules page-aligned; bit 1: a memory map; bit 16: the address
; fields below are valid. No bit 2: no video mode, efikexec.mb writes to
; whatever console the loader left (VGA text, or a linear framebuffer).
%define MB1_FLAGS	((1 << 0) | (1 << 1) | (1 << 16))
%define MB2_MAGIC	0xe85250d6
%define MB2_ARCH_I386	0
%define MB2_TAG_OPTIONAL 1

%define SEL_CODE32	0x08
%define SEL_CODE64	0x10
%define SEL_DATA	0x18

%define CR0_PG		(1 << 31)
%define CR4_PAE		(1 << 5)
%define MSR_EFER	0xc0000080
%define EFER_LME	(1 << 8)
%define EFER_NXE	(1 << 11)
%define PG_PRESENT_RW	0x003
%define PG_LARGE	0x080

; CPUID: how far the extended leaves go, and the extended feature bits
%define CPUID_EXT_MAX		0x80000000
%define CPUID_EXT_FEATURES	0x80000001
%define EXT_EDX_NX		20
%define EXT_EDX_LONG_MODE	29

; What the loader passes in EAX (MB1 §3.2, MB2 §3.3)
%define MB1_LOADER_MAGIC	0x2badb002
%define MB2_LOADER_MAGIC	0x36d76289

; The Multiboot 1 information (Multiboot 0.6.96 §3.3): flags and offsets
%define MB1_INFO_CMDLINE	(1 << 2)
%define MB1_INFO_MODS		(1 << 3)
%define MB1_INFO_MEM_MAP	(1 << 6)
%define MB1_INFO_LOADER_NAME	(1 << 9)
%define MB1_INFO_FRAMEBUFFER	(1 << 12)
%define MB1_INFO_BASE_SIZE	88	; up to the vbe_* fields (all QEMU writes)
%define MB1_INFO_FB_SIZE	116	; with the framebuffer fields
%define MB1_CMDLINE		16
%define MB1_MODS_COUNT		20
%define MB1_MODS_ADDR		24
%define MB1_MMAP_LENGTH		44
%define MB1_MMAP_ADDR		48
%define MB1_LOADER_NAME		64
%define MB1_FB_FIELDS		88	; framebuffer_addr and on
; a module entry: mod_start, mod_end (one past the end), string, reserved
%define MB1_MODULE_SIZE		16
%define MB1_MOD_START		0
%define MB1_MOD_END		4
%define MB1_MOD_STRING		8

; The Multiboot 2 information (Multiboot2 2.0 §3.6): total_size and
; reserved (§3.6.2), then tags of type and size, each 8-byte aligned
%define MB2_FIRST_TAG		8
%define MB2_TAG_ALIGN		8
%define MB2_TAG_END		0
%define MB2_TAG_MODULE		3	; §3.6.6: mod_start, mod_end, string
%define MB2_MODULE_MIN_SIZE	16
%define MB2_MOD_START		8
%define MB2_MOD_END		12
%define MB2_TAG_FRAMEBUFFER	8	; §3.6.12
%define MB2_FB_MIN_SIZE		32
%define MB2_FB_FIELDS		8	; framebuffer_addr and on
%define MB2_TAG_EFI64		12	; §3.6.14: the EFI system table
%define MB2_EFI64_MIN_SIZE	16
%define MB2_EFI64_SYSTAB	8

; What mb/info.c refuses anyway (mb/info.h): the checks below look no
; further than it will
%define MB_INFO_MAX		(1 << 20)
%define MB_STRING_MAX		(1 << 16)
%define MB_MODULES_MAX		64

; Framebuffer fields, laid out alike from framebuffer_addr on in MB1 §3.3
; and MB2 §3.6.12: addr (u64), pitch, width, height, bpp, type
%define FB_ADDR			0
%define FB_WIDTH		12
%define FB_HEIGHT		16
%define FB_TYPE			21
%define FB_EGA_TEXT		2

; The screen and COM1, as mb/output.c drives them
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

%define EARLY_STACK_SIZE	1024

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
; DS, ES, SS, FS and GS: our flat data selector (in 32- and 64-bit mode)
%macro load_data_segments 0
	mov	eax, SEL_DATA
	mov	ds, eax
	mov	es, eax
	mov	ss, eax
	mov	fs, eax
	mov	gs, eax
%endmacro

%define STUB_SIZE	16	; bytes per exception stub

extern mb_main, mb_exception
extern __image_start, __load_end, __bss_start, __bss_end
global mb_entry32, mb_entry_tsc

section .mb_header progbits alloc noexec nowrite align=8

; Multiboot 0.6.96 §3.1.1: in the first 8192 bytes, 4-byte aligned.
mb1_header:
	dd	MB1_MAGIC
	dd	MB1_FLAGS
	dd	0x100000000 - (MB1_MAGIC + MB1_FLAGS)
	dd	mb1_header		; header_addr
	dd	__image_start		; load_addr: the file from here...
	dd	__load_end		; load_end_addr: ...to here
	dd	__bss_end		; bss_end_addr: zeroed up to here
	dd	mb_entry32		; entry_addr

	align	8, db 0
; Multiboot2 2.0 §3.1.1: in the first 32768 bytes, 8-byte aligned. The ELF
; headers say where to load and enter (no address or entry tag: kexec-tools
; reads only the ELF). No EFI boot-services tag (7) and no EFI entry tags
; (8, 9): a UEFI loader exits boot services and enters here, as on a BIOS.
mb2_header:
	dd	MB2_MAGIC
	dd	MB2_ARCH_I386
	dd	mb2_end - mb2_header
	dd	0x100000000 - (MB2_MAGIC + MB2_ARCH_I386 + (mb2_end - mb2_header))
	; §3.1.4: what efikexec.mb reads (optional: a loader that cannot
	; give one still boots it): memory map, EFI system table, ACPI old
	; and new, EFI memory map
	dw	1, MB2_TAG_OPTIONAL
	dd	8 + 5 * 4
	dd	6, 12, 14, 15, 17
	align	8, db 0
	; §3.1.11: modules page-aligned
	dw	6, 0
	dd	8
	; §3.1.3: the end tag
	dw	0, 0
	dd	8
mb2_end:

section .text

bits 32

; mb_entry32: the loader jumps here.
; In:  32-bit protected mode, paging off, interrupts off (or not: we clear
;      IF), CS/DS/ES/SS flat 4 GiB but from a GDT we may not rely on,
;      ESP and everything else undefined (MB1 §3.2, MB2 §3.3);
;      EAX = 0x2BADB002 (MB1) or 0x36D76289 (MB2), EBX = the information.
; Out: mb_main(EDI = magic, ESI = info) in 64-bit mode on our GDT, IDT,
;      stack and identity map; never returns. On a CPU without long mode,
;      or with the information or a module in our .bss: an error line on
;      COM1 and the screen, then a halt.
mb_entry32:
	cli
	cld
	; kept in .data (which nobody clears) until mb_main: RDTSC and CPUID
	; below overwrite EAX to EDX
	mov	[boot_magic], eax
	mov	[boot_info], ebx
	; the moment the loader let go, for the timing from entry to jump
	rdtsc
	mov	[mb_entry_tsc], eax
	mov	[mb_entry_tsc + 4], edx
	lgdt	[gdtr]
	jmp	SEL_CODE32:.our_gdt
.our_gdt:
	load_data_segments
	mov	esp, early_stack_top

	call	check_long_mode
	call	check_placement

	; .bss holds the stack and page tables: zero it ourselves, whatever
	; the loader did
	mov	edi, __bss_start
	mov	ecx, __bss_end
	sub	ecx, edi
	shr	ecx, 2
	xor	eax, eax
	rep stosd

	; PD entries: 2048 2 MiB pages, 0-4 GiB
	mov	edi, page_dirs
	mov	eax, PG_PRESENT_RW | PG_LARGE
	mov	ecx, 2048
.pd:
	mov	[edi], eax
	add	eax, 1 << 21
	add	edi, 8
	loop	.pd
	; PDPT: the four page directories; PML4: the PDPT
	mov	edi, pdpt
	mov	eax, page_dirs + PG_PRESENT_RW
	mov	ecx, 4
.pdpt:
	mov	[edi], eax
	add	eax, 4096
	add	edi, 8
	loop	.pdpt
	mov	dword [pml4], pdpt + PG_PRESENT_RW
	; and again at 512 GiB (PML4 slot 1, far from any memory efikexec.mb
	; could be asked to read): the alias through which mb/info.c reads
	; the Multiboot information (mb/mb_machine.c), so that physical address
	; 0, where kexec-tools 2.0.25 puts a Multiboot 1 memory map, is no
	; null pointer in C
	mov	esi, pdpt
	mov	edi, pdpt_alias
	mov	ecx, 4 * 2
	rep movsd
	mov	dword [pml4 + 8], pdpt_alias + PG_PRESENT_RW

	; CR4: PAE and nothing else (a previous kernel may have left PGE,
	; LA57 or SMEP set); CR3: our PML4
	mov	eax, CR4_PAE
	mov	cr4, eax
	mov	eax, pml4
	mov	cr3, eax

	; EFER.LME, and NXE where the CPU has it (the page tables the core
	; builds may use it)
	call	ext_features
	xor	esi, esi
	bt	edx, EXT_EDX_NX
	jnc	.no_nx
	mov	esi, EFER_NXE
.no_nx:
	mov	ecx, MSR_EFER
	rdmsr
	or	eax, EFER_LME
	or	eax, esi
	wrmsr

	mov	eax, cr0
	or	eax, CR0_PG
	mov	cr0, eax
	jmp	SEL_CODE64:long_mode

; ---- Before .bss: the checks, on the early stack ----

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

; ---- Before .bss: an error, as mb_fail (mb/halt.c) shows one ----

; error_start: the console (as mb_console_init and mb_console_screen in
; mb/output.c set it up), and the start of an error line.
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

; com1_init: COM1 as mb_console_init (mb/output.c) leaves it: at the speed
; a loader set, else at 115200 8N1; a missing UART (reading 0xff) is left
; alone. Out: EAX, ECX, EDX clobbered.
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

; screen_init: the text screen, as mb_console_screen (mb/output.c) picks
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
; (mb/output.c): a "\n" or a full line goes on at the start of the next
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

bits 64

; long_mode: from mb_entry32's far jump.
; In:  64-bit mode on our GDT and identity map, interrupts off, no stack
;      yet; boot_magic and boot_info hold what the loader passed.
; Out: mb_main(EDI = magic, ESI = information) on our stack and IDT.
long_mode:
	load_data_segments
	mov	rsp, stack_top

	; IDT: every exception to mb_exception, which says which and halts;
	; without it a fault would be a triple fault, a silent reset
	mov	rdi, idt
	mov	rax, exception_stubs
	mov	ecx, 32
.idt:
	mov	[rdi], ax			; offset 15:0
	mov	word [rdi + 2], SEL_CODE64
	mov	word [rdi + 4], 0x8e00		; present, DPL 0, interrupt gate
	mov	rdx, rax
	shr	rdx, 16
	mov	[rdi + 6], dx			; offset 31:16
	shr	rdx, 16
	mov	[rdi + 8], edx			; offset 63:32
	add	rax, STUB_SIZE
	add	rdi, 16
	loop	.idt
	lidt	[idtr]

	mov	edi, [boot_magic]
	mov	esi, [boot_info]
	xor	ebp, ebp
	call	mb_main
.halt:
	cli
	hlt
	jmp	.halt

; Exception stubs, STUB_SIZE bytes each: the vector and an error code (0
; where the CPU pushes none: all but 8, 10-14, 17, 21, 29, 30).
; mb_exception(vector, error, rip, cr2) does not return.
	align	16
exception_stubs:
%assign v 0
%rep 32
	align	STUB_SIZE
%if !(v == 8 || (v >= 10 && v <= 14) || v == 17 || v == 21 || v == 29 || v == 30)
	push	0
%endif
	push	v
	jmp	exception_common
%assign v v + 1
%endrep

; exception_common: from a stub.
; In:  [RSP] vector, [RSP + 8] error code, [RSP + 16] the CPU's frame (RIP
;      first); any stack alignment.
; Out: mb_exception(vector, error, RIP, CR2), which halts.
exception_common:
	mov	rdi, [rsp]		; vector
	mov	rsi, [rsp + 8]		; error code
	mov	rdx, [rsp + 16]		; RIP
	mov	rcx, cr2
	and	rsp, -16
	call	mb_exception
	jmp	long_mode.halt

section .rodata

msg_error:		db	"efikexec: error: ", 0
msg_halted:		db	10, "efikexec: halted", 10, 0
msg_no_long_mode:	db	"this CPU has no 64-bit long mode (CPUID 0x80000001 EDX bit 29 clear): efikexec.mb needs an x86-64 CPU", 0
msg_loader_put:		db	"the loader put ", 0
msg_at:			db	" at ", 0
msg_inside_bss:		db	", inside efikexec.mb's .bss at ", 0
msg_must_zero:		db	", which it must zero", 0
msg_0x:			db	"0x", 0
hex_digits:		db	"0123456789abcdef"
name_info:		db	"the Multiboot information", 0
name_module_list:	db	"the module list", 0
name_module:		db	"module", 0
name_module_string:	db	"the string of module", 0
name_cmdline:		db	"the command line", 0
name_loader_name:	db	"the boot loader name", 0
name_mmap:		db	"the memory map", 0

section .data

boot_magic:	dd	0
boot_info:	dd	0

; For the checks before .bss is zeroed, and their messages
	align	16
early_stack:	times EARLY_STACK_SIZE db 0
early_stack_top:
module_number:	dd	0		; check_mb2_tag's count
fb_fields:	dd	0		; screen_tag's framebuffer, or 0
efi_systab_seen: db	0		; screen_tag saw an EFI system table
	align	4
vga_cell:	dd	0		; the screen's first cell, or 0: none
vga_cols:	dd	0
vga_rows:	dd	0
vga_row:	dd	0		; where the next character goes
vga_col:	dd	0
	align	8
mb_entry_tsc:	dq	0

	align	16
gdt:
	dq	0
	dq	0x00cf9a000000ffff	; 0x08: 32-bit code, flat
	dq	0x00af9a000000ffff	; 0x10: 64-bit code
	dq	0x00cf92000000ffff	; 0x18: data, flat
gdt_end:

	align	8
	dw	0
gdtr:
	dw	gdt_end - gdt - 1
	dq	gdt			; lgdt in 32-bit mode reads 4 bytes of it

	align	8
	dw	0
idtr:
	dw	32 * 16 - 1
	dq	idt

section .bss

	alignb	4096
pml4:		resb	4096
pdpt:		resb	4096
pdpt_alias:	resb	4096
page_dirs:	resb	4 * 4096
idt:		resb	32 * 16
	alignb	16
stack:		resb	65536
stack_top:
section .note.GNU-stack noalloc noexec nowrite progbits
