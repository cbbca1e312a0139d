#include "simulated_machine.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "boot/linux.h"
#include "core/boot_sequence.h"
#include "core/console.h"
#include "core/machine.h"
#include "core/own_map.h"
#include "core/session.h"
#include "core/timing.h"
#include "lib/range.h"
#include "lib/sizes.h"

/* Backed by host memory: [ARENA_BASE, ARENA_TOP); the map goes beyond. */
#define ARENA_BASE 0x10000ull
#define ARENA_TOP 0x70000000ull
#define MAX_RANGES 256

static struct mem_range ranges[MAX_RANGES];
static struct memmap map = { ranges, 0, MAX_RANGES };

/* Firmware tables, inside the arena so the formats can read them */
#define ACPI_BASE (ARENA_TOP - 0x200000)
#define RUNTIME_BASE (ARENA_TOP - 0x100000)

/* OVMF-like: low RAM, the legacy hole, boot-services data, RAM, ACPI and
 * runtime ranges, more memory, MMIO, and memory above 4 GiB. Outside the
 * arena the memory is boot-services data, free only once the machine is
 * left: destinations there are planned, never written (the boot sequence
 * reads a kernel straight to its place only in memory free now). */
static const struct mem_range template[] = {
	{ 0x0, ARENA_BASE, 0, MEM_BS_DATA },
	/* the AP park area goes here */
	{ ARENA_BASE, 0xa0000 - ARENA_BASE, 0, MEM_CONVENTIONAL },
	{ 0xa0000, 0x60000, 0, MEM_RESERVED },
	{ 0x100000, 0x700000, 0, MEM_CONVENTIONAL },
	{ 0x800000, 0x800000, 0, MEM_BS_DATA },
	{ 0x1000000, ACPI_BASE - 0x1000000, 0, MEM_CONVENTIONAL },
	{ ACPI_BASE, 0x100000, 0, MEM_ACPI_RECLAIM },
	{ RUNTIME_BASE, 0x100000, MEM_ATTR_RUNTIME, MEM_RT_DATA },
	{ ARENA_TOP, 0x8000000, 0, MEM_BS_DATA },
	{ 0xfec00000, 0x1000, MEM_ATTR_RUNTIME, MEM_MMIO },
	{ FOUR_GIB, 0x40000000, 0, MEM_BS_DATA },
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

static bool arena_reserved;

static void arena_reserve(void)
{
	void *p;

	if (arena_reserved)
		return;
	p = mmap((void *)ARENA_BASE, ARENA_TOP - ARENA_BASE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE,
		 -1, 0);
	if (p != (void *)ARENA_BASE) {
		fprintf(stderr, "machine: cannot reserve 0x%llx-0x%llx\n",
			ARENA_BASE, ARENA_TOP);
		abort();
	}
	arena_reserved = true;
}

void machine_unreserve(void)
{
	if (arena_reserved)
		munmap((void *)ARENA_BASE, ARENA_TOP - ARENA_BASE);
	arena_reserved = false;
}

/* Gives [base, base + size) the type `type` in the map. */
static void map_set(uint64_t base, uint64_t size, uint32_t type)
{
	struct diag d;

	if (memmap_set_type(&map, base, size, type, &d))
		abort();
}

/* AllocatePages with AllocateMaxAddress: the highest free pages at or
 * below max, in the arena. */
static void *fw_alloc(uint64_t size, uint64_t max, uint32_t type)
{
	uint64_t base = memmap_take_top(&map, size, ARENA_BASE,
					max < ARENA_TOP ? max : ARENA_TOP - 1, type);

	if (!base)
		return NULL;
	memset((void *)(uintptr_t)base, 0, align_up(size ? size : 1, PAGE_SIZE));
	return (void *)(uintptr_t)base;
}

static void print_line(void *ctx, const char *text)
{
	(void)ctx;
	fprintf(stderr, "  %s\n", text);
}

/* --- the machine interface (core/machine.h) ----------------------------- */

void *pages_alloc(uint64_t size, uint64_t max_addr, enum page_use use)
{
	void *p = fw_alloc(size, max_addr, own_map_type(use));

	/* what a file is read over need not be zeroed: make sure nothing
	 * relies on it */
	if (p && use == PAGES_FILE)
		memset(p, 0xa5, align_up(size, PAGE_SIZE));
	return p;
}

/* AllocatePages(AllocateAddress): the range must be free now. */
int pages_claim(uint64_t base, uint64_t size, struct diag *d)
{
	struct mem_range blocker;

	if (memmap_find_blocker(&map, base, size, mem_free_now, &blocker))
		return diag_fail(d, ERR_NO_MEMORY, "machine: 0x%lx is not free",
				 blocker.base);
	map_set(base, align_up(size, PAGE_SIZE), MEM_LOADER_DATA);
	return 0;
}

/* The map is made anew for every boot: nothing to give back. */
size_t pages_mark(void)
{
	return 0;
}

void pages_release(size_t mark)
{
	(void)mark;
}

int fw_map_init(struct fw_map *m, struct diag *d)
{
	return own_map_init(m, MAX_RANGES, d);
}

/* GetMemoryMap() */
int fw_map_read(struct fw_map *m, struct diag *d)
{
	return own_map_read(m, &map, d);
}

/* The files: the kernel (the fuzzer's input) and two modules. */
static const uint8_t *kernel_data;
static size_t kernel_size;
static void *kernel_in_memory; /* its copy in the arena, or NULL */
static const uint8_t module_bytes[2][5000] = { { 1 }, { 2 } };

struct simulated_file simulated_extra_d[16];
size_t simulated_nextra_d;

#define EXTRA_D "kernel.extra.d"

int file_list_dir(const char *what, const char *path, file_name_fn each,
		  void *ctx, struct diag *d)
{
	if (strcmp(path, EXTRA_D) || !simulated_nextra_d)
		return diag_fail(d, ERR_NOT_FOUND, "no directory %s '%s'", what,
				 path);
	for (size_t i = 0; i < simulated_nextra_d; i++)
		each(ctx, simulated_extra_d[i].name, simulated_extra_d[i].size);
	return 0;
}

int file_open(struct open_file *f, const char *what, const char *path,
	      struct diag *d)
{
	size_t n = sizeof(EXTRA_D) - 1;

	*f = (struct open_file){ .what = what, .path = path };
	if (!strncmp(path, EXTRA_D "\\", n + 1)) {
		for (size_t i = 0; i < simulated_nextra_d; i++)
			if (!strcmp(path + n + 1, simulated_extra_d[i].name) &&
			    simulated_extra_d[i].data) {
				f->handle = (void *)simulated_extra_d[i].data;
				f->size = simulated_extra_d[i].size;
			}
	} else if (!strcmp(path, "kernel")) {
		f->handle = kernel_in_memory ? kernel_in_memory : (void *)kernel_data;
		f->size = kernel_size;
	} else if (!strcmp(path, "m1") || !strcmp(path, "m2")) {
		f->handle = (void *)module_bytes[path[1] - '1'];
		f->size = sizeof(module_bytes[0]);
	}
	if (!f->size)
		return diag_fail(d, ERR_NOT_FOUND, "%s '%s' not found", what, path);
	return 0;
}

/* The kernel is in memory already, as a Multiboot loader's module is
 * for efikexec.mb: boot-services data, free once the machine is left. */
const void *file_in_memory(const struct open_file *f)
{
	return f->handle == kernel_in_memory ? f->handle : NULL;
}

bool simulated_boot_services = true;
bool simulated_verify;
bool simulated_no_initrds;
enum secure_boot_mode simulated_secure_boot;
struct pin simulated_pins[3];

const uint8_t *simulated_smbios;
size_t simulated_smbios_size;

/* OVMF-like: firmware tables, a framebuffer, Secure Boot and SMBIOS as
 * the test sets them (off and none by default). */
void platform_gather(struct platform *p)
{
	*p = (struct platform){ .boot_services = simulated_boot_services,
				.secure_boot = simulated_secure_boot,
				.efi_systab = RUNTIME_BASE,
				.acpi_rsdp = ACPI_BASE,
				.has_fb = true,
				.fb = { .base = 0x80000000, .size = 0x400000,
					.width = 1024, .height = 768,
					.stride = 1024 } };
	fb_set_masks(&p->fb, 0xff0000, 0xff00, 0xff, 0);
	p->smbios_table = (uint64_t)(uintptr_t)simulated_smbios;
	p->smbios_size = simulated_smbios_size;
}

/* A guest: nothing is parked, nothing flushed. */
void machine_cpu_facts(struct cpu_facts *f)
{
	*f = (struct cpu_facts){ .vendor = VENDOR_INTEL, .hypervisor = true,
				 .page_1g = true };
}

int cpus_enumerate(uint64_t acpi_rsdp, uint32_t bsp_apic_id,
		   struct cpu_list *out, const char **source, struct diag *d)
{
	(void)acpi_rsdp;
	(void)d;
	out->n = 2;
	out->cpu[0] = (struct cpu_entry){ bsp_apic_id, CPU_BSP };
	out->cpu[1] = (struct cpu_entry){ bsp_apic_id + 1, 0 };
	*source = "machine";
	return 0;
}

/* efikexec's own image: memory the map counts as free once the machine
 * is left, as the loader code OVMF loads efikexec.efi into is; here a
 * part of the boot-services data below 16 MiB. */
struct range machine_image(void)
{
	return (struct range){ 0x800000, 0x20000 };
}

struct mem_protect simulated_protected[RELOCATE_MAX_PROTECT];
size_t simulated_nprotected;

/* Records what it is asked, for the tests to compare. */
int machine_protect(const struct mem_protect *r, size_t n, struct diag *d)
{
	(void)d;
	if (n > RELOCATE_MAX_PROTECT)
		abort();
	memcpy(simulated_protected, r, n * sizeof(*r));
	simulated_nprotected = n;
	return 0;
}

/* ExitBootServices: the map is final; the format finishes against it. */
int machine_leave(struct session *s, struct diag *d)
{
	struct final_state fs = { .map = &s->fw.map,
				  .raw_addr = phys_of(s->fw.raw),
				  .desc_size = sizeof(struct efi_mem_desc),
				  .desc_version = 1, .flags = s->plan.flags,
				  .stamps = s->stamps, .detail = s->detail };

	if (fw_map_read(&s->fw, d))
		abort();
	fs.raw_size = s->fw.raw_size;
	s->fmt->finish(&s->ctx, &fs);
	return 0;
}

void con_printf(const char *fmt, ...)
{
	(void)fmt;
}

void con_note(const char *fmt, ...)
{
	(void)fmt;
}

void con_warn(const char *fmt, ...)
{
	(void)fmt;
}

void con_error(const struct diag *d)
{
	(void)d;
}

void con_line(void *unused, const char *text)
{
	(void)unused;
	(void)text;
}

/* --- the boot ----------------------------------------------------------- */

int machine_boot(struct session *s, const struct boot_format *fmt,
		 const uint8_t *data, size_t size, const char *cmdline,
		 struct diag *d)
{
	struct options o = { .kernel = "kernel", .cmdline = cmdline,
			     .format = fmt ? fmt->name : NULL,
			     .verify = simulated_verify,
			     .kernel_pin = simulated_pins[0] };
	int rc;

	arena_reserve();
	write_acpi();
	memcpy(ranges, template, sizeof(template));
	map.n = sizeof(template) / sizeof(template[0]);
	kernel_data = data;
	kernel_size = size;
	/* in memory, where a Multiboot loader would have put it */
	kernel_in_memory = simulated_boot_services ? NULL :
			   fw_alloc(size, UINT64_MAX, MEM_BS_DATA);
	if (kernel_in_memory)
		memcpy(kernel_in_memory, data, size);
	timing_set(0, 1000000000);
	if (simulated_no_initrds && !fmt) {
		/* none */
	} else if (!fmt || fmt == &linux_format) {
		o.initrd[0] = "m1";
		o.initrd[1] = "m2";
		o.ninitrd = 2;
		o.initrd_pin[0] = simulated_pins[1];
		o.initrd_pin[1] = simulated_pins[2];
	} else {
		o.module[0] = (struct opt_module){ "m1", "first module",
						   .pin = simulated_pins[1] };
		o.module[1] = (struct opt_module){ "m2", "", .pin = simulated_pins[2] };
		o.nmodule = 2;
	}
	/* A parse or preparation that fails is fine (the user gets the
	 * error); a plan that fails its final check after everything
	 * succeeded is efikexec's bug. */
	rc = boot_sequence(s, &o, d);
	if (rc && s->checking) {
		fprintf(stderr, "machine: %s: parse and prepare succeeded, but the plan is invalid: %s\n",
			s->fmt->name, d->msg);
		plan_describe(&s->plan, print_line, NULL);
		abort();
	}
	return rc;
}
