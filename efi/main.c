/* efikexec's UEFI entry point: read, parse, plan and check everything while
 * the firmware can still report an error; then exit boot services and hand
 * the plan to the relocation trampoline. */
#include "boot/format.h"
#include "boot/handoff.h"
#include "cpu/x86.h"
#include "cpu/facts.h"
#include "cpu/park.h"
#include "cpu/policy.h"
#include "efi/console.h"
#include "efi/bli.h"
#include "efi/fw_cpus.h"
#include "efi/entries.h"
#include "efi/efi.h"
#include "efi/fwmap.h"
#include "efi/load.h"
#include "efi/options.h"
#include "efi/pages.h"
#include "efi/secureboot.h"
#include "efi/fw_platform.h"
#include "efi/timing.h"
#include "efi/tpm.h"
#include "lib/fmt.h"
#include "lib/mem.h"
#include "lib/range.h"
#include "lib/serial.h"
#include "lib/utf.h"
#include "mm/pagetable.h"
#include "relocate/relocate.h"

#include <efishell.h>

#define X(v) ((unsigned long long)(v))
#define FOUR_GIB (1ull << 32)
#define ONE_MIB (1ull << 20)
/* How long the BSP waits for every AP to report from the park code. */
#define PARK_TIMEOUT_US 1000000

struct efi_env efi;

static EFI_GUID loaded_image_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;
static EFI_GUID shell_params_guid = EFI_SHELL_PARAMETERS_PROTOCOL_GUID;

/* Everything one boot attempt builds; allocated (it is large) and freed
 * with every other allocation when the attempt is abandoned. */
struct session {
	struct options opt;
	uint8_t *image;
	size_t image_size;
	const struct boot_format *fmt;
	struct kernel_layout layout;
	struct platform platform;
	struct cpu_facts facts;
	struct handoff_policy policy;
	struct cpu_list cpus;
	void *park;
	uint64_t tsc_hz;
	struct fw_map fw;
	struct opt_module to_load[OPT_MAX_MODULES];
	struct module modules[OPT_MAX_MODULES];
	size_t nmodules;
	struct load_record files;
	uint64_t stamps[HANDOFF_STAMPS]; /* boot/handoff.h */
	struct plan plan;
	struct boot_ctx ctx;
	void *tramp;
	uint64_t cr3;
};
static struct session *s;

/* The load options as UTF-8. Started from the shell (which installs
 * EFI_SHELL_PARAMETERS_PROTOCOL on us), they begin with our own name. */
static int read_load_options(char **line, char **scratch, size_t *scratch_size,
			     bool *has_program, struct diag *d)
{
	const CHAR16 *opts = efi.loaded->LoadOptions;
	size_t units = opts ? efi.loaded->LoadOptionsSize / sizeof(CHAR16) : 0;
	size_t len;
	void *params;

	/* A boot entry's optional data need not be text (UEFI 2.10 §3.1.3):
	 * binary data is no command line. */
	for (size_t i = 0; i < units && opts[i]; i++)
		if (opts[i] < 0x20 && opts[i] != '\t' && opts[i] != '\r' &&
		    opts[i] != '\n') {
			con_warn("ignoring %u bytes of load options that are not text",
				   efi.loaded->LoadOptionsSize);
			units = 0;
			break;
		}
	len = ucs2_to_utf8(opts, units, NULL, 0);

	*line = pages_alloc(len + 1, UINT64_MAX, PAGES_DATA);
	*scratch_size = 2 * len + 2;
	*scratch = pages_alloc(*scratch_size, UINT64_MAX, PAGES_DATA);
	if (!*line || !*scratch)
		return diag_fail(d, ERR_NO_MEMORY, "no memory for the command line");
	ucs2_to_utf8(opts, units, *line, len + 1);
	*has_program = !EFI_ERROR(efi.bs->HandleProtocol(efi.image,
							 &shell_params_guid,
							 &params));
	return 0;
}

