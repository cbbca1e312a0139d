/* Linux bzImage, entered through the 64-bit boot protocol
 * (Documentation/arch/x86/boot.rst, "64-bit Boot Protocol"). */
#include "boot/linux.h"

#include "boot/bootparams.h"
#include "boot/handoff_record.h"
#include "lib/mem.h"
#include "lib/range.h"
#include "lib/sizes.h"
#include "mm/pagetable.h"

/* No real kernel needs more than this much room to decompress; a larger
 * init_size is a corrupt header, not a kernel. */
#define INIT_SIZE_MAX (UINT64_C(1) << 30)
/* boot.rst: the 64-bit entry point is 0x200 past the protected-mode start. */
#define ENTRY64_OFFSET 0x200
/* boot.rst: protocol 2.12 added xloadflags (XLF_KERNEL_64). */
#define MIN_PROTOCOL 0x020c
/* boot.rst: protocol 2.14 added acpi_rsdp_addr. */
#define PROTOCOL_ACPI_RSDP 0x020e
/* Legacy load address of a non-relocatable protected-mode kernel. */
#define LEGACY_LOAD_ADDR 0x100000

static void read_header(const uint8_t *img, struct setup_header *h)
{
	memcpy(h, img + SETUP_HEADER_OFFSET, sizeof(*h));
}

bool linux_detect(const uint8_t *img, size_t size)
{
	struct setup_header h;

	if (size < SETUP_HEADER_OFFSET + sizeof(h))
		return false;
	read_header(img, &h);
	return h.boot_flag == BOOT_FLAG_MAGIC && h.header == HDRS_MAGIC;
}

/* boot.rst: "The end of setup header can be calculated as follows:
 * 0x0202 + byte value at offset 0x0201". */
static size_t header_end(const uint8_t *img)
{
	return 0x202 + img[0x201];
}

static size_t setup_size(const struct setup_header *h)
{
	/* boot.rst: setup_sects 0 means 4 */
	return ((size_t)(h->setup_sects ? h->setup_sects : 4) + 1) * 512;
}

int linux_parse(const uint8_t *img, size_t size, struct kernel_layout *out,
		struct diag *d)
{
	struct setup_header h;

	if (size < SETUP_HEADER_OFFSET + sizeof(h))
		return diag_fail(d, ERR_BAD_IMAGE,
				 "file is %zu bytes, too small for a Linux setup header (0x%zx)",
				 size, SETUP_HEADER_OFFSET + sizeof(h));
	read_header(img, &h);
	if (h.boot_flag != BOOT_FLAG_MAGIC || h.header != HDRS_MAGIC)
		return diag_fail(d, ERR_BAD_IMAGE,
				 "no Linux setup header: boot_flag 0x%x at 0x1fe (want 0xaa55), header 0x%x at 0x202 (want \"HdrS\")",
				 h.boot_flag, h.header);
	if (h.version < MIN_PROTOCOL)
		return diag_fail(d, ERR_UNSUPPORTED,
				 "boot protocol %u.%02u is older than 2.12: no 64-bit entry",
				 h.version >> 8, h.version & 0xff);
	if (header_end(img) < HDR_OFF(init_size) + 4)
		return diag_fail(d, ERR_BAD_IMAGE,
				 "setup header ends at 0x%zx (byte at 0x201), before init_size at 0x260 that protocol 2.%02u has",
				 header_end(img), h.version & 0xff);
	size_t ssize = setup_size(&h);
	if (header_end(img) > ssize || ssize >= size)
		return diag_fail(d, ERR_BAD_IMAGE,
				 "truncated: setup code is 0x%zx bytes (setup_sects %u), header ends at 0x%zx, file is 0x%zx bytes",
				 ssize, h.setup_sects, header_end(img), size);
	if (!(h.loadflags & LOADED_HIGH))
		return diag_fail(d, ERR_UNSUPPORTED,
				 "zImage (loadflags 0x%x without LOADED_HIGH): only bzImage is supported",
				 h.loadflags);
	if (!(h.xloadflags & XLF_KERNEL_64))
		return diag_fail(d, ERR_UNSUPPORTED,
				 "kernel has no 64-bit entry point: xloadflags 0x%x lacks XLF_KERNEL_64 (bit 0)",
				 h.xloadflags);
	uint64_t payload = size - ssize;
	/* boot.rst: syssize is the protected-mode code's size in 16-byte
	 * paragraphs, so it rounds up: a file may end up to 15 bytes short of
	 * it (memtest86+ 6.10 does), and GRUB and QEMU load "the rest of the
	 * file". More than that is missing code. */
	if ((uint64_t)h.syssize * 16 >= payload + 16)
		return diag_fail(d, ERR_BAD_IMAGE,
				 "truncated: syssize says 0x%lx bytes of protected-mode code, the file has 0x%lx after the setup code",
				 (uint64_t)h.syssize * 16, payload);
	/* protocol 2.08: the compressed kernel at payload_offset from the
	 * protected-mode code, payload_length bytes (0 where there is none) */
	if ((uint64_t)h.payload_offset + h.payload_length > payload)
		return diag_fail(d, ERR_BAD_IMAGE,
				 "truncated: payload_offset 0x%x + payload_length 0x%x runs past the 0x%lx bytes after the setup code",
				 h.payload_offset, h.payload_length, payload);
	if (h.init_size < (uint64_t)h.syssize * 16 || h.init_size > INIT_SIZE_MAX)
		return diag_fail(d, ERR_BAD_IMAGE,
				 "init_size 0x%x is absurd: it must be between the code size 0x%lx and 0x%lx",
				 h.init_size, (uint64_t)h.syssize * 16,
				 INIT_SIZE_MAX);

