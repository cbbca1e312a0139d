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
; written to .bss: that the CPU has long mode, and that the loader put
; nothing in .bss (mb/early_checks.asm). Either failing prints one error
; line on COM1 and the screen (mb/early_console.asm) and halts.

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

%define CR0_MP		(1 << 1)
%define CR0_EM		(1 << 2)
%define CR0_TS		(1 << 3)
%define CR0_PG		(1 << 31)
%define CR4_PAE		(1 << 5)
%define CR4_OSFXSR	(1 << 9)
%define MSR_EFER	0xc0000080
%define EFER_LME	(1 << 8)
%define EFER_NXE	(1 << 11)
%define PG_PRESENT_RW	0x003
%define PG_LARGE	0x080

; in ext_features' EDX (mb/early_checks.asm): no-execute pages
%define EXT_EDX_NX		20

%define EARLY_STACK_SIZE	1024

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
extern ext_features, check_long_mode, check_placement	; mb/early_checks.asm
global mb_entry32, mb_entry_tsc
; what the loader passed, for mb/early_checks.asm and mb/early_console.asm
global boot_magic, boot_info

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

	; CR4: PAE and OSFXSR and nothing else (a previous kernel may have
	; left PGE, LA57 or SMEP set); CR3: our PML4. OSFXSR, with CR0.EM
	; clear and CR0.MP set below, enables SSE (Intel SDM Vol. 3A,
	; "Initialization of the SSE Extensions") for lib/sha256.c's SHA-NI
	; code, the only code here that uses XMM registers: the C is built
	; with -mgeneral-regs-only.
	mov	eax, CR4_PAE | CR4_OSFXSR
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

	; paging on; EM and TS clear and MP set for SSE (a stale TS would
	; fault the first SSE instruction with #NM)
	mov	eax, cr0
	and	eax, ~(CR0_EM | CR0_TS)
	or	eax, CR0_PG | CR0_MP
	mov	cr0, eax
	jmp	SEL_CODE64:long_mode

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

section .data

boot_magic:	dd	0
boot_info:	dd	0

; The stack of the checks before .bss is zeroed, and of their messages
	align	16
early_stack:	times EARLY_STACK_SIZE db 0
early_stack_top:
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