/* Where the image goes, clear of what the plan keeps so far; takes the
 * free parts of the destination now so nothing else lands there, and moves
 * the file buffer if it is in the way. */
static int place_image(struct diag *d)
{
	const struct place_req *req = &s->layout.place;
	struct range avoid[PLAN_MAX_KEEP];
	uint64_t base;
	int rc;

	for (size_t i = 0; i < s->plan.nkeep; i++)
		avoid[i] = (struct range){ s->plan.keep[i].base, s->plan.keep[i].size };
	if ((rc = place_find(&s->fw.map, avoid, s->plan.nkeep, req, &base, d)))
		return rc;
	s->ctx.delta = base - req->pref;
	if ((rc = load_claim(&s->fw.map, base, req->size, d)) ||
	    (rc = load_move_out_of(&s->image, s->image_size, base, req->size, d)))
		return rc;
	s->files.file[0].data = s->image; /* measured from where it is now */
	return 0;
}

/* The trampoline's area and the identity map, below 4 GiB and executable
 * where needed, kept intact by the plan. */
static int prepare_trampoline(struct diag *d)
{
	uint64_t top = memmap_top_of_memory(&s->fw.map);
	struct idmap_shape shape = {
		.top = top > FOUR_GIB ? top : FOUR_GIB,
		.huge_1g = s->facts.page_1g,
		.five_level = s->platform.paging_5level,
		/* a SEV guest's memory is private: map it with the C-bit */
		.enc_mask = cpu_sev_guest(&s->facts) ? 1ull << s->facts.c_bit : 0,
	};
	size_t table_bytes;
	uint64_t *tables;
	int rc;

	if (shape.top > IDMAP_MAX_TOP)
		shape.top = IDMAP_MAX_TOP;
	table_bytes = idmap_pages(&shape) * PAGE_SIZE;
	s->tramp = pages_alloc(relocate_area_size(), FOUR_GIB - 1, PAGES_CODE);
	tables = pages_alloc(table_bytes, FOUR_GIB - 1, PAGES_DATA);
	if (!s->tramp || !tables)
		return diag_fail(d, ERR_NO_MEMORY,
				 "no memory below 4 GiB for the trampoline and 0x%zx bytes of page tables",
				 table_bytes);
	s->cr3 = idmap_build(tables, phys_of(tables), &shape);
	s->plan.map_top = align_up(shape.top, 1ull << 30);
	if ((rc = plan_add_keep(&s->plan, "trampoline", phys_of(s->tramp),
				relocate_area_size(), d)))
		return rc;
	return plan_add_keep(&s->plan, "page tables", phys_of(tables),
			     table_bytes, d);
}

/* The memory map buffers, kept: Linux reads the final map from them. */
static int prepare_memory_map(struct diag *d)
{
	int rc;

	if ((rc = fw_map_init(&s->fw, d)) || (rc = fw_map_read(&s->fw, d)))
		return rc;
	return plan_add_keep(&s->plan, "EFI memory map", phys_of(s->fw.raw),
			     s->fw.raw_cap, d);
}

/* Firmware may have freed boot-services pages inside the destination since
 * place_image() took its free parts: take those too. */
static int reclaim_destination(struct diag *d)
{
	const struct place_req *req = &s->layout.place;
	int rc = fw_map_read(&s->fw, d);

	return rc ? rc : load_claim(&s->fw.map, req->pref + s->ctx.delta,
				    req->size, d);
}

/* The plan against the map as it is after every allocation. */
static int final_check(struct diag *d)
{
	int rc;

	if ((rc = reclaim_destination(d)) || (rc = fw_map_read(&s->fw, d)))
		return rc;
	return plan_validate(&s->plan, &s->fw.map, d);
}

/* The CPU facts, what to do about caches and APs, and the park area the
 * APs will wait in. */