	bool relocatable = h.relocatable_kernel;
	uint64_t base = h.pref_address ? h.pref_address : LEGACY_LOAD_ADDR;
	uint64_t memsz = align_up(payload > h.init_size ? payload : h.init_size,
				  PAGE_SIZE);
	if (relocatable &&
	    (!is_pow2(h.kernel_alignment) || h.kernel_alignment < PAGE_SIZE ||
	     h.kernel_alignment > INIT_SIZE_MAX))
		return diag_fail(d, ERR_BAD_IMAGE,
				 "kernel_alignment 0x%x is not a power of two between 4 KiB and 1 GiB",
				 h.kernel_alignment);
	uint64_t align = relocatable ? h.kernel_alignment : PAGE_SIZE;
	if (base % align || base >= IDMAP_MAX_TOP - memsz)
		return diag_fail(d, ERR_BAD_IMAGE,
				 "pref_address 0x%lx is not a usable load address (alignment 0x%lx)",
				 base, align);

	*out = (struct kernel_layout){
		.nseg = 1,
		.seg[0] = {
			.what = "kernel",
			.offset = ssize,
			.filesz = payload,
			.addr = base,
			.memsz = memsz,
			.align = align,
			/* the kernel clears its own bss: no zero fill of init_size */
		},
		.place = {
			.what = "kernel",
			.size = memsz,
			.pref = base,
			.fixed = !relocatable,
			.align = align,
			/* A relocatable kernel placed below LOAD_PHYSICAL_ADDR
			 * (= pref_address) decompresses itself to that address
			 * anyway (arch/x86/boot/compressed/head_64.S), so never
			 * search below it. */
			.min = base,
			.limit = (h.xloadflags & XLF_CAN_BE_LOADED_ABOVE_4G) ?
					 IDMAP_MAX_TOP : FOUR_GIB,
		},
		.entry = base + ENTRY64_OFFSET,
		.modules = {
			/* boot.rst initrd_addr_max: the highest address the
			 * initrd may occupy; CAN_BE_LOADED_ABOVE_4G lifts it. */
			.soft_max = h.initrd_addr_max,
			.hard_max = (h.xloadflags & XLF_CAN_BE_LOADED_ABOVE_4G) ?
					    UINT64_MAX : h.initrd_addr_max,
			.concatenate = true,
		},
	};
	return 0;
}

struct linux_state {
	struct boot_params *bp;
	struct setup_data *e820_ext; /* room for max_map_entries entries */
	size_t e820_ext_cap;
	struct setup_data *handoff;  /* SETUP_EFIKEXEC, always linked */
};
_Static_assert(sizeof(struct linux_state) <= BOOT_STATE_SIZE, "linux_state");

static uint32_t lo32(uint64_t v)
{
	return (uint32_t)v;
}

static uint32_t hi32(uint64_t v)
{
	return (uint32_t)(v >> 32);
}

_Static_assert(offsetof(struct framebuffer, rsvd) ==
		       offsetof(struct framebuffer, red) + 6 &&
	       sizeof(struct color_field) == 2 &&
	       offsetof(struct color_field, pos) == 1, "colour fields");

