#include "machine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "cpu/cpus.h"
#include "lib/range.h"
#include "mm/memmap.h"
#include "mm/place.h"
#include "relocate/plan.h"

/* Backed by host memory: [ARENA_BASE, ARENA_TOP); the map goes beyond. */
#define ARENA_BASE 0x10000ull
#define ARENA_TOP 0x70000000ull
#define MAX_RANGES 256
#define FOUR_GIB (1ull << 32)

static struct mem_range ranges[MAX_RANGES];
static struct memmap map = { ranges, 0, MAX_RANGES };

/* Firmware tables, inside the arena so the formats can read them */
#define ACPI_BASE (ARENA_TOP - 0x200000)
#define RUNTIME_BASE (ARENA_TOP - 0x100000)

/* OVMF-like: low RAM, the legacy hole, boot-services data, RAM, ACPI and
 * runtime ranges, more RAM (beyond the arena: planned, never written),
 * MMIO, and RAM above 4 GiB. */
static const struct mem_range template[] = {
	{ 0x0, 0x1000, 0, MEM_BS_DATA },
	{ 0x1000, 0x9f000, 0, MEM_CONVENTIONAL },
	{ 0xa0000, 0x60000, 0, MEM_RESERVED },
	{ 0x100000, 0x700000, 0, MEM_CONVENTIONAL },
	{ 0x800000, 0x800000, 0, MEM_BS_DATA },
	{ 0x1000000, ACPI_BASE - 0x1000000, 0, MEM_CONVENTIONAL },
	{ ACPI_BASE, 0x100000, 0, MEM_ACPI_RECLAIM },
	{ RUNTIME_BASE, 0x100000, MEM_ATTR_RUNTIME, MEM_RT_DATA },
	{ ARENA_TOP, 0x8000000, 0, MEM_CONVENTIONAL },
	{ 0xfec00000, 0x1000, MEM_ATTR_RUNTIME, MEM_MMIO },
	{ FOUR_GIB, 0x40000000, 0, MEM_CONVENTIONAL },
};

/* An ACPI 2.0 RSDP (ACPI 6.5 §5.2.5.3) pointing at an empty XSDT. */
static void write_acpi(void)
{
	uint8_t *rsdp = (uint8_t *)(uintptr_t)ACPI_BASE, *xsdt = rsdp + 0x100;
	uint64_t xsdt_addr = phys_of(xsdt);
	uint32_t len = 36;
	uint8_t sum = 0;

	memset(rsdp, 0, 0x200);
	memcpy(rsdp, "RSD PTR OEMID ", 14);
	rsdp[15] = 2;
	memcpy(rsdp + 20, &len, 4);
	memcpy(rsdp + 24, &xsdt_addr, 8);
	for (int i = 0; i < 20; i++)
		sum += rsdp[i];
	rsdp[8] = (uint8_t)-sum;
	sum = 0;
	for (int i = 0; i < 36; i++)
		sum += rsdp[i];
	rsdp[32] = (uint8_t)-sum;
	memcpy(xsdt, "XSDT", 4);
	memcpy(xsdt + 4, &len, 4);
}

static void arena_reserve(void)
{
	static int done;
	void *p;

	if (done)
		return;
	p = mmap((void *)ARENA_BASE, ARENA_TOP - ARENA_BASE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE,
		 -1, 0);
	if (p != (void *)ARENA_BASE) {
		fprintf(stderr, "machine: cannot reserve 0x%llx-0x%llx\n",
			ARENA_BASE, ARENA_TOP);
		abort();
	}
	done = 1;
}

/* Gives [base, base + size) the type `type` in the map, splitting ranges. */
static void map_set(uint64_t base, uint64_t size, uint32_t type)
{
	struct mem_range out[MAX_RANGES];
	size_t n = 0;
	uint64_t end = base + size;

	for (size_t i = 0; i < map.n; i++) {
		struct mem_range r = map.r[i];
		uint64_t rend = r.base + r.size;

		if (rend <= base || r.base >= end) {
			out[n++] = r;
			continue;
		}
		if (r.base < base)
			out[n++] = (struct mem_range){ r.base, base - r.base, r.attr, r.type };
		out[n++] = (struct mem_range){ r.base > base ? r.base : base,
					       (rend < end ? rend : end) -
						       (r.base > base ? r.base : base),
					       r.attr, type };
		if (rend > end)
			out[n++] = (struct mem_range){ end, rend - end, r.attr, r.type };
		if (n + 3 > MAX_RANGES)
			abort();
	}
	memcpy(map.r, out, n * sizeof(out[0]));
	map.n = n;
}

