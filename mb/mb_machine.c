/* efikexec.mb's machine (core/machine.h): memory from the loader's memory
 * map, handed out by efikexec.mb itself and recorded in that map; files
 * are the modules the loader loaded; platform facts from the Multiboot
 * information. No firmware runs: leaving is the jump itself.
 *
 * What is in the map besides the loader's ranges, before anything is
 * allocated: efikexec.mb's own image, its stack and page tables (loader
 * code: the next kernel may overwrite it once the trampoline runs from its
 * own page, as under UEFI), and the information structures and the
 * modules (boot-services data: busy until the sequence has read them, then
 * RAM for the next kernel, which may be placed over them, as it may over
 * UEFI's boot-services memory). The first page stays out of every
 * allocation (the real-mode IVT and BIOS data area, and no pointer is 0).
 * Allocations stay below 4 GiB, where efikexec.mb's identity map ends
 * (mb/start.asm). */
#include "mb/mb_machine.h"

#include "core/final_jump.h"
#include "core/machine.h"
#include "core/own_map.h"
#include "core/session.h"
#include "cpu/probe_hw.h"
#include "lib/mem.h"
#include "lib/range.h"
#include "lib/sizes.h"

#define MAP_MAX 1024
#define ALLOC_MAX 256

/* The window mb/info.c reads through: physical 0-4 GiB, at its alias at
 * 512 GiB (mb/start.asm), where physical address 0 is no null pointer.
 * What the parse returns points there: strings used before the point of
 * no return only (the trampoline's own map has no alias). */
static const struct mb_phys phys = { 0, FOUR_GIB, 1ull << 39 };

static struct mb_info mi;
static struct mb_modules ms;
static struct mem_range ranges[MAP_MAX];
static struct memmap map = { ranges, 0, MAP_MAX };
static uint64_t rsdp;

/* Every allocation, for pages_release(). */
static struct range taken[ALLOC_MAX];
static size_t ntaken;

/* efikexec.mb from its first byte to the end of its .bss (mb/mb.ld). */
extern char __image_start[], __bss_end[];

/* Gives the RAM in [base, base + size) (what is free once the machine is
 * left) the type `type`; what the loader's map says is anything else
 * (reserved, ACPI, runtime services) stays so, for the next kernel too. */
static int busy(uint64_t base, uint64_t size, uint32_t type, struct diag *d)
{
	uint64_t lo = align_down(base, PAGE_SIZE);
	uint64_t end = align_up(base + size, PAGE_SIZE);
	int rc;

	for (size_t i = 0; i < map.n; i++) {
		const struct mem_range *r = &map.r[i];
		uint64_t a = r->base > lo ? r->base : lo;
		uint64_t b = r->base + r->size < end ? r->base + r->size : end;

		if (a >= b || r->type == type || !mem_free_after_ebs(r))
			continue;
		if ((rc = memmap_set_type(&map, a, b - a, type, d)))
			return rc;
		i = (size_t)-1; /* the ranges moved: from the start */
	}
	return 0;
}

struct range machine_image(void)
{
	return (struct range){ (uintptr_t)__image_start,
			       (uint64_t)(__bss_end - __image_start) };
}

int mb_machine_init(uint32_t magic, uint32_t info, struct diag *d)
{
	int rc;

	if ((rc = mb_info_parse(&mi, &phys, magic, info, d)) ||
	    (rc = mb_info_memmap(&mi, &map, d)))
		return rc;
	mb_modules_init(&ms, mi.loader, mi.mod, mi.nmod);
	if ((rc = busy(0, PAGE_SIZE, MEM_BS_DATA, d)) ||
	    (rc = busy((uint64_t)(uintptr_t)__image_start,
		       (uint64_t)(__bss_end - __image_start), MEM_LOADER_CODE, d)))
		return rc;
	for (size_t i = 0; i < mi.nkeep; i++)
		if ((rc = busy(mi.keep[i].base, mi.keep[i].size, MEM_BS_DATA, d)))
			return rc;
	for (size_t i = 0; i < mi.nmod; i++)
		if ((rc = busy(mi.mod[i].start, mi.mod[i].end - mi.mod[i].start,
			       MEM_BS_DATA, d)))
			return rc;
	rsdp = mi.rsdp;
	/* the MADT and the formats read ACPI through efikexec.mb's map,
	 * which ends at 4 GiB */
	if (rsdp >= FOUR_GIB)
		return diag_fail(d, ERR_UNSUPPORTED,
				 "the ACPI RSDP at 0x%lx (%s) lies above 4 GiB, beyond what efikexec.mb maps",
				 rsdp, mi.rsdp_source);
	/* The only RSDP is the copy in the information, which is about to
	 * become RAM: the kernel gets a copy that stays (ACPI reclaim). */
	if (mi.rsdp_is_copy) {
		void *copy = pages_alloc(mi.rsdp_len, FOUR_GIB - 1,
					 PAGES_ACPI_RECLAIM);

		if (!copy)
			return diag_fail(d, ERR_NO_MEMORY, "no memory for the ACPI RSDP");
		memcpy(copy, (const void *)(uintptr_t)mi.rsdp, mi.rsdp_len);
		rsdp = (uint64_t)(uintptr_t)copy;
	}
	return 0;
}