void linux_fill_screen_info(struct screen_info *si, const struct framebuffer *fb)
{
	si->orig_video_isVGA = VIDEO_TYPE_EFI;
	si->lfb_width = (uint16_t)fb->width;
	si->lfb_height = (uint16_t)fb->height;
	si->lfb_depth = fb->bpp;
	si->lfb_linelength = (uint16_t)fb_pitch(fb);
	si->lfb_base = (uint32_t)fb->base;
	si->ext_lfb_base = (uint32_t)(fb->base >> 32);
	si->lfb_size = (uint32_t)fb->size;
	/* red, green, blue and reserved, size then position: the layout of
	 * struct color_field, four in a row */
	memcpy(&si->red_size, &fb->red, 8);
	si->pages = 1;
	/* The firmware told us exactly where the framebuffer is. */
	si->capabilities = VIDEO_CAPABILITY_SKIP_QUIRKS;
	if (fb->base >> 32)
		si->capabilities |= VIDEO_CAPABILITY_64BIT_BASE;
}

static int set_cmdline(struct boot_ctx *ctx, struct boot_params *bp,
		       struct diag *d)
{
	size_t len = strlen(ctx->cmdline);
	char *buf;

	/* boot.rst cmdline_size: "maximum size of the command line without
	 * the terminating zero" */
	if (len > bp->hdr.cmdline_size)
		return diag_fail(d, ERR_USAGE,
				 "command line is %zu bytes, the kernel accepts at most %u (cmdline_size)",
				 len, bp->hdr.cmdline_size);
	buf = boot_alloc(ctx, "cmdline", len + 1, FOUR_GIB - 1, d);
	if (!buf)
		return d->code;
	memcpy(buf, ctx->cmdline, len + 1);
	bp->hdr.cmd_line_ptr = lo32(phys_of(buf));
	bp->ext_cmd_line_ptr = hi32(phys_of(buf));
	return 0;
}

int linux_prepare_with_header(struct boot_ctx *ctx, const void *hdr,
			      size_t hdr_bytes, struct diag *d)
{
	struct linux_state *st = (struct linux_state *)ctx->state;
	struct boot_params *bp;
	int rc;

	/* boot.rst 64-bit protocol: boot_params may be anywhere; all boot
	 * information is kept below 4 GiB for kernels that read it from
	 * 32-bit code. */
	bp = boot_alloc(ctx, "boot_params", sizeof(*bp), FOUR_GIB - 1, d);
	if (!bp)
		return d->code;
	st->bp = bp;

	/* boot.rst: copy the setup header into a zeroed boot_params, up to
	 * its end (but not into the EDD buffer behind it), then modify it as
	 * the 16-bit protocol describes. The fields a loader fills start
	 * from zero, whatever the file holds: its setup_data would otherwise
	 * be chained in front of ours. */
	if (hdr_bytes > SETUP_HEADER_LIMIT - SETUP_HEADER_OFFSET)
		hdr_bytes = SETUP_HEADER_LIMIT - SETUP_HEADER_OFFSET;
	memcpy(&bp->hdr, hdr, hdr_bytes);

	/* boot.rst 64-bit protocol: entered with paging as it is, so a
	 * kernel that cannot take 5-level paging must not be started under
	 * firmware that runs with LA57. */
	if (ctx->platform->paging_5level && !(bp->hdr.xloadflags & XLF_5LEVEL))
		return diag_fail(d, ERR_UNSUPPORTED,
				 "the firmware runs with 5-level paging, and this kernel cannot be entered that way (xloadflags 0x%x lacks XLF_5LEVEL)",
				 bp->hdr.xloadflags);

	bp->hdr.setup_data = 0;
	bp->hdr.ramdisk_image = 0;
	bp->hdr.ramdisk_size = 0;
	bp->hdr.vid_mode = VID_MODE_NORMAL;
	bp->hdr.type_of_loader = LOADER_TYPE_UNDEFINED;
	if ((rc = set_cmdline(ctx, bp, d)))
		return rc;
	if (ctx->nmodules) {
		const struct module *initrd = &ctx->modules[0];
		bp->hdr.ramdisk_image = lo32(initrd->addr);
		bp->ext_ramdisk_image = hi32(initrd->addr);
		bp->hdr.ramdisk_size = lo32(initrd->size);
		bp->ext_ramdisk_size = hi32(initrd->size);
	}
	if (bp->hdr.version >= PROTOCOL_ACPI_RSDP)
		bp->acpi_rsdp_addr = ctx->platform->acpi_rsdp;
	if (ctx->platform->has_fb)
		linux_fill_screen_info(&bp->screen_info, &ctx->platform->fb);

	/* zero-page.rst efi_info: "EL64" tells the kernel it was booted
	 * from 64-bit EFI; the memory map fields are set in finish(). Not
	 * on a BIOS machine (efikexec.mb): no system table, no EFI boot. */
	if (ctx->platform->efi_systab)
		bp->efi_info.efi_loader_signature = EFI64_LOADER_SIGNATURE;
	bp->efi_info.efi_systab = lo32(ctx->platform->efi_systab);
	bp->efi_info.efi_systab_hi = hi32(ctx->platform->efi_systab);
	/* as the EFI stub reports it: Linux locks itself down from it */
	bp->secure_boot = (uint8_t)ctx->platform->secure_boot;

	/* Entries beyond the zero page's 128 go in a SETUP_E820_EXT node,
	 * linked in finish() when the final map needs it. */
	if (ctx->max_map_entries > E820_MAX_ENTRIES_ZEROPAGE) {
		st->e820_ext_cap = ctx->max_map_entries;
		st->e820_ext = boot_alloc(ctx, "e820 setup_data",
					  sizeof(struct setup_data) +
						  st->e820_ext_cap * sizeof(struct e820_entry),
					  FOUR_GIB - 1, d);
		if (!st->e820_ext)
			return d->code;
	}

	/* The flags word and CPU records, filled in finish(). */
	st->handoff = boot_alloc(ctx, "efikexec setup_data",
				 sizeof(struct setup_data) + handoff_size(ctx->cpus->n),
				 FOUR_GIB - 1, d);
	if (!st->handoff)
		return d->code;
	st->handoff->type = SETUP_EFIKEXEC;
	st->handoff->len = (uint32_t)handoff_size(ctx->cpus->n);
	st->handoff->next = bp->hdr.setup_data;
	bp->hdr.setup_data = phys_of(st->handoff);

	ctx->plan->entry = (struct entry_state){
		.mode = ENTRY_LONG64,
		.rip = ctx->layout->entry + ctx->delta,
		.rsi = phys_of(bp),
	};
	return 0;
}