/* AllocatePages with AllocateMaxAddress: the highest free pages at or
 * below max, in the arena. */
static void *fw_alloc(uint64_t size, uint64_t max, uint32_t type)
{
	uint64_t bytes = align_up(size ? size : 1, PAGE_SIZE);

	if (max >= ARENA_TOP)
		max = ARENA_TOP - 1;
	for (size_t i = map.n; i-- > 0;) {
		const struct mem_range *r = &map.r[i];
		uint64_t top = r->base + r->size;

		if (!mem_free_now(r) || r->base < ARENA_BASE)
			continue;
		if (top > max + 1)
			top = max + 1;
		top = align_down(top, PAGE_SIZE);
		if (top < r->base + bytes || top - bytes < r->base)
			continue;
		map_set(top - bytes, bytes, type);
		memset((void *)(uintptr_t)(top - bytes), 0, bytes);
		return (void *)(uintptr_t)(top - bytes);
	}
	return NULL;
}

static void *alloc_pages(struct allocator *a, uint64_t size, uint64_t max_addr,
			 enum alloc_kind kind)
{
	(void)a;
	return fw_alloc(size, max_addr,
			kind == ALLOC_RESERVED ? MEM_RESERVED : MEM_LOADER_DATA);
}

static struct allocator machine_alloc = { .pages = alloc_pages };

/* load_claim(): take the parts of a destination that are free now. */
static void claim(uint64_t base, uint64_t size)
{
	uint64_t end = align_up(base + size, PAGE_SIZE);

	base = align_down(base, PAGE_SIZE);
	for (size_t i = 0; i < map.n; i++) {
		struct mem_range r = map.r[i];
		uint64_t lo = r.base > base ? r.base : base;
		uint64_t hi = r.base + r.size < end ? r.base + r.size : end;

		if (lo < hi && mem_free_now(&r)) {
			map_set(lo, hi - lo, MEM_LOADER_DATA);
			i = 0; /* the map changed under us */
		}
	}
}

static void print_line(void *ctx, const char *text)
{
	(void)ctx;
	fprintf(stderr, "  %s\n", text);
}

static void check(int ok, const char *what, const struct diag *d)
{
	if (!ok) {
		fprintf(stderr, "machine: %s: %s\n", what, d ? d->msg : "");
		abort();
	}
}

/* The raw GetMemoryMap() buffer for finish(): the map as descriptors. */
static void *raw_map(size_t *size)
{
	struct efi_mem_desc *raw = fw_alloc(MAX_RANGES * sizeof(*raw), UINT64_MAX,
					    MEM_LOADER_DATA);

	if (!raw)
		return NULL;
	for (size_t i = 0; i < map.n; i++)
		raw[i] = (struct efi_mem_desc){ .type = map.r[i].type,
						.phys_start = map.r[i].base,
						.pages = map.r[i].size / PAGE_SIZE,
						.attr = map.r[i].attr };
	*size = map.n * sizeof(*raw);
	return raw;
}