static int prepare_cpus(struct diag *d)
{
	const char *source;
	int rc;

	cpu_read_facts(&cpu_probe_hw, &s->facts);
	if ((rc = cpu_handoff_policy(&s->facts, &s->opt.handoff, &s->policy, d)) ||
	    (rc = cpus_enumerate(s->platform.acpi_rsdp, s->facts.apic_id, &s->cpus,
				 &source, d)))
		return rc;
	s->plan.flags = s->policy.flags;
	s->plan.flush_cache = s->policy.flush;
	s->tsc_hz = timing_tsc_hz();
	/* A kernel that exits boot services itself starts the APs from
	 * where the firmware keeps them, and nothing is flushed for it. */
	if (s->layout.boot_services) {
		s->policy.why_not_parked = "boot-services=kept";
		s->plan.flush_cache = false;
		s->plan.flags &= ~EFIKEXEC_CACHE_FLUSHED;
		return 0;
	}
	if (!s->policy.park || s->cpus.n < 2)
		return 0;
	/* the wait for the APs after ExitBootServices is bounded in TSC
	 * ticks: without a rate it could not be */
	if (!s->tsc_hz)
		return diag_fail(d, ERR_UNSUPPORTED,
				 "cannot park %u APs: the TSC rate could not be measured against the firmware's Stall()",
				 s->cpus.n - 1);
	/* real-mode code for the SIPI vector: 4 KiB aligned below 1 MiB, and
	 * reserved in the memory map the next kernel gets */
	s->park = pages_alloc(park_area_size(s->cpus.n), ONE_MIB - 1, PAGES_RESERVED);
	if (!s->park)
		return diag_fail(d, ERR_NO_MEMORY,
				 "no memory below 1 MiB for the AP park area (%zu bytes for %u CPUs)",
				 park_area_size(s->cpus.n), s->cpus.n);
	park_prepare(s->park, s->cpus.n, s->policy.flush);
	return plan_add_keep(&s->plan, "AP park area", phys_of(s->park),
			     park_area_size(s->cpus.n), d);
}

/* --format, or the first format whose header the image carries. */
static int select_format(struct diag *d)
{
	const char *name = s->opt.format;

	if (name && strcmp(name, "auto")) {
		s->fmt = format_by_name(name);
		if (!s->fmt)
			return diag_fail(d, ERR_USAGE,
					 "--format '%s': expected auto, %s", name,
					 format_names());
		return 0;
	}
	s->fmt = format_detect(s->image, s->image_size);
	if (!s->fmt)
		return diag_fail(d, ERR_BAD_IMAGE,
				 "'%s' is not a kernel efikexec can boot: no Linux, Multiboot 2, Multiboot or ELF64 header (%zu bytes, starting %02x %02x %02x %02x)",
				 s->opt.kernel, s->image_size, s->image[0],
				 s->image_size > 1 ? s->image[1] : 0,
				 s->image_size > 2 ? s->image[2] : 0,
				 s->image_size > 3 ? s->image[3] : 0);
	return 0;
}

/* Linux takes initrds (--initrd), every other format modules (--module),
 * each loaded as the format's policy says. */
static int load_all_modules(struct diag *d)
{
	const struct module_policy *pol = &s->layout.modules;
	const struct opt_module *list = s->opt.module;
	size_t n = s->opt.nmodule;

	if (pol->concatenate) {
		if (s->opt.nmodule)
			return diag_fail(d, ERR_USAGE,
					 "--module is for Multiboot and ELF64 kernels; give a %s kernel its initrds with --initrd",
					 s->fmt->name);
		for (size_t i = 0; i < s->opt.ninitrd; i++)
			s->to_load[i] = (struct opt_module){ s->opt.initrd[i], "" };
		list = s->to_load;
		n = s->opt.ninitrd;
	} else if (s->opt.ninitrd) {
		return diag_fail(d, ERR_USAGE,
				 "--initrd is for Linux kernels; give a %s kernel its modules with --module \"PATH ARGS\"",
				 s->fmt->name);
	}
	return load_modules(pol, list, n, s->modules, &s->nmodules, &s->files, d);
}