int linux_prepare(struct boot_ctx *ctx, struct diag *d)
{
	return linux_prepare_with_header(ctx, ctx->image + SETUP_HEADER_OFFSET,
					 header_end(ctx->image) - SETUP_HEADER_OFFSET,
					 d);
}

void linux_finish(struct boot_ctx *ctx, const struct final_state *fs)
{
	struct linux_state *st = (struct linux_state *)ctx->state;
	struct boot_params *bp = st->bp;
	struct e820_entry *all;
	size_t n, cap;

	/* Build the whole table in the ext node (or the zero page when the
	 * node is not needed), then split it. */
	if (st->e820_ext) {
		all = (struct e820_entry *)st->e820_ext->data;
		cap = st->e820_ext_cap;
	} else {
		all = bp->e820_table;
		cap = E820_MAX_ENTRIES_ZEROPAGE;
	}
	n = e820_from_memmap(fs->map, all, sizeof(*all), cap);
	if (n > cap)
		n = cap; /* cannot happen: e820 never has more entries than the map */
	if (all != bp->e820_table) {
		size_t first = n < E820_MAX_ENTRIES_ZEROPAGE ? n : E820_MAX_ENTRIES_ZEROPAGE;
		memcpy(bp->e820_table, all, first * sizeof(*all));
		memmove(all, all + first, (n - first) * sizeof(*all));
		st->e820_ext->type = SETUP_E820_EXT;
		st->e820_ext->len = (uint32_t)((n - first) * sizeof(*all));
		if (n > first) {
			st->e820_ext->next = bp->hdr.setup_data;
			bp->hdr.setup_data = phys_of(st->e820_ext);
		}
		n = first;
	}
	bp->e820_entries = (uint8_t)n;

	if (ctx->platform->efi_systab) {
		bp->efi_info.efi_memdesc_size = fs->desc_size;
		bp->efi_info.efi_memdesc_version = fs->desc_version;
		bp->efi_info.efi_memmap_size = (uint32_t)fs->raw_size;
		bp->efi_info.efi_memmap = lo32(fs->raw_addr);
		bp->efi_info.efi_memmap_hi = hi32(fs->raw_addr);
	}

	ctx->handoff = (struct efikexec_handoff *)st->handoff->data;
	handoff_fill(ctx->handoff, fs->flags, ctx->cpus, fs->tsc_hz, fs->stamps,
		     fs->detail);
}

/* parse() reads the setup header alone, which ends by 0x202 + 0xff
 * (boot.rst: 0x202 + the byte at 0x201) */
_Static_assert(SETUP_HEADER_OFFSET + sizeof(struct setup_header) <= 0x301,
	       "setup header");
const struct boot_format linux_format = {
	.name = "linux",
	.head = 0x301,
	.signed_pe = true,
	.detect = linux_detect,
	.parse = linux_parse,
	.prepare = linux_prepare,
	.finish = linux_finish,
};
