/* The boot sequence (core/boot_sequence.h): pure code over the machine
 * interface, so that the sequence both front ends ship is the one the
 * fuzzers run on the host. Everything is loaded, allocated and checked
 * here, while an error can still return; machine_leave() is the point of
 * no return. */
#include "core/boot_sequence.h"
#include "boot/secure_boot_mode.h"
#include "boot/smbios.h"

#include "core/console.h"
#include "core/extras.h"
#include "core/machine.h"
#include "core/session.h"
#include "core/timing.h"
#include "cpu/park.h"
#include "cpu/x86.h"
#include "lib/fmt.h"
#include "lib/mem.h"
#include "lib/range.h"
#include "lib/sizes.h"
#include "mm/pagetable.h"
#include "relocate/relocate.h"

static int read_kernel_rest(struct session *s, uint8_t *buf, struct diag *d)
{
	int rc = load_kernel_rest(&s->kernel_file, s->head_read, buf, &s->image,
				  &s->files, d);

	s->head_read = 0;
	s->stamps[STAMP_KERNEL_READ] = rdtsc();
	return rc;
}

/* The rest of the kernel file now, not once its place is known, with
 * the reason, for --dry-run. */
static int read_now(struct session *s, const char *why, struct diag *d)
{
	s->copied_why = why;
	return s->head_read ? read_kernel_rest(s, NULL, d) : 0;
}

/* Whether the whole kernel file can be read to [dst - offset, dst +
 * filesz): the layout's one segment is the file from its offset to its
 * end, inside the placed range [base, base + size), with the file's bytes
 * before it below it. All of this is the file's word, and place_find()
 * keeps place.below free only for a base it found in memory free now (a
 * fixed kernel stays at its address, and so may one placed in memory free
 * after ExitBootServices): a kernel placed lower than its file offset
 * would wrap the start below 0, so every bound is checked here, before
 * anything is written. */
static bool file_fits_below_place(const struct session *s,
				  const struct image_seg *g, uint64_t dst,
				  uint64_t base, uint64_t size)
{
	return s->layout.nseg == 1 && g->offset <= s->image_size &&
	       g->filesz == s->image_size - g->offset && dst >= g->offset &&
	       dst >= base && range_valid(base, size) &&
	       g->filesz <= size && dst - base <= size - g->filesz;
}

/* The rest of a kernel file read after placing it at base: straight to
 * its destination when the file fits there (file_fits_below_place()) and
 * the bytes before the segment fit in memory free below it, so that the
 * trampoline has nothing to copy; else to fresh pages. */
static int read_rest_to_place(struct session *s, uint64_t base,
			      struct diag *d)
{
	const struct image_seg *g = &s->layout.seg[0];
	uint64_t dst = g->addr + s->ctx.delta;
	struct mem_range blocker;
	struct diag ignored;
	uint8_t *buf = NULL;

	if (!file_fits_below_place(s, g, dst, base, s->layout.place.size)) {
		s->copied_why = "the file before the kernel does not fit below its place";
	} else {
		uint64_t lo = align_down(dst - g->offset, PAGE_SIZE);

		s->copied_why = "its place is not all free memory now";

		if (!memmap_find_blocker(&s->fw.map, lo, dst + g->filesz - lo,
					 mem_free_now, &blocker) &&
		    !load_claim(&s->fw.map, lo, dst - lo, &ignored)) {
			buf = (uint8_t *)(uintptr_t)(dst - g->offset);
			s->copied_why = NULL;
		}
	}
	return read_kernel_rest(s, buf, d);
}

/* Where the image goes, clear of what the plan keeps so far; takes the
 * free parts of the destination now so nothing else lands there; then
 * reads the rest of a kernel file that waited for its place, or moves the
 * file buffer if it is in the way; and checks the whole file for Secure
 * Boot. */