static int build_plan(struct diag *d)
{
	int rc;

	if ((rc = load_kernel(s->opt.kernel, &s->image, &s->image_size, &s->files,
			      d)))
		return rc;
	s->stamps[STAMP_KERNEL_READ] = rdtsc();
	if ((rc = select_format(d)) ||
	    (rc = secureboot_check(s->fmt, s->opt.kernel, s->image, s->image_size, d)))
		return rc;
	if ((rc = s->fmt->parse(s->image, s->image_size, &s->layout, d)))
		return rc;
	platform_gather(&s->platform);
	if ((rc = prepare_cpus(d)) || (rc = prepare_memory_map(d)) ||
	    (rc = place_image(d)))
		return rc;
	if ((rc = load_all_modules(d)))
		return rc;
	s->stamps[STAMP_MODULES_READ] = rdtsc();

	s->plan.format = s->fmt->name;
	s->ctx.image = s->image;
	s->ctx.image_size = s->image_size;
	s->ctx.layout = &s->layout;
	s->ctx.cmdline = s->opt.cmdline;
	s->ctx.modules = s->modules;
	s->ctx.nmodules = s->nmodules;
	s->ctx.platform = &s->platform;
	s->ctx.cpus = &s->cpus;
	s->ctx.max_map_entries = s->fw.map.cap;
	s->ctx.max_map_bytes = s->fw.raw_cap;
	s->ctx.alloc = &pages_allocator;
	s->ctx.plan = &s->plan;
	if ((rc = prepare_trampoline(d)) || (rc = s->fmt->prepare(&s->ctx, d)) ||
	    (rc = boot_add_segments(&s->ctx, d)) || (rc = final_check(d)))
		return rc;
	s->stamps[STAMP_PLANNED] = rdtsc();
	return 0;
}

/* Measured boot (README) and the Boot Loader Interface variables, once
 * every check that can fail and return has passed: PCRs 8 and 9 must
 * describe the boot that happens, and an entry that failed after being
 * measured would have its fallback measured on top of it. Both make the
 * firmware allocate and free: take back any page of the destination it
 * freed meanwhile. Whatever could not be taken is judged by the check
 * against the final memory map after ExitBootServices. */
static void measure_and_publish(void)
{
	struct diag ignored;

	tpm_measure(&s->files, s->opt.cmdline, s->modules, s->nmodules);
	bli_publish();
	reclaim_destination(&ignored);
}

#define US(tsc) ((unsigned long long)timing_us_since_start(tsc))

/* -v, before ExitBootServices: each file read, then the stages so far,
 * in microseconds since efikexec started. */
static void print_times(void)
{
	for (size_t i = 0; i < s->files.n; i++) {
		const struct loaded_file *f = &s->files.file[i];
		uint64_t us = US(f->tsc_end) - US(f->tsc_start);

		con_printf("efikexec: time: read %s '%s' (%llu KiB) in %llu us%s%llu MB/s\n",
			   f->what, f->path, X(f->size >> 10), X(us),
			   us ? ", " : "", us ? X(f->size / us) : 0ull);
	}
	con_printf("efikexec: time: kernel read at %llu us, modules at %llu us, planned at %llu us\n",
		   US(s->stamps[STAMP_KERNEL_READ]), US(s->stamps[STAMP_MODULES_READ]),
		   US(s->stamps[STAMP_PLANNED]));
}

/* Moves the APs into the park area and returns the flags word as it now
 * stands: CACHE_FLUSHED only if every AP that was running flushed. */