const struct mb_info *mb_machine_info(void)
{
	return &mi;
}

const struct mb_modules *mb_machine_modules(void)
{
	return &ms;
}

/* --- Memory ------------------------------------------------------------ */

void *pages_alloc(uint64_t size, uint64_t max_addr, enum page_use use)
{
	uint64_t base;

	if (!size || size > FOUR_GIB || ntaken == ALLOC_MAX)
		return NULL;
	base = memmap_take_top(&map, size, PAGE_SIZE,
			       max_addr < FOUR_GIB ? max_addr : FOUR_GIB - 1,
			       own_map_type(use));
	if (!base)
		return NULL;
	taken[ntaken++] = (struct range){ base, align_up(size, PAGE_SIZE) };
	if (use != PAGES_FILE)
		memset((void *)(uintptr_t)base, 0, align_up(size, PAGE_SIZE));
	return (void *)(uintptr_t)base;
}

int pages_claim(uint64_t base, uint64_t size, struct diag *d)
{
	struct mem_range blocker;
	int rc;

	if (ntaken == ALLOC_MAX)
		return diag_fail(d, ERR_NO_MEMORY, "more than %d allocations",
				 ALLOC_MAX);
	if (memmap_find_blocker(&map, base, size, mem_free_now, &blocker))
		return diag_fail(d, ERR_NO_MEMORY,
				 "cannot reserve 0x%lx-0x%lx: 0x%lx is %s",
				 base, base + size - 1, blocker.base,
				 mem_type_name(blocker.type));
	if ((rc = memmap_set_type(&map, base, size, MEM_LOADER_DATA, d)))
		return rc;
	taken[ntaken++] = (struct range){ base, size };
	return 0;
}

size_t pages_mark(void)
{
	return ntaken;
}

void pages_release(size_t mark)
{
	struct diag ignored;

	while (ntaken > mark) {
		ntaken--;
		memmap_set_type(&map, taken[ntaken].base, taken[ntaken].size,
				MEM_CONVENTIONAL, &ignored);
	}
}

int fw_map_init(struct fw_map *m, struct diag *d)
{
	return own_map_init(m, map.cap, d);
}

int fw_map_read(struct fw_map *m, struct diag *d)
{
	return own_map_read(m, &map, d);
}

/* --- Files: the modules ------------------------------------------------ */

int file_open(struct open_file *f, const char *what, const char *path,
	      struct diag *d)
{
	size_t i;
	int rc;

	*f = (struct open_file){ .what = what, .path = path };
	if ((rc = mb_module_find(&ms, path, &i, d)))
		return rc;
	f->handle = (void *)(uintptr_t)mi.mod[i].start;
	f->size = mi.mod[i].end - mi.mod[i].start;
	if (!f->size)
		return diag_fail(d, ERR_BAD_IMAGE, "%s '%s' (module %zu) is empty",
				 what, path, i + 1);
	return 0;
}

/* Modules have names, not directories */
int file_list_dir(const char *what, const char *path, file_name_fn each,
		  void *ctx, struct diag *d)
{
	(void)each;
	(void)ctx;
	return diag_fail(d, ERR_NOT_FOUND,
			 "no directory %s '%s': Multiboot modules are files", what,
			 path);
}

const void *file_in_memory(const struct open_file *f)
{
	return f->handle;
}

/* --- Platform ---------------------------------------------------------- */

void platform_gather(struct platform *p)
{
	*p = (struct platform){
		/* a UEFI loader passes its system table; its runtime
		 * services work only with the EFI memory map beside it */
		.efi_systab = mi.efi_map ? mi.efi_systab : 0,
		.acpi_rsdp = rsdp,
	};
	p->has_fb = mb_info_framebuffer(&mi, &p->fb);
}

void machine_cpu_facts(struct cpu_facts *f)
{
	cpu_read_hw_facts(f);
}

int cpus_enumerate(uint64_t acpi_rsdp, uint32_t bsp_apic_id,
		   struct cpu_list *out, const char **source, struct diag *d)
{
	return cpus_from_acpi(acpi_rsdp, bsp_apic_id, out, source, d);
}

/* Nothing runs on a firmware's page tables here: efikexec.mb runs on its
 * own identity map, which maps nothing no-execute. */
int machine_protect(const struct mem_protect *r, size_t n, struct diag *d)
{
	(void)r;
	(void)n;
	(void)d;
	return 0;
}

/* --- Leaving ----------------------------------------------------------- */

/* Nothing to exit: the map read at the final check is the final map. */
int machine_leave(struct session *s, struct diag *d)
{
	(void)d;
	final_jump(s);
}