static int place_image(struct session *s, struct diag *d)
{
	const struct place_req *req = &s->layout.place;
	struct range avoid[PLAN_MAX_KEEP];
	uint64_t base;
	int rc;

	for (size_t i = 0; i < s->plan.nkeep; i++)
		avoid[i] = (struct range){ s->plan.keep[i].base, s->plan.keep[i].size };
	/* to be read to its place: the file's bytes before the placed part
	 * go right below it (read_rest_to_place()) */
	if (s->head_read)
		s->layout.place.below = s->layout.seg[0].offset;
	if ((rc = place_find(&s->fw.map, avoid, s->plan.nkeep, req, &base, d)))
		return rc;
	s->ctx.delta = base - req->pref;
	if ((rc = load_claim(&s->fw.map, base, req->size, d)) ||
	    (s->head_read ? (rc = read_rest_to_place(s, base, d)) :
	     (rc = load_move_out_of(&s->image, s->image_size, base, req->size, d))))
		return rc;
	/* measured from where it is now (a unified kernel image, whole,
	 * from where it was read: its own pages stay intact until then),
	 * and checked for Secure Boot here, once all of it is read (a
	 * unified kernel image was, whole, before it was unpacked) */
	if (s->uki_file)
		return 0;
	s->files.file[0].data = s->image;
	return secure_boot_check(s->fmt, s->opt.kernel, s->image,
				 s->image_size, s->opt.dry_run, d);
}

/* The trampoline's area and the identity map, below 4 GiB and executable
 * where needed, kept intact by the plan. */
static int prepare_trampoline(struct session *s, struct diag *d)
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
	s->plan.map_top = align_up(shape.top, ONE_GIB);
	if ((rc = plan_add_keep(&s->plan, "trampoline", phys_of(s->tramp),
				relocate_area_size(), d)))
		return rc;
	return plan_add_keep(&s->plan, "page tables", phys_of(tables),
			     table_bytes, d);
}

/* The memory map buffers, kept: Linux reads the final map from them.
 * With --verify efikexec's own image too, before anything is placed: the
 * trampoline calls its code after the copies. */
static int prepare_memory_map(struct session *s, struct diag *d)
{
	int rc;

	if ((rc = fw_map_init(&s->fw, d)) || (rc = fw_map_read(&s->fw, d)))
		return rc;
	if (s->opt.verify) {
		struct range me = machine_image();

		if ((rc = plan_add_keep(&s->plan, "efikexec", me.base, me.size, d)))
			return rc;
	}
	return plan_add_keep(&s->plan, "EFI memory map", phys_of(s->fw.raw),
			     s->fw.raw_cap, d);
}

/* Firmware may have freed boot-services pages inside the destination since
 * place_image() took its free parts: take those too. */
static int reclaim_destination(struct session *s, struct diag *d)
{
	const struct place_req *req = &s->layout.place;
	int rc = fw_map_read(&s->fw, d);

	return rc ? rc : load_claim(&s->fw.map, req->pref + s->ctx.delta,
				    req->size, d);
}

/* The plan against the map as it is after every allocation. */
static int final_check(struct session *s, struct diag *d)
{
	int rc;

	if ((rc = reclaim_destination(s, d)) || (rc = fw_map_read(&s->fw, d)))
		return rc;
	s->checking = true;
	return plan_validate(&s->plan, &s->fw.map, d);
}

/* The CPU facts, what to do about caches and APs, and the park area the
 * APs will wait in. */
