; test/probe/linux_setup.asm: wraps the Linux probe's 64-bit payload into a
; bzImage: the real-mode setup sectors (nothing but the setup header of
; Documentation/arch/x86/boot.rst, protocol 2.15) followed by the payload,
; which is linked at pref_address and has its 64-bit entry at +0x200.
; Build with -DPAYLOAD="file" -DSYSSIZE=<16-byte units> -DINIT_SIZE=<bytes>.

SETUP_SECTS	equ 4
LOAD_ADDR	equ 0x1000000

	org	0
	times	0x1f1 db 0
	db	SETUP_SECTS		; 0x1f1 setup_sects
	dw	0			; root_flags
	dd	SYSSIZE			; 0x1f4 syssize
	dw	0			; ram_size
	dw	0xffff			; vid_mode
	dw	0			; root_dev
	dw	0xaa55			; 0x1fe boot_flag
	db	0xeb, 0x6a		; 0x200 jump: the header ends at 0x26c
	db	"HdrS"			; 0x202 header
	dw	0x020f			; 0x206 version 2.15
	dd	0			; realmode_swtch
	dw	0			; start_sys_seg
	dw	0			; kernel_version
	db	0			; 0x210 type_of_loader
	db	1			; 0x211 loadflags: LOADED_HIGH
	dw	0			; setup_move_size
	dd	LOAD_ADDR		; 0x214 code32_start
	dd	0, 0			; 0x218 ramdisk_image, ramdisk_size
	dd	0			; bootsect_kludge
	dw	0			; heap_end_ptr
	db	0, 0			; ext_loader_ver, ext_loader_type
	dd	0			; 0x228 cmd_line_ptr
	dd	0x7fffffff		; 0x22c initrd_addr_max
	dd	0x200000		; 0x230 kernel_alignment
	db	0			; 0x234 relocatable_kernel: fixed
	db	0			; min_alignment
	dw	0x21			; 0x236 xloadflags: KERNEL_64, 5LEVEL
	dd	0x7ff			; 0x238 cmdline_size
	dd	0			; hardware_subarch
	dq	0			; hardware_subarch_data
	dd	0, 0			; payload_offset, payload_length
	dq	0			; 0x250 setup_data
	dq	LOAD_ADDR		; 0x258 pref_address
	dd	INIT_SIZE		; 0x260 init_size
	dd	0			; handover_offset
	dd	0			; kernel_info_offset
%if ($ - $$) != 0x26c
%error "setup header layout"
%endif
	times	(SETUP_SECTS + 1) * 512 - ($ - $$) db 0
	incbin	PAYLOAD