static uint32_t park_all(void)
{
	struct park_timing t = {
		.tsc_hz = s->tsc_hz,
		.init_delay_us = s->policy.init_delay_us,
		.sipi_delay_us = s->policy.sipi_delay_us,
		.timeout_us = PARK_TIMEOUT_US,
	};
	uint32_t flags = s->plan.flags, aps = s->cpus.n - 1, parked = 0, flushed = 0;
	struct park_times times;
	char line[160];

	times = park_aps(s->park, &s->cpus, &t);
	for (uint32_t i = 0; i < s->cpus.n; i++) {
		const struct cpu_entry *c = &s->cpus.cpu[i];
		if (c->state & CPU_BSP)
			continue;
		parked += !!(c->state & CPU_PARKED);
		flushed += !!(c->state & CPU_FLUSHED);
		if (!(c->state & CPU_PARKED)) {
			fmt_snprintf(line, sizeof(line),
				     "efikexec: CPU with APIC ID 0x%x did not park\n",
				     c->apic_id);
			serial_puts(line);
		}
	}
	if (flushed < aps)
		flags &= ~EFIKEXEC_CACHE_FLUSHED;
	fmt_snprintf(line, sizeof(line),
		     "efikexec: parked %u/%u, %u flushed, in %llu us (IPIs sent in %llu us), flags=0x%x\n",
		     parked, aps, flushed,
		     (unsigned long long)timing_tsc_to_us(times.total),
		     (unsigned long long)timing_tsc_to_us(times.ipis), flags);
	serial_puts(line);
	return flags;
}

/* What finish() is told: the memory map as last read, the flags word and
 * the stage times. */
static struct final_state final_state(uint32_t flags)
{
	return (struct final_state){
		.map = &s->fw.map,
		.raw_addr = phys_of(s->fw.raw),
		.raw_size = s->fw.raw_size,
		.desc_size = (uint32_t)s->fw.desc_size,
		.desc_version = s->fw.desc_version,
		.flags = flags,
		.tsc_hz = s->tsc_hz,
		.stamps = s->stamps,
	};
}

/* Past ExitBootServices: nothing here may fail or return. */
static _Noreturn void hand_over(void)
{
	struct final_state fs;
	struct diag d;

	__asm__ volatile("cli");
	s->stamps[STAMP_EXIT_BOOT_SERVICES] = rdtsc();
	if (plan_validate(&s->plan, &s->fw.map, &d))
		fatal("the final memory map breaks the plan: %s", d.msg);
	fs = final_state(s->park ? park_all() : s->plan.flags);
	s->stamps[STAMP_PARKED] = rdtsc();
	s->fmt->finish(&s->ctx, &fs);
	if (s->ctx.handoff)
		relocate_set_stamps(s->tramp, &s->ctx.handoff->stamp[STAMP_RELOCATED]);
	if (s->opt.verbose) {
		char line[120];

		fmt_snprintf(line, sizeof(line),
			     "efikexec: time: ExitBootServices done at %llu us, APs parked at %llu us\n",
			     US(s->stamps[STAMP_EXIT_BOOT_SERVICES]),
			     US(s->stamps[STAMP_PARKED]));
		serial_puts(line);
	}
	relocate_jump(s->tramp);
}

/* A kernel that exits boot services itself (Multiboot2 §3.5; GRUB on UEFI
 * enters Xen so): its segments are copied now, into memory efikexec took
 * from what was free (place.now_only), and it is entered with the
 * firmware running. No ExitBootServices, no parking, no flush: the kernel
 * owns all of that (prepare_cpus() left the flags word without
 * CACHE_FLUSHED). */
static _Noreturn void hand_over_to_firmware_kernel(void)
{
	struct final_state fs = final_state(s->plan.flags);

	s->fmt->finish(&s->ctx, &fs);
	relocate_enter_efi64(&s->plan, s->ctx.handoff ?
			     &s->ctx.handoff->stamp[STAMP_RELOCATED] : NULL);
}