static int prepare_cpus(struct session *s, struct diag *d)
{
	const char *source;
	int rc;

	machine_cpu_facts(&s->facts);
	if ((rc = cpu_handoff_policy(&s->facts, &s->opt.handoff, &s->policy, d)) ||
	    (rc = cpus_enumerate(s->platform.acpi_rsdp, s->facts.apic_id, &s->cpus,
				 &source, d)))
		return rc;
	s->plan.flags = s->policy.flags;
	/* Without MP services or ACPI the list is a guess (the BSP alone):
	 * nothing vouches that every CPU flushed. */
	if (s->cpus.n < 2 && !s->platform.acpi_rsdp)
		s->plan.flags &= ~EFIKEXEC_CACHE_FLUSHED;
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
				 "cannot park %u APs: the TSC rate could not be measured",
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

/* --format, or the first format whose header the image carries; an EFI
 * application (--format efi, or a PE that is no kernel) is started. */
static int select_format(struct session *s, struct diag *d)
{
	const char *name = s->opt.format;
	size_t n;

	if (name && !strcmp(name, "efi")) {
		s->app = true;
		return 0;
	}
	if (name && strcmp(name, "auto")) {
		s->fmt = format_by_name(name);
		if (!s->fmt)
			return diag_fail(d, ERR_USAGE,
					 "--format '%s': expected auto, efi, %s", name,
					 format_names());
		return 0;
	}
	/* (on the head alone while the rest waits: every signature is in it) */
	n = s->head_read ? s->head_read : s->image_size;
	s->fmt = format_detect(s->image, n);
	s->app = !s->fmt && !s->uki_file && pe_header(s->image, n);
	if (!s->fmt && !s->app)
		return diag_fail(d, ERR_BAD_IMAGE,
				 "'%s' is not a kernel efikexec can boot: no Linux, Multiboot 2, Multiboot or ELF64 header (%zu bytes, starting %02x %02x %02x %02x)",
				 s->opt.kernel, s->image_size, s->image[0],
				 s->image_size > 1 ? s->image[1] : 0,
				 s->image_size > 2 ? s->image[2] : 0,
				 s->image_size > 3 ? s->image[3] : 0);
	return 0;
}

/* Appends m to s->to_load (*n so far) while it has room; counts it
 * either way, so that *n past OPT_MAX_MODULES says how many did not fit. */
static void add_to_load(struct session *s, size_t *n, struct opt_module m)
{
	if (*n < OPT_MAX_MODULES)
		s->to_load[*n] = m;
	(*n)++;
}

/* Appends to s->to_load the add-ons' parts of one section
 * (core/extras.h), in the order the stub loads them. */
static void add_parts(struct session *s, enum uki_section_id section,
		      size_t *n)
{
	const struct stub_lines *l = &s->uki_lines;

	for (size_t i = 0; i < l->nparts; i++) {
		const struct addon_part *p = &l->parts[i];

		if (p->section == section)
			add_to_load(s, n, (struct opt_module){ p->name, "", p->data,
							      p->size });
	}
}

/* Linux takes initrds (--initrd), every other format modules (--module),
 * each loaded as the format's policy says. */
static int load_all_modules(struct session *s, struct diag *d)
{
	const struct module_policy *pol = &s->layout.modules;
	const struct opt_module *list = s->opt.module;
	size_t n = s->opt.nmodule;

	if (pol->concatenate) {
		if (s->opt.nmodule && !s->opt.initrds_or_modules)
			return diag_fail(d, ERR_USAGE,
					 "--module is for Multiboot and ELF64 kernels; give a %s kernel its initrds with --initrd",
					 s->fmt->name);
		n = 0;
		/* a unified kernel image's own first, as its stub loads
		 * them (.ucode only if it knows it), after its add-ons'
		 * .ucode; then the archives its stub makes and its add-ons'
		 * .initrd (core/extras.h); then any given */
		enum uki_section_id own[2];
		size_t nown = s->uki_file ? stub_initrds(s->stub, &s->uki, own) : 0;

		add_parts(s, UKI_UCODE, &n);
		for (size_t i = 0; i < nown; i++) {
			const struct uki_section *sec = &s->uki.sec[own[i]];

			add_to_load(s, &n, (struct opt_module){
				uki_section_name(own[i]), "",
				s->uki_file + sec->offset, sec->size });
		}
		s->nextras = s->uki_file ? extras_make(s->opt.kernel, s->uki_file,
						       &s->uki, s->stub,
						       s->extras) : 0;
		for (size_t i = 0; i < s->nextras; i++)
			add_to_load(s, &n, (struct opt_module){
				s->extras[i].name, "", s->extras[i].data,
				s->extras[i].size });
		add_parts(s, UKI_INITRD, &n);
		for (size_t i = 0; i < s->opt.ninitrd; i++)
			add_to_load(s, &n, (struct opt_module){
				.path = s->opt.initrd[i], .args = "",
				.pin = s->opt.initrd_pin[i] });
		if (n > OPT_MAX_MODULES)
			return diag_fail(d, ERR_USAGE,
					 "'%s' has %zu initrds, more than %d: its own, its stub's archives, its add-ons' and those given",
					 s->opt.kernel, n, OPT_MAX_MODULES);
		list = s->to_load;
	} else {
		/* a kernel that takes modules (a unified kernel image's
		 * .linux of another format) gets no initrds, none of its
		 * add-ons' parts either, and what it does not get is not
		 * measured */
		s->uki_lines.nparts = 0;
		if (s->opt.ninitrd && !s->opt.initrds_or_modules)
			return diag_fail(d, ERR_USAGE,
					 "--initrd is for Linux kernels; give a %s kernel its modules with --module \"PATH ARGS\"",
					 s->fmt->name);
	}
	return load_modules(pol, list, n, s->modules, &s->nmodules, &s->files, d);
}

/* Boot information (mm/alloc.h) in pages the next kernel sees as RAM or
 * as reserved. */
static void *alloc_boot_info(struct allocator *a, uint64_t size,
			     uint64_t max_addr, enum alloc_kind kind)
{
	(void)a;
	return pages_alloc(size, max_addr,
			   kind == ALLOC_RESERVED ? PAGES_RESERVED : PAGES_DATA);
}

/* The systemd-stub release the image names, and the row of
 * boot/systemd_stub.c that efikexec follows for it, with a warning where
 * that is not the stub's own; the image's sections as that release finds
 * them; and the image refused where efikexec would take it apart
 * otherwise than that stub. */
static int follow_stub(struct session *s, struct diag *d)
{
	const struct uki_section *magic = &s->uki.sec[UKI_SDMAGIC];
	struct stub_version v = { 0, 0 };
	bool named = stub_version(s->image + magic->offset,
				  magic->present ? magic->size : 0, s->image,
				  s->image_size, &v);
	enum stub_fit fit;
	enum uki_section_id chosen;
	unsigned follows;
	int rc;

	s->stub = stub_release(named ? &v : NULL, &fit);
	follows = s->stub->since.major;
	if (fit == STUB_NEWER)
		con_warn("'%s' carries systemd-stub %u, newer than the releases efikexec follows: booted and measured as %u does, what only %u knows neither loaded nor measured",
			 s->opt.kernel, v.major, follows, v.major);
	else if (fit == STUB_OLDER)
		con_warn("'%s' carries systemd-stub %u, older than the releases efikexec follows: booted and measured as %u does",
			 s->opt.kernel, v.major, follows);
	else if (fit == STUB_UNNAMED)
		con_warn("'%s' names no systemd-stub release (.sdmagic): booted and measured as systemd-stub %u does, as the UKI specification says",
			 s->opt.kernel, follows);
	/* (from 257 the profile a given "@N " picks) */
	s->uki_lines.profile = stub_profile(s->stub, s->opt.cmdline);
	if ((rc = stub_sections(s->stub, s->image, s->image_size, s->image_size,
				s->uki_lines.profile, &s->uki, d)) ||
	    (rc = stub_check(s->stub, &s->uki, &v, d))) {
		diag_prefix(d, "%s: ", s->opt.kernel);
		return rc;
	}
	chosen = stub_per_machine(s->stub, &s->uki);
	if (chosen != STUB_END)
		con_warn("'%s': its systemd-stub measures a %s section into PCR 11 only if it matches this machine's hardware IDs (.hwids); efikexec matches none and measures none, so PCR 11 may differ from the stub's",
			 s->opt.kernel, uki_section_name(chosen));
	return 0;
}

/* n bytes for the image's command line; NULL, said in d, when there is
 * no memory for them. */
static char *cmdline_room(const struct session *s, size_t n, struct diag *d)
{
	char *line = pages_alloc(n, UINT64_MAX, PAGES_DATA);

	if (!line)
		diag_fail(d, ERR_NO_MEMORY, "no memory for the command line of '%s'",
			  s->opt.kernel);
	return line;
}

/* The command line the stub would boot: one given, as its release cleans
 * it, unless the release does not take it or Secure Boot is on and the
 * image has its own (systemd-stub's rule; measured as the stub measures
 * it, into stub->cmdline_pcr); else its .cmdline, as its release cleans
 * that (measured with the other sections). */
static int settle_uki_cmdline(struct session *s, bool locked, struct diag *d)
{
	const struct uki_section *own = &s->uki.sec[UKI_CMDLINE];
	size_t n = strlen(s->opt.cmdline) + 1;
	unsigned profile;
	char *line;
	bool taken;

	if (!(line = cmdline_room(s, n > own->size ? n : own->size + 1, d)))
		return ERR_NO_MEMORY;
	/* (the profile is picked: follow_stub()) */
	taken = stub_given_cmdline(s->stub, s->opt.cmdline, line, &profile);
	s->uki_cmdline_given = taken && !(locked && own->present);
	if (!s->uki_cmdline_given)
		stub_cmdline_clean(s->stub->cmdline, s->uki_file + own->offset,
				   own->present ? own->size : 0, line, own->size + 1);
	s->opt.cmdline = line;
	return 0;
}

const char *platform_smbios_string(const struct platform *p, const char *name)
{
	struct cpu_facts f;

	if (!p->smbios_table)
		return NULL;
	machine_cpu_facts(&f);
	if (cpu_sev_guest(&f) || f.tdx_guest)
		return NULL;
	return smbios_oem_string((const uint8_t *)(uintptr_t)p->smbios_table,
				 p->smbios_size, name);
}

/* The lines the stub appends to the one it boots, in its order: its
 * add-ons' (core/extras.h), after a space when that line has something,
 * then the SMBIOS line, after a space. Each is measured apart
 * (efi/tpm.c). */
static int append_stub_lines(struct session *s, struct diag *d)
{
	struct stub_lines *l = &s->uki_lines;
	size_t n = strlen(s->opt.cmdline) + 1, at;
	char *line;

	l->given = s->uki_cmdline_given ? s->opt.cmdline : NULL;
	extras_addons(s->opt.kernel, s->uki_file, &s->uki, s->stub, s->opt.dry_run,
		      l);
	l->smbios = s->stub->smbios_cmdline ?
		platform_smbios_string(&s->platform,
				       "io.systemd.stub.kernel-cmdline-extra") : NULL;
	for (size_t i = 0; i < l->naddons; i++)
		n += strlen(l->addons[i]) + 1;
	if (l->smbios)
		n += strlen(l->smbios) + 1;
	if (!l->naddons && !l->smbios)
		return 0;
	if (!(line = cmdline_room(s, n, d)))
		return ERR_NO_MEMORY;
	at = fmt_snprintf(line, n, "%s", s->opt.cmdline);
	for (size_t i = 0; i < l->naddons; i++)
		at += fmt_snprintf(line + at, n - at, "%s%s", at ? " " : "",
				   l->addons[i]);
	if (l->smbios)
		fmt_snprintf(line + at, n - at, " %s", l->smbios);
	s->opt.cmdline = line;
	return 0;
}

/* Whether kernels must be signed: Secure Boot on, or its state unknown,
 * which counts as on (efi/secure_boot_check.c). */
static bool secure_boot_locked(const struct session *s)
{
	return s->platform.secure_boot == SECURE_BOOT_ENABLED ||
	       s->platform.secure_boot == SECURE_BOOT_UNKNOWN;
}

/* A unified kernel image (boot/uki.h), unpacked as the systemd-stub it
 * carries does (UAPI.5 Unified Kernel Image; boot/systemd_stub.h):
 * verified whole as the PE it is, then its .linux is the kernel, .initrd
 * (and .ucode before it, from systemd 256) its initrds, .cmdline its
 * command line unless one is given with Secure Boot off. With Secure Boot
 * on, initrds given for it are ignored too: its signature does not cover
 * them. */
static int unpack_uki(struct session *s, struct diag *d)
{
	const struct uki_section *sec = s->uki.sec;
	bool locked = secure_boot_locked(s);
	int rc;

	/* (its first profile, enough to find its stub's release: the
	 * sections its release takes, follow_stub()) */
	if ((rc = uki_parse_profile(s->image, s->image_size, s->image_size, 0,
				    &s->uki, d))) {
		diag_prefix(d, "%s: ", s->opt.kernel);
		return rc;
	}
	if ((rc = secure_boot_check(format_by_name("linux"), s->opt.kernel,
				    s->image, s->image_size, s->opt.dry_run, d)))
		return rc;
	s->uki_file = s->image;
	if ((rc = follow_stub(s, d)))
		return rc;
	if (locked && (s->opt.ninitrd || (*s->opt.cmdline && sec[UKI_CMDLINE].present)))
		con_warn("Secure Boot is on: '%s' boots with its own command line and initrds, the ones given are ignored",
			 s->opt.kernel);
	if (locked)
		s->opt.ninitrd = 0;
	if ((rc = settle_uki_cmdline(s, locked, d)) ||
	    (rc = append_stub_lines(s, d)))
		return rc;
	s->image += sec[UKI_LINUX].offset;
	s->image_size = sec[UKI_LINUX].size;
	return 0;
}

static int build_plan(struct session *s, struct diag *d)
{
	int rc;

	if ((rc = load_kernel_head(s->opt.kernel, &s->opt.kernel_pin,
				   &s->kernel_file, &s->image, &s->head_read,
				   &s->files, d)))
		return rc;
	s->image_size = s->kernel_file.size;
	s->stamps[STAMP_KERNEL_READ] = rdtsc();
	platform_gather(&s->platform);
	/* The rest of the file waits, if it can, until its place is known:
	 * until then only the head is read, and only the format's parse()
	 * reads it (struct boot_format). */
	if (!s->head_read)
		s->copied_why = "it is in memory already, where its loader put it or it was fetched";
	/* A pinned file is checked whole before anything parses it. */
	if (s->opt.kernel_pin.set &&
	    (rc = read_now(s, "it is pinned: checked whole before it is parsed", d)))
		return rc;
	/* (a Type #1 `linux` line may name one too: systemd-boot boots it) */
	if ((!s->opt.format || !strcmp(s->opt.format, "auto") ||
	     !strcmp(s->opt.format, "linux")) &&
	    uki_detect(s->image, s->head_read ? s->head_read : s->image_size) &&
	    ((rc = read_now(s, "it is a section of a unified kernel image", d)) ||
	     (rc = unpack_uki(s, d))))
		return rc;
	if ((rc = select_format(s, d)))
		return rc;
	/* The image's signature covers its .linux whatever that holds, but
	 * under Secure Boot only a kernel of a format that carries a
	 * signature boots (docs/secure-boot.md): the check a kernel file
	 * gets, which a unified kernel image's .linux skipped, verified as
	 * the image's Linux. systemd-stub starts nothing but Linux either. */
	if (s->uki_file && s->fmt && !s->fmt->signed_pe &&
	    secure_boot_locked(s))
		return diag_fail(d, ERR_UNSUPPORTED,
				 "%s, and the .linux section of unified kernel image '%s' is a %s kernel, not Linux: under Secure Boot only a signed Linux kernel boots",
				 secure_boot_reason(s->platform.secure_boot),
				 s->opt.kernel, s->fmt->name);
	if (s->head_read && (s->app || !s->fmt->head || s->fmt->head > s->head_read) &&
	    (rc = read_now(s, "its format reads the whole file to place it", d)))
		return rc;
	if (s->app)
		return 0;
	if ((rc = s->fmt->parse(s->image, s->image_size, &s->layout, d)))
		return rc;
	if (s->opt.verbose && s->fmt->note)
		con_note("%s kernel: %s", s->fmt->name, s->fmt->note);
	/* A kernel that would keep boot services running, on a machine that
	 * has none (Multiboot 2 §3.1.8: the tag is a request) */
	if (s->layout.boot_services && !s->platform.boot_services) {
		if (s->layout.boot_services_required ||
		    !layout_holds(&s->layout, s->layout.entry))
			return diag_fail(d, ERR_UNSUPPORTED,
					 "'%s' needs EFI boot services (Multiboot2 tag 7%s), and there are none here",
					 s->opt.kernel,
					 s->layout.boot_services_required ? " required" :
					 "; no other entry in the image");
		s->layout.boot_services = false;
		s->layout.place.now_only = false;
	}
	if ((rc = prepare_cpus(s, d)) || (rc = prepare_memory_map(s, d)) ||
	    (rc = place_image(s, d)))
		return rc;
	if ((rc = load_all_modules(s, d)))
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
	s->alloc.pages = alloc_boot_info;
	s->ctx.alloc = &s->alloc;
	s->ctx.plan = &s->plan;
	if ((rc = prepare_trampoline(s, d)) || (rc = s->fmt->prepare(&s->ctx, d)) ||
	    (rc = boot_add_segments(&s->ctx, d)) || (rc = final_check(s, d)))
		return rc;
	s->stamps[STAMP_PLANNED] = rdtsc();
	return 0;
}

/* -v, before ExitBootServices: each file read, then the stages so far,
 * in microseconds since efikexec started. */
static void print_times(const struct session *s)
{
	for (size_t i = 0; i < s->files.n; i++) {
		const struct loaded_file *f = &s->files.file[i];
		uint64_t us = timing_us_since_start(f->tsc_end) -
			      timing_us_since_start(f->tsc_start);

		/* opening and reading it: for a URL, the fetch; for a file
		 * in memory already (efikexec.mb's modules), next to nothing */
		con_note("time: read %s '%s' (%lu KiB) in %lu us, %lu MB/s",
			 f->what, f->path, f->size >> 10, us,
			 us ? f->size / us : 0);
	}
	con_note("time: kernel read at %lu us, modules at %lu us, planned at %lu us",
		 timing_us_since_start(s->stamps[STAMP_KERNEL_READ]),
		 timing_us_since_start(s->stamps[STAMP_MODULES_READ]),
		 timing_us_since_start(s->stamps[STAMP_PLANNED]));
}

static int run(struct session *s, struct diag *d)
{
	struct mem_protect protect[RELOCATE_MAX_PROTECT];
	struct diag ignored;
	size_t n;
	int rc;

	if ((rc = build_plan(s, d)))
		return rc;
	if (s->app && s->opt.dry_run) {
		con_note("dry run: '%s' is an EFI application, not started",
			 s->opt.kernel);
		return 0;
	}
	if (s->app)
		return machine_start_app(s->opt.kernel, s->image, s->image_size,
					 s->opt.cmdline, d);
	if (s->opt.dry_run) {
		if (s->policy.warning)
			con_warn("%s", s->policy.warning);
		plan_describe(&s->plan, con_line, NULL);
		if (s->copied_why)
			con_note("dry run: the kernel is copied to its place after ExitBootServices: %s",
				 s->copied_why);
		con_note("dry run: plan is valid, not booting");
		return 0;
	}
	/* Measured boot and what the machine publishes (efi/: PCRs 8 and 9,
	 * the Boot Loader Interface variables) describe the boot that
	 * happens: only now that every check that can fail has passed. Both
	 * may make the firmware allocate and free: take back any page of the
	 * destination freed meanwhile. What could not be taken is judged by
	 * the check against the final memory map at the point of no
	 * return. */
	machine_commit(s);
	reclaim_destination(s, &ignored);
	s->detail[DETAIL_COMMITTED] = rdtsc();
	if (s->opt.verbose)
		print_times(s);
	relocate_prepare(s->tramp, &s->plan, s->cr3);
	if (s->opt.fault_test)
		relocate_test_fault(s->tramp);
	if (s->opt.verify)
		relocate_set_verify(s->tramp, s->opt.verify_test);
	/* the code that runs outside efikexec's image made executable, and
	 * read-only where it is written no more (docs/secure-boot.md, "NX") */
	n = relocate_protections(s->tramp, &s->plan, protect);
	if ((rc = machine_protect(protect, n, d)))
		return rc;
	if (s->policy.warning)
		con_warn("%s", s->policy.warning);
	/* Where nothing is to be parked, say so now: in TDX and SEV-ES/SNP
	 * guests port I/O would trap after ExitBootServices. */
	if (!s->park)
		con_note("parked 0/%u (%s)", s->cpus.n - 1,
			 s->cpus.n > 1 ? s->policy.why_not_parked : "no APs");
	con_note("handoff format=%s entry=0x%lx segments=%zu cpus=%u flags=0x%x%s",
		 s->plan.format, s->plan.entry.rip, s->plan.nseg, s->cpus.n,
		 s->plan.flags,
		 s->layout.boot_services ? " boot-services=kept" :
		 s->opt.verify ? " verify" : "");
	for (size_t i = 0; i < s->files.n; i++)
		s->detail[DETAIL_READ_TICKS] += s->files.file[i].tsc_end -
						s->files.file[i].tsc_start;
	s->detail[DETAIL_LEAVING] = rdtsc();
	return machine_leave(s, d);
}

int boot_sequence(struct session *s, const struct options *o, struct diag *d)
{
	size_t mark = pages_mark();
	int rc;

	memset(s, 0, sizeof(*s));
	s->opt = *o;
	s->stamps[STAMP_ENTRY] = timing_start_tsc();
	rc = run(s, d);
	/* (a kernel file left open by an error before its rest was read) */
	file_close(&s->kernel_file);
	machine_abandon();
	pages_release(mark);
	return rc;
}

