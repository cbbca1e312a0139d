/* Plain ELF64 kernels, entered in 64-bit mode through the efikexec ELF64
 * boot protocol (docs/elf64-protocol.md, boot/elf64_protocol.h). */
#include "boot/elf64.h"

#include "boot/elf.h"
#include "boot/elf64_protocol.h"
#include "boot/handoff_record.h"
#include "lib/mem.h"
#include "lib/range.h"
#include "lib/sizes.h"
#include "mm/e820.h"

static const uint16_t elf_machines[] = { EM_X86_64, 0 };

bool elf64_detect(const uint8_t *img, size_t size)
{
	return elf_detect(img, size) && img[4] == 2 /* ELFCLASS64 */;
}

int elf64_parse(const uint8_t *img, size_t size, struct kernel_layout *l,
		struct diag *d)
{
	struct elf_image e;
	int rc;

	*l = (struct kernel_layout){ 0 };
	if ((rc = elf_parse(img, size, elf_machines, ELF_ENTRY_VIRTUAL, l, &e, d)))
		return rc;
	if (!e.is64)
		return diag_fail(d, ERR_UNSUPPORTED,
				 "an ELF32 file is not an ELF64 kernel (is it a Multiboot kernel without its header?)");
	/* loaded exactly at its physical addresses, like Multiboot */
	if ((rc = elf_place_fixed(&e, "ELF image", l, d)))
		return rc;
	l->modules = (struct module_policy){
		.soft_max = FOUR_GIB - 1, .hard_max = FOUR_GIB - 1,
	};
	return 0;
}

struct elf64_state {
	struct efikexec_boot_info *info;
	struct efikexec_memory_range *memmap;
	size_t memmap_cap;
	struct efikexec_handoff *handoff;
};
_Static_assert(sizeof(struct elf64_state) <= BOOT_STATE_SIZE, "elf64_state");

int elf64_prepare(struct boot_ctx *ctx, struct diag *d)
{
	struct elf64_state *st = (struct elf64_state *)ctx->state;
	const struct platform *pf = ctx->platform;
	const struct kernel_layout *l = ctx->layout;
	struct efikexec_boot_info *info;
	struct efikexec_module *mods;
	size_t size;
	char *area;

	st->memmap_cap = ctx->max_map_entries;
	size = sizeof(*info) + handoff_size(ctx->cpus->n) +
	       ctx->nmodules * sizeof(*mods) +
	       st->memmap_cap * sizeof(*st->memmap) + boot_strings_size(ctx);
	info = boot_alloc(ctx, "boot info", size, FOUR_GIB - 1, d);
	if (!info)
		return d->code;
	st->info = info;
	/* 8-byte aligned pieces first, strings last */
	st->handoff = (struct efikexec_handoff *)(info + 1);
	mods = (struct efikexec_module *)((uint8_t *)st->handoff +
					  align_up(handoff_size(ctx->cpus->n), 8));
	st->memmap = (struct efikexec_memory_range *)(mods + ctx->nmodules);
	area = (char *)(st->memmap + st->memmap_cap);

	*info = (struct efikexec_boot_info){
		.magic = EFIKEXEC_BOOT_MAGIC,
		.version = EFIKEXEC_BOOT_VERSION,
		.size = sizeof(*info),
		.image_start = l->place.pref + ctx->delta,
		.image_end = l->place.pref + ctx->delta + l->place.size,
		.memmap = phys_of(st->memmap),
		.memmap_entry_size = sizeof(*st->memmap),
		.modules = phys_of(mods),
		.module_count = (uint32_t)ctx->nmodules,
		.module_entry_size = sizeof(*mods),
		.efi_system_table = pf->efi_systab,
		.acpi_rsdp = pf->acpi_rsdp,
		.handoff = phys_of(st->handoff),
	};
	info->cmdline = boot_put_string(&area, ctx->cmdline);
	for (size_t i = 0; i < ctx->nmodules; i++)
		mods[i] = (struct efikexec_module){
			.start = ctx->modules[i].addr,
			.size = ctx->modules[i].size,
			.string = boot_put_string(&area, ctx->modules[i].args),
		};
	if (pf->has_fb) {
		struct efikexec_framebuffer *fb = &info->framebuffer;

		fb->addr = pf->fb.base;
		fb->size = pf->fb.size;
		fb->width = pf->fb.width;
		fb->height = pf->fb.height;
		fb->pitch = fb_pitch(&pf->fb);
		fb->bpp = pf->fb.bpp;
		fb_put_colors(&fb->red_pos, &pf->fb, 4);
	}
	ctx->plan->entry = (struct entry_state){
		.mode = ENTRY_LONG64,
		.rip = l->entry + ctx->delta,
		.rax = EFIKEXEC_BOOT_MAGIC,
		.rdi = phys_of(info),
	};
	return 0;
}

void elf64_finish(struct boot_ctx *ctx, const struct final_state *fs)
{
	struct elf64_state *st = (struct elf64_state *)ctx->state;
	size_t n = e820_from_memmap(fs->map, st->memmap, sizeof(*st->memmap),
				    st->memmap_cap);

	/* (the reserved words stay 0: the memory is zeroed) */
	st->info->memmap_count = (uint32_t)(n < st->memmap_cap ? n : st->memmap_cap);
	st->info->flags = fs->flags;
	/* the EFI memory map goes with the system table (none on a BIOS
	 * machine) */
	if (st->info->efi_system_table) {
		st->info->efi_memmap = fs->raw_addr;
		st->info->efi_memmap_size = (uint32_t)fs->raw_size;
		st->info->efi_desc_size = fs->desc_size;
		st->info->efi_desc_version = fs->desc_version;
	}
	ctx->handoff = st->handoff;
	handoff_fill(st->handoff, fs->flags, ctx->cpus, fs->tsc_hz, fs->stamps,
		     fs->detail);
}

const struct boot_format elf64_format = {
	.name = "elf64",
	.detect = elf64_detect,
	.parse = elf64_parse,
	.prepare = elf64_prepare,
	.finish = elf64_finish,
};