void machine_boot(const struct boot_format *fmt, const uint8_t *data,
		  size_t size, const char *cmdline)
{
	static const uint8_t module_bytes[2][5000] = { { 1 }, { 2 } };
	static const char *const module_args[2] = { "first module", "" };
	static struct kernel_layout layout;
	static struct plan plan;
	static struct boot_ctx ctx;
	static struct cpu_list cpus = { 2, { { .apic_id = 0, .state = CPU_BSP },
					    { .apic_id = 1 } } };
	struct platform pf = { .efi_systab = RUNTIME_BASE,
			       .acpi_rsdp = ACPI_BASE,
			       .has_fb = true,
			       .fb = { .base = 0x80000000, .size = 0x400000,
				       .width = 1024, .height = 768, .stride = 1024,
				       .bpp = 32 } };
	struct module mods[2];
	struct range avoid[PLAN_MAX_KEEP];
	struct final_state fs = { .map = &map, .desc_size = sizeof(struct efi_mem_desc),
				  .desc_version = 1, .flags = 0x20 };
	struct diag d;
	uint8_t *image;
	uint64_t base;
	size_t nmods;
	void *raw;

	arena_reserve();
	write_acpi();
	memcpy(ranges, template, sizeof(template));
	map.n = sizeof(template) / sizeof(template[0]);
	memset(&plan, 0, sizeof(plan));
	memset(&layout, 0, sizeof(layout));
	if (!size || !(image = fw_alloc(size, UINT64_MAX, MEM_LOADER_DATA)))
		return;
	memcpy(image, data, size);
	if (fmt->parse(image, size, &layout, &d))
		return;
	fb_set_masks(&pf.fb, 0xff0000, 0xff00, 0xff, 0);

	/* place_image(): the kernel first, clear of what is kept so far */
	if (place_find(&map, avoid, 0, &layout.place, &base, &d))
		return;
	ctx.delta = base - layout.place.pref;
	claim(base, layout.place.size);
	if (ranges_overlap(phys_of(image), size, base, layout.place.size)) {
		uint8_t *moved = fw_alloc(size, UINT64_MAX, MEM_LOADER_DATA);
		if (!moved)
			return;
		memcpy(moved, image, size);
		image = moved;
	}

	/* load_modules(): straight into memory below the policy's limits */
	nmods = layout.modules.concatenate ? 1 : 2;
	for (size_t i = 0; i < nmods; i++) {
		void *buf = fw_alloc(sizeof(module_bytes[i]), layout.modules.soft_max,
				     MEM_LOADER_DATA);
		if (!buf)
			buf = fw_alloc(sizeof(module_bytes[i]),
				       layout.modules.hard_max, MEM_LOADER_DATA);
		if (!buf)
			return;
		memcpy(buf, module_bytes[i], sizeof(module_bytes[i]));
		mods[i] = (struct module){ "m", module_args[i], phys_of(buf),
					   sizeof(module_bytes[i]) };
	}

	ctx = (struct boot_ctx){
		.image = image, .image_size = size, .layout = &layout,
		.delta = ctx.delta, .cmdline = cmdline, .modules = mods,
		.nmodules = nmods, .platform = &pf, .cpus = &cpus,
		.max_map_entries = MAX_RANGES,
		.max_map_bytes = MAX_RANGES * sizeof(struct efi_mem_desc),
		.alloc = &machine_alloc, .plan = &plan,
	};
	plan.format = fmt->name;
	/* prepare_trampoline(): its area and page tables below 4 GiB */
	plan.map_top = 8 * FOUR_GIB;
	void *tramp = fw_alloc(2 * PAGE_SIZE, FOUR_GIB - 1, MEM_LOADER_CODE);
	void *tables = fw_alloc(8 * PAGE_SIZE, FOUR_GIB - 1, MEM_LOADER_DATA);
	if (!tramp || !tables)
		return;
	check(!plan_add_keep(&plan, "trampoline", phys_of(tramp), 2 * PAGE_SIZE, &d) &&
	      !plan_add_keep(&plan, "page tables", phys_of(tables), 8 * PAGE_SIZE, &d),
	      "keeping the trampoline", &d);
	if (fmt->prepare(&ctx, &d) || boot_add_segments(&ctx, &d))
		return;

	/* final_check(): the plan holds against the map as it now is */
	claim(base, layout.place.size);
	if (plan_validate(&plan, &map, &d)) {
		fprintf(stderr, "machine: %s: parse and prepare succeeded, but the plan is invalid: %s\n",
			fmt->name, d.msg);
		plan_describe(&plan, print_line, NULL);
		abort();
	}

	/* after ExitBootServices: the boot-services memory is gone */
	raw = raw_map(&fs.raw_size);
	if (!raw)
		return;
	fs.raw_addr = phys_of(raw);
	fmt->finish(&ctx, &fs);
}