static int run(struct diag *d)
{
	int rc;

	if ((rc = build_plan(d)))
		return rc;
	if (s->opt.dry_run) {
		if (s->policy.warning)
			con_warn("%s", s->policy.warning);
		plan_describe(&s->plan, con_line, NULL);
		con_printf("efikexec: dry run: plan is valid, not booting\n");
		return 0;
	}
	measure_and_publish();
	if (s->opt.verbose)
		print_times();
	relocate_prepare(s->tramp, &s->plan, s->cr3);
	if (s->opt.fault_test)
		relocate_test_fault(s->tramp);
	if (s->policy.warning)
		con_warn("%s", s->policy.warning);
	/* Where nothing is to be parked, say so now: in TDX and SEV-ES/SNP
	 * guests port I/O would trap after ExitBootServices. */
	if (!s->park)
		con_printf("efikexec: parked 0/%u (%s)\n", s->cpus.n - 1,
			   s->cpus.n > 1 ? s->policy.why_not_parked : "no APs");
	con_printf("efikexec: handoff format=%s entry=0x%llx segments=%zu cpus=%u flags=0x%x%s\n",
		   s->plan.format, X(s->plan.entry.rip), s->plan.nseg, s->cpus.n,
		   s->plan.flags,
		   s->layout.boot_services ? " boot-services=kept" : "");
	if (s->layout.boot_services)
		hand_over_to_firmware_kernel();
	/* -v's stage times, what became of the APs and a fatal error are
	 * written to COM1 after ExitBootServices: not in a guest where that
	 * port I/O would trap (the lines above already said what they can) */
	if (cpu_port_io_traps(&s->facts))
		serial_mute();
	if ((rc = fw_exit_boot_services(&s->fw, d)))
		return rc;
	hand_over();
}

/* One boot attempt: returns only when it failed or was a dry run, having
 * freed everything it took. */
static int boot_options(const struct options *o, struct diag *d)
{
	size_t mark = pages_mark();
	int rc;

	s = pages_alloc(sizeof(*s), UINT64_MAX, PAGES_DATA);
	if (!s)
		return diag_fail(d, ERR_NO_MEMORY,
				 "no memory for %zu bytes of state", sizeof(*s));
	s->opt = *o;
	s->stamps[STAMP_ENTRY] = timing_start_tsc();
	rc = run(d);
	tpm_unpublish(); /* the event log copy is about to be freed */
	pages_release(mark);
	s = NULL;
	return rc;
}

/* The zeroed data's bounds (linker.ld). */
extern unsigned char bss_start[], bss_end[];

/* Called by gnu-efi's crt0 after it has applied our relocations. */
EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st);

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	struct diag d = { 0 };
	struct options opt;
	char *line = NULL, *scratch = NULL;
	size_t scratch_size = 0;
	bool has_program = false;
	int rc;

	/* before anything uses a static (linker.ld: .bss has no file bytes) */
	memset(bss_start, 0, (size_t)(bss_end - bss_start));
	efi = (struct efi_env){ .image = image, .st = st, .bs = st->BootServices,
				.rt = st->RuntimeServices };
	timing_start();
	if (EFI_ERROR(efi.bs->HandleProtocol(image, &loaded_image_guid,
					     (void **)&efi.loaded))) {
		con_printf("efikexec: error: no EFI_LOADED_IMAGE_PROTOCOL on our own image\n");
		return EFI_LOAD_ERROR;
	}
	rc = read_load_options(&line, &scratch, &scratch_size, &has_program, &d);
	if (!rc)
		rc = options_parse(line, has_program, scratch, scratch_size, &opt, &d);
	if (!rc && opt.help)
		con_printf("%s", options_usage());
	else if (!rc && opt.kernel)
		rc = boot_options(&opt, &d);
	/* Load options that are the firmware's kernel parameters (U-Boot's
	 * bootargs), not efikexec's, and name no file: boot the boot entries
	 * as if there were none, and say what was ignored. */
	if (rc == ERR_NOT_FOUND && !has_program &&
	    options_are_kernel_parameters(line, &opt)) {
		con_warn("ignoring load options '%s': kernel parameters, not efikexec's",
			 line);
		opt.kernel = NULL;
		rc = 0;
	}
	if (!rc && !opt.help && !opt.kernel)
		rc = entries_boot(&opt, boot_options, &d);
	/* Only an error or a dry run gets here: leave nothing behind. */
	pages_release(0);
	if (rc) {
		con_error(&d);
		return efi_status_of(rc);
	}
	return EFI_SUCCESS;
}
