/* The checks every probe makes, whatever its format. */
#include "probe.h"

#include <stdarg.h>

#include "boot/handoff_record.h"
#include "cpu/x86.h"
#include "lib/mem.h"
#include "lib/sizes.h"

#define COM1 0x3f8
#define DEBUG_EXIT_PORT 0xf4
/* isa-debug-exit: QEMU exits with (value << 1) | 1 */
#define EXIT_PASS 0x31 /* status 99 */
#define EXIT_FAIL 0x32 /* status 101 */

static unsigned failures;

static void putc_serial(char c)
{
	for (int i = 0; i < 100000 && !(inb(COM1 + 5) & 0x20); i++)
		;
	outb(COM1, (uint8_t)c);
}

void probe_puts(const char *s)
{
	for (; *s; s++) {
		if (*s == '\n')
			putc_serial('\r');
		putc_serial(*s);
	}
}

/* v /= base, returning the remainder; without libgcc's 64-bit division in
 * 32-bit code (DIV of EDX:EAX by a 32-bit divisor, EDX < divisor) */
static unsigned div_small(uint64_t *v, unsigned base)
{
#if defined(__x86_64__)
	unsigned r = (unsigned)(*v % base);
	*v /= base;
	return r;
#else
	uint32_t hi = (uint32_t)(*v >> 32), lo = (uint32_t)*v;
	uint32_t qhi = hi / base, r = hi % base;

	__asm__("divl %2" : "+a"(lo), "+d"(r) : "rm"(base));
	*v = (uint64_t)qhi << 32 | lo;
	return r;
#endif
}

static void put_num(uint64_t v, unsigned base)
{
	char tmp[24];
	int n = 0;

	do
		tmp[n++] = "0123456789abcdef"[div_small(&v, base)];
	while (v);
	while (n--)
		putc_serial(tmp[n]);
}

/* %s %c %d %u %x with l/ll/z; enough for the probes' lines */
static void vprint(const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		int longs = 0;
		if (*fmt != '%') {
			if (*fmt == '\n')
				putc_serial('\r');
			putc_serial(*fmt);
			continue;
		}
		fmt++;
		while (*fmt == 'l' || *fmt == 'z') {
			/* 'z': size_t is as wide as long on both ABIs here */
			longs++;
			fmt++;
		}
		switch (*fmt) {
		case 's':
			probe_puts(va_arg(ap, const char *));
			break;
		case 'c':
			putc_serial((char)va_arg(ap, int));
			break;
		case 'd': {
			long long v = longs >= 2 ? va_arg(ap, long long) :
				      longs ? va_arg(ap, long) : va_arg(ap, int);
			if (v < 0) {
				putc_serial('-');
				v = -v;
			}
			put_num((uint64_t)v, 10);
			break;
		}
		case 'u':
		case 'x': {
			uint64_t v = longs >= 2 ? va_arg(ap, unsigned long long) :
				     longs ? va_arg(ap, unsigned long) :
					     va_arg(ap, unsigned int);
			put_num(v, *fmt == 'u' ? 10 : 16);
			break;
		}
		default:
			putc_serial(*fmt);
		}
	}
}

void probe_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vprint(fmt, ap);
	va_end(ap);
}

bool check(bool ok, const char *what, ...)
{
	va_list ap;

	probe_puts(ok ? "probe: ok: " : "probe: FAIL: ");
	va_start(ap, what);
	vprint(what, ap);
	va_end(ap);
	probe_puts("\n");
	failures += !ok;
	return ok;
}

/* "key=NUMBER" on the command line (decimal or 0x hex); 0 when absent */
uint64_t cmdline_number(const char *c, const char *key)
{
	size_t k = strlen(key);
	const char *start = c;

	for (; c && *c; c++) {
		if ((c == start || c[-1] == ' ') &&
		    !memcmp(c, key, k) && c[k] == '=') {
			uint64_t v = 0;
			unsigned base = 10;
			c += k + 1;
			if (c[0] == '0' && c[1] == 'x') {
				base = 16;
				c += 2;
			}
			for (;; c++) {
				unsigned dgt;
				if (*c >= '0' && *c <= '9')
					dgt = (unsigned)(*c - '0');
				else if (base == 16 && *c >= 'a' && *c <= 'f')
					dgt = (unsigned)(*c - 'a' + 10);
				else
					break;
				v = v * base + dgt;
			}
			return v;
		}
	}
	return 0;
}

/* CRC-32 (IEEE 802.3, as gzip and cksum -a crc32b compute it) */
static uint32_t crc32(const uint8_t *p, uint64_t n)
{
	static uint32_t table[256];
	uint32_t c = 0xffffffffu;

	if (!table[1])
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t v = i;
			for (int k = 0; k < 8; k++)
				v = v & 1 ? 0xedb88320u ^ (v >> 1) : v >> 1;
			table[i] = v;
		}
	for (uint64_t i = 0; i < n; i++)
		c = table[(c ^ p[i]) & 0xff] ^ (c >> 8);
	return c ^ 0xffffffffu;
}

/* The map entry holding [base, base + len), or NULL. */
static const struct probe_range *containing(const struct probe_view *v,
					    uint64_t base, uint64_t len)
{
	for (size_t i = 0; i < v->nmem; i++)
		if (base >= v->mem[i].base &&
		    base + len <= v->mem[i].base + v->mem[i].len)
			return &v->mem[i];
	return NULL;
}

static bool in_ram(const struct probe_view *v, uint64_t base, uint64_t len)
{
	const struct probe_range *r = containing(v, base, len ? len : 1);
	return r && r->type == 1;
}

/* The memory map's ACPI reclaimable bytes (type 3). */
static uint64_t acpi_reclaim_bytes(const struct probe_view *v)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < v->nmem; i++)
		if (v->mem[i].type == 3)
			sum += v->mem[i].len;
	return sum;
}

static void check_memory_map(const struct probe_view *v)
{
	bool sorted = true, sizes = true;
	uint64_t img = (uint64_t)(uintptr_t)probe_image_start;
	uint64_t img_len = (uint64_t)(uintptr_t)probe_image_end - img;

	check(v->nmem > 0, "memory map has %zu entries", v->nmem);
	for (size_t i = 0; i < v->nmem; i++) {
		sizes &= v->mem[i].len > 0;
		if (i && v->mem[i].base < v->mem[i - 1].base + v->mem[i - 1].len)
			sorted = false;
	}
	check(sizes, "no empty memory map entries");
	check(sorted, "memory map entries ascend without overlapping");
	/* Multiboot, Linux and the ELF64 protocol all report the kernel's
	 * own image, its modules and the boot information as RAM (the kernel
	 * keeps them itself) */
	check(in_ram(v, img, img_len), "own image 0x%llx-0x%llx is inside RAM",
	      (unsigned long long)img, (unsigned long long)(img + img_len - 1));
	check(in_ram(v, v->info_start, v->info_end - v->info_start),
	      "boot information 0x%llx-0x%llx is inside RAM",
	      (unsigned long long)v->info_start,
	      (unsigned long long)(v->info_end - 1));
	for (size_t i = 0; i < v->nmodules; i++)
		check(in_ram(v, v->mod[i].start, v->mod[i].end - v->mod[i].start),
		      "module %zu 0x%llx-0x%llx is inside RAM", i,
		      (unsigned long long)v->mod[i].start,
		      (unsigned long long)v->mod[i].end);
	/* reserved ranges are kept: the ACPI tables are not handed out as RAM */
	if (v->rsdp) {
		const uint8_t *r = (const uint8_t *)(uintptr_t)v->rsdp;
		uint64_t xsdt = 0;
		for (int b = 0; b < 8; b++)
			xsdt |= (uint64_t)r[24 + b] << (8 * b);
		uint64_t table = r[15] >= 2 && xsdt ? xsdt :
				 (uint64_t)(r[16] | r[17] << 8 | r[18] << 16 |
					    (uint32_t)r[19] << 24);
		check(!memcmp(r, "RSD PTR ", 8), "the RSDP has its signature");
		check(!in_ram(v, table, 36),
		      "ACPI root table at 0x%llx is not reported as RAM",
		      (unsigned long long)table);
	}
}

#if defined(__x86_64__)
/* Walks CR3 like the MMU; returns the physical address or ~0. */
static uint64_t translate(uint64_t va)
{
	uint64_t table = probe_regs.cr3 & 0x000ffffffffff000ull;
	int levels = (probe_regs.cr4 & (1u << 12)) ? 5 : 4;

	for (int level = levels; level >= 1; level--) {
		int shift = 12 + 9 * (level - 1);
		uint64_t e = ((const uint64_t *)(uintptr_t)table)[(va >> shift) & 511];
		uint64_t addr = e & 0x000ffffffffff000ull;
		if (!(e & 1))
			return ~0ull;
		if ((e & 0x80) || level == 1)
			return addr + (va & ((1ull << shift) - 1));
		table = addr;
	}
	return ~0ull;
}

static void check_identity(uint64_t va, const char *what)
{
	check(translate(va) == va, "%s 0x%llx is identity mapped", what,
	      (unsigned long long)va);
}

static void check_paging(const struct probe_view *v)
{
	check_identity((uint64_t)(uintptr_t)probe_image_start, "own image start");
	check_identity((uint64_t)(uintptr_t)probe_image_end - 1, "own image end");
	check_identity(v->info_start, "boot information");
	check_identity((uint64_t)(uintptr_t)v->cmdline, "command line");
	for (size_t i = 0; i < v->nmodules; i++) {
		check_identity(v->mod[i].start, "module start");
		check_identity(v->mod[i].end - 1, "module end");
	}
	for (size_t i = 0; i < v->nmem; i++)
		if (v->mem[i].type == 1)
			check_identity(v->mem[i].base + v->mem[i].len - 1,
				       "end of RAM range");
}
#else
static void check_paging(const struct probe_view *v)
{
	(void)v; /* 32-bit entries run without paging (check_control_regs) */
}
#endif

/* ---- control registers (Intel SDM Vol. 3A §2.5) ---- */

#define CR0_PE (1ull << 0)
#define CR0_EM (1ull << 2)
#define CR0_TS (1ull << 3)
#define CR0_WP (1ull << 16)
#define CR0_AM (1ull << 18)
#define CR0_PG (1ull << 31)
#define CR4_PAE (1ull << 5)
#define CR4_MCE (1ull << 6)
#define CR4_PGE (1ull << 7)
#define CR4_PCIDE (1ull << 17)
#define CR4_CET (1ull << 23) /* CR4_LA57 is cpu/x86.h's */

/* arrays, not pointers: no absolute address in the data, so the
 * position-independent build (multiboot2-efi.elf) runs wherever it is
 * loaded */
#define BIT_NAME 11
static const char cr0_names[64][BIT_NAME] = {
	[0] = "PE", [1] = "MP", [2] = "EM", [3] = "TS", [4] = "ET", [5] = "NE",
	[16] = "WP", [18] = "AM", [29] = "NW", [30] = "CD", [31] = "PG",
};

static const char cr4_names[64][BIT_NAME] = {
	[0] = "VME", [1] = "PVI", [2] = "TSD", [3] = "DE", [4] = "PSE",
	[5] = "PAE", [6] = "MCE", [7] = "PGE", [8] = "PCE", [9] = "OSFXSR",
	[10] = "OSXMMEXCPT", [11] = "UMIP", [12] = "LA57", [13] = "VMXE",
	[14] = "SMXE", [16] = "FSGSBASE", [17] = "PCIDE", [18] = "OSXSAVE",
	[19] = "KL", [20] = "SMEP", [21] = "SMAP", [22] = "PKE", [23] = "CET",
	[24] = "PKS", [25] = "UINTR", [28] = "LAM_SUP", [32] = "FRED",
};

/* One check per bit in `checked`: set where `want` has it, clear elsewhere.
 * A bit without a name has a line only when it is wrong (set). */
static void check_bits(const char *reg, uint64_t value,
		       const char (*names)[BIT_NAME], uint64_t checked, uint64_t want)
{
	for (unsigned b = 0; b < 8 * sizeof(uintptr_t); b++) {
		uint64_t m = 1ull << b;
		bool ok = !(value & m) == !(want & m);

		if (!(checked & m) || (!names[b][0] && ok))
			continue;
		if (names[b][0])
			check(ok, "%s.%s is %s", reg, names[b], want & m ? "set" : "clear");
		else
			check(ok, "%s bit %u is clear", reg, b);
	}
}

/* CR0 and CR4 bit by bit: what the entry mode needs from any loader, and
 * with efikexec (its handoff record or its name) its whole contract
 * (relocate/trampoline.asm): CR0 with WP, AM, TS and EM clear; CR4 with
 * nothing but PAE and LA57 in 64-bit mode, nothing at all in 32-bit mode,
 * besides MCE in a TDX guest. Where LA57 is set, check_paging() walks five
 * levels, so a wrong LA57 fails there. */
static void check_control_regs(const struct probe_view *v)
{
	const uint64_t all = sizeof(uintptr_t) == 8 ? ~0ull : 0xffffffffull;
	uint64_t cr0_checked, cr0_want, cr4_checked, cr4_want;
	const struct efikexec_handoff *h = v->handoff;
	bool efikexec = h || (v->loader_name && !strncmp(v->loader_name, "efikexec", 8));
	/* TDX_GUEST (docs/handoff.md): CR4.MCE may stay, as in Linux's kexec */
	uint64_t tdx_mce = h && (h->flags & (1u << 7)) ? CR4_MCE : 0;

	probe_printf("probe: cr0=0x%llx cr4=0x%llx\n", (unsigned long long)probe_regs.cr0,
		     (unsigned long long)probe_regs.cr4);
	if (v->boot_services) {
		/* the firmware's state, as for a UEFI application (UEFI 2.10
		 * §2.3.4: 64-bit mode with paging, CR0.EM and CR0.TS clear);
		 * the rest is the firmware's business */
		check_bits("CR0", probe_regs.cr0, cr0_names,
			   CR0_PE | CR0_PG | CR0_EM | CR0_TS, CR0_PE | CR0_PG);
		check_bits("CR4", probe_regs.cr4, cr4_names, CR4_PAE, CR4_PAE);
		return;
	}
#if defined(__x86_64__)
	/* IA-32e mode runs with PE, PG and PAE; no loader should hand over
	 * global pages, PCIDs or CET, which the kernel did not set up */
	cr0_checked = cr0_want = CR0_PE | CR0_PG;
	cr4_checked = CR4_PAE | CR4_PGE | CR4_PCIDE | CR4_CET;
	cr4_want = CR4_PAE;
	if (efikexec)
		cr4_checked = all & ~CR4_LA57 & ~tdx_mce;
#else
	/* Multiboot 0.6.96 §3.2 and Multiboot2 §3.3: PE set, PG clear; and
	 * nothing that would change the paging the kernel turns on itself */
	cr0_checked = CR0_PE | CR0_PG;
	cr0_want = CR0_PE;
	cr4_checked = CR4_PAE | CR4_LA57 | CR4_PGE | CR4_PCIDE | CR4_CET;
	cr4_want = 0;
	if (efikexec)
		cr4_checked = all & ~tdx_mce;
#endif
	if (efikexec)
		cr0_checked |= CR0_WP | CR0_AM | CR0_TS | CR0_EM;
	check_bits("CR0", probe_regs.cr0, cr0_names, cr0_checked, cr0_want);
	check_bits("CR4", probe_regs.cr4, cr4_names, cr4_checked, cr4_want);
}

/* ---- the APs: parked, and answering a fresh INIT-SIPI-SIPI ---- */

extern const unsigned char probe_ap_start[], probe_ap_end[];
#define AP_COUNT_OFFSET 0x100 /* in the AP page: u32 answers (ap.asm) */

#define MSR_APIC_BASE 0x1b
#define MSR_X2APIC_ICR 0x830

static void send_ipi(uint32_t apic_id, uint32_t icr)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);

	if (base & (1u << 10)) {
		wrmsr(MSR_X2APIC_ICR, (uint64_t)apic_id << 32 | icr);
		return;
	}
	volatile uint32_t *lapic = (volatile uint32_t *)(uintptr_t)(base & 0xfffff000u);
	for (int i = 0; i < 1000000 && (lapic[0x300 / 4] & (1u << 12)); i++)
		;
	lapic[0x310 / 4] = apic_id << 24;
	lapic[0x300 / 4] = icr;
}

static void spin(uint64_t cycles)
{
	uint64_t t0 = rdtsc();
	while (rdtsc() - t0 < cycles)
		__asm__ volatile("pause");
}

/* A RAM page below 640 KiB for the APs' real-mode code, clear of the
 * interrupt vector table and the BIOS data area. */
static uint64_t ap_page(const struct probe_view *v)
{
	for (uint64_t p = 0x8000; p < 0x9f000; p += 0x1000)
		if (in_ram(v, p, 0x1000))
			return p;
	return 0;
}

/* The stage stamps: taken, in order, the last (the jump) before the
 * probe started; printed as TSC ticks after efikexec's start. */
static void check_stamps(const struct efikexec_handoff *h, bool boot_services)
{
	uint64_t now = rdtsc();
	bool ascend = h->stamp[0] != 0;

	if (boot_services) {
		/* efikexec exited nothing and parked nothing, but copied the
		 * segments and jumped: those stamps are taken, and with the
		 * rest ascend */
		uint64_t last = h->stamp[0];

		check(!h->stamp[STAMP_EXIT_BOOT_SERVICES] && !h->stamp[STAMP_PARKED],
		      "no ExitBootServices or parking stamp (%llu, %llu)",
		      (unsigned long long)h->stamp[STAMP_EXIT_BOOT_SERVICES],
		      (unsigned long long)h->stamp[STAMP_PARKED]);
		check(h->stamp[STAMP_RELOCATED] && h->stamp[STAMP_JUMP],
		      "the copy and jump stamps are taken (%llu, %llu)",
		      (unsigned long long)h->stamp[STAMP_RELOCATED],
		      (unsigned long long)h->stamp[STAMP_JUMP]);
		for (int i = 1; i < HANDOFF_STAMPS; i++) {
			if (!h->stamp[i])
				continue;
			ascend = ascend && h->stamp[i] >= last;
			last = h->stamp[i];
		}
		check(ascend && last <= now,
		      "the stage stamps taken ascend from efikexec's start to the probe");
	} else {
		for (int i = 1; i < HANDOFF_STAMPS; i++)
			ascend = ascend && h->stamp[i] >= h->stamp[i - 1];
		check(ascend && h->stamp[STAMP_JUMP] <= now,
		      "the stage stamps ascend from efikexec's start to the jump");
	}
	check(h->tsc_hz >= 1000000, "the TSC rate is known (%llu Hz)",
	      (unsigned long long)h->tsc_hz);
	probe_printf("probe: tsc_hz=%llu stages_tsc=", (unsigned long long)h->tsc_hz);
	for (int i = 1; i < HANDOFF_STAMPS; i++) /* "-": not taken */
		probe_printf(h->stamp[i] ? "%s%llu" : "%s-", i > 1 ? "," : "",
			     (unsigned long long)(h->stamp[i] - h->stamp[0]));
	probe_printf(" probe_tsc=%llu\n", (unsigned long long)(now - h->stamp[0]));
}

static bool clear_of_everything(const struct probe_view *v, uint64_t base,
				uint64_t len)
{
	uint64_t img = (uint64_t)(uintptr_t)probe_image_start;

	if (base < (uint64_t)(uintptr_t)probe_image_end && img < base + len)
		return false;
	if (base < v->info_end && v->info_start < base + len)
		return false;
	for (size_t i = 0; i < v->nmodules; i++)
		if (base < v->mod[i].end && v->mod[i].start < base + len)
			return false;
	return true;
}

/* len bytes of RAM below 4 GiB, above 1 MiB, clear of the image, the
 * boot information and the modules: at the start of a RAM range or just
 * after one of those. 0: none. */
static uint64_t find_room(const struct probe_view *v, uint64_t len)
{
	uint64_t after[PROBE_MAX_MODULES + 3];
	size_t n = 0;

	after[n++] = 1 << 20;
	after[n++] = (uint64_t)(uintptr_t)probe_image_end;
	after[n++] = v->info_end;
	for (size_t i = 0; i < v->nmodules; i++)
		after[n++] = v->mod[i].end;
	for (size_t i = 0; i < v->nmem; i++) {
		const struct probe_range *r = &v->mem[i];

		if (r->type != 1)
			continue;
		for (size_t j = 0; j <= n; j++) {
			uint64_t base = j < n ? after[j] : r->base;

			base = (base + 0xfff) & ~0xfffull;
			if (base >= r->base && base + len <= r->base + r->len &&
			    base + len <= FOUR_GIB && clear_of_everything(v, base, len))
				return base;
		}
	}
	return 0;
}

/* TSC ticks for a plain copy of len bytes (a multiple of 8) with the
 * string instruction. */
static uint64_t copy_ticks(uint64_t src, uint64_t dst, uint64_t len)
{
	uintptr_t s = (uintptr_t)src, d = (uintptr_t)dst;
	uintptr_t n = (uintptr_t)(len / sizeof(uintptr_t));
	uint64_t t0 = rdtsc();

#ifdef __x86_64__
	__asm__ volatile("rep movsq" : "+S"(s), "+D"(d), "+c"(n) : : "memory");
#else
	__asm__ volatile("rep movsl" : "+S"(s), "+D"(d), "+c"(n) : : "memory");
#endif
	return rdtsc() - t0;
}

/* probe.memcpy=N (a benchmark, not a check): copies N MiB within the
 * RAM below 4 GiB twice, the second time over memory the
 * first has just touched (warm in the host too, under emulation), and
 * prints the TSC ticks each took, for comparison with the stamps above. */
static void time_memcpy(const struct probe_view *v)
{
	uint64_t mib = cmdline_number(v->cmdline, "probe.memcpy");
	uint64_t len = mib << 20, base, first;

	if (!mib)
		return;
	if (!(base = find_room(v, 2 * len)))
		return (void)probe_printf("probe: memcpy: no room for 2 x %llu MiB\n",
					  (unsigned long long)mib);
	first = copy_ticks(base, base + len, len);
	probe_printf("probe: memcpy_tsc=%llu,%llu bytes=%llu\n",
		     (unsigned long long)first,
		     (unsigned long long)copy_ticks(base, base + len, len),
		     (unsigned long long)len);
}

static void check_aps(const struct probe_view *v, uint32_t flags)
{
	const struct efikexec_handoff *h = v->handoff;
	uint32_t expected = (uint32_t)cmdline_number(v->cmdline, "probe.cpus");
	uint32_t aps = 0;
	uint64_t page = ap_page(v);
	volatile uint32_t *count;

	if (h) {
		check(h->magic == EFIKEXEC_HANDOFF_MAGIC &&
			      h->version == EFIKEXEC_HANDOFF_VERSION &&
			      h->header_size == offsetof(struct efikexec_handoff, cpu),
		      "handoff record magic 0x%x version %u header %u", h->magic,
		      h->version, h->header_size);
	}
	if (v->boot_services) {
		/* The firmware ran the APs until the probe's ExitBootServices:
		 * the record lists them, none parked or flushed by efikexec,
		 * and nothing flushed every cache. They are the kernel's now,
		 * but waking them would test the firmware, not the loader. */
		uint32_t bsps = 0, touched = 0;

		if (h) {
			for (uint32_t i = 0; i < h->ncpus; i++) {
				bsps += !!(h->cpu[i].state & CPU_BSP);
				touched += !(h->cpu[i].state & CPU_BSP) &&
					   h->cpu[i].state;
			}
			check(bsps == 1, "the handoff record lists one BSP (%u)", bsps);
			check(!touched,
			      "the handoff record shows no AP parked or flushed (%u)",
			      touched);
			check(!(flags & (1u << 4)), "CACHE_FLUSHED is clear");
			if (expected)
				check(h->ncpus == expected,
				      "handoff lists %u CPUs, QEMU has %u", h->ncpus,
				      expected);
		}
		probe_printf("probe: aps=%u (the firmware's: not woken)\n",
			     h ? h->ncpus - !!h->ncpus : expected - !!expected);
		return;
	}
	if (h) {
		for (uint32_t i = 0; i < h->ncpus; i++) {
			const struct efikexec_cpu *c = &h->cpu[i];
			if (c->state & CPU_BSP)
				continue;
			aps++;
			check(c->state & CPU_PARKED, "AP 0x%x was parked (state %u)",
			      c->apic_id, c->state);
			if (flags & (1u << 4))
				check(c->state & CPU_FLUSHED,
				      "AP 0x%x flushed its cache", c->apic_id);
		}
		if (expected)
			check(h->ncpus == expected, "handoff lists %u CPUs, QEMU has %u",
			      h->ncpus, expected);
	} else {
		aps = expected ? expected - 1 : 0;
	}
	probe_printf("probe: aps=%u\n", aps);
	if (!aps)
		return;
	if (!check(page, "a RAM page below 640 KiB for the AP test"))
		return;
	for (size_t i = 0; i < (size_t)(probe_ap_end - probe_ap_start); i++)
		((uint8_t *)(uintptr_t)page)[i] = probe_ap_start[i];
	count = (volatile uint32_t *)(uintptr_t)(page + AP_COUNT_OFFSET);
	*count = 0;
	/* INIT-SIPI-SIPI (SDM Vol. 3A §9.4.4.1), to every AP the record
	 * lists, or to all but ourselves where there is no record */
	if (h) {
		for (uint32_t i = 0; i < h->ncpus; i++)
			if (!(h->cpu[i].state & CPU_BSP))
				send_ipi(h->cpu[i].apic_id, 0xc500);
		spin(20000000);
		for (int round = 0; round < 2; round++) {
			for (uint32_t i = 0; i < h->ncpus; i++)
				if (!(h->cpu[i].state & CPU_BSP))
					send_ipi(h->cpu[i].apic_id,
						 0x600 | (uint32_t)(page >> 12));
			spin(1000000);
		}
	} else {
		send_ipi(0, 0xcc500); /* all excluding self */
		spin(20000000);
		for (int round = 0; round < 2; round++) {
			send_ipi(0, 0xc0600 | (uint32_t)(page >> 12));
			spin(1000000);
		}
	}
	for (uint64_t t0 = rdtsc(); *count < aps && rdtsc() - t0 < 6000000000ull;)
		__asm__ volatile("pause");
	check(*count == aps, "%u of %u APs answered a fresh INIT-SIPI-SIPI",
	      *count, aps);
}

/* ---- descriptors (SDM Vol. 3A §3.4.5) ---- */

static uint64_t descriptor(uint16_t sel)
{
	uint64_t base = 0;
	uint16_t limit;
	uint64_t d;

	for (int b = 0; b < (int)sizeof(uintptr_t); b++)
		base |= (uint64_t)probe_regs.gdtr[2 + b] << (8 * b);
	limit = (uint16_t)(probe_regs.gdtr[0] | probe_regs.gdtr[1] << 8);
	if ((sel & ~7u) + 7 > limit || !(sel & ~7u))
		return 0;
	d = *(const uint64_t *)(uintptr_t)(base + (sel & ~7u));
	return d;
}

static bool flat(uint64_t d)
{
	uint32_t base = (uint32_t)((d >> 16) & 0xffffff) | (uint32_t)((d >> 56) << 24);
	uint32_t limit = (uint32_t)(d & 0xffff) | (uint32_t)((d >> 48) & 0xf) << 16;
	return base == 0 && limit == 0xfffff && (d >> 55 & 1) /* G */;
}

#define DESC_PRESENT(d) ((d) >> 47 & 1)
#define DESC_CODE(d) (((d) >> 43 & 1) && ((d) >> 44 & 1))
#define DESC_DATA_RW(d) (!((d) >> 43 & 1) && ((d) >> 44 & 1) && ((d) >> 41 & 1))

void probe_check_prot32(void)
{
	uint64_t efer = rdmsr(0xc0000080);
	uint64_t cs = descriptor((uint16_t)probe_regs.cs);

	check(!(efer & (1u << 8)), "long mode off (EFER 0x%llx)",
	      (unsigned long long)efer);
	check(DESC_PRESENT(cs) && DESC_CODE(cs) && flat(cs) && (cs >> 54 & 1),
	      "CS 0x%llx is a flat 32-bit code segment", (unsigned long long)probe_regs.cs);
	const uint64_t segs[] = { probe_regs.ds, probe_regs.es, probe_regs.ss,
				  probe_regs.fs, probe_regs.gs };
	const char *names = "DSESSSFSGS";
	for (int i = 0; i < 5; i++) {
		uint64_t dd = descriptor((uint16_t)segs[i]);
		check(DESC_PRESENT(dd) && DESC_DATA_RW(dd) && flat(dd),
		      "%c%c 0x%llx is a flat read/write data segment",
		      names[2 * i], names[2 * i + 1], (unsigned long long)segs[i]);
	}
	check(!(probe_regs.rflags & (1u << 17)), "not in virtual-8086 mode");
}

void probe_check_long64(void)
{
	uint64_t efer = rdmsr(0xc0000080);
	uint64_t cs = descriptor((uint16_t)probe_regs.cs);

	check(efer & (1u << 10), "long mode active (EFER 0x%llx)",
	      (unsigned long long)efer);
	check(DESC_PRESENT(cs) && DESC_CODE(cs) && (cs >> 53 & 1),
	      "CS 0x%llx is a 64-bit code segment", (unsigned long long)probe_regs.cs);
}

void probe_finish(struct probe_view *v)
{
	uint32_t flags = 0;

	probe_printf("probe: format=%s\n", probe_format);
	probe_printf("probe: cmdline=%s\n", v->cmdline ? v->cmdline : "");
	if (v->loader_name)
		probe_printf("probe: loader=%s\n", v->loader_name);
	if (!v->boot_services) /* else probe_check_mode()'s */
		check(!(probe_regs.rflags & (1u << 9)), "interrupts are off (RFLAGS 0x%llx)",
		      (unsigned long long)probe_regs.rflags);
	probe_check_mode();
	check_control_regs(v);
	check_paging(v);
	check_memory_map(v);
	/* what the loader left in memory the kernel reclaims after reading
	 * its ACPI tables (or a devicetree) there: a test bounds it */
	probe_printf("probe: acpi-reclaim=%llu KiB\n",
		     (unsigned long long)(acpi_reclaim_bytes(v) >> 10));
	probe_printf("probe: modules=%zu\n", v->nmodules);
	for (size_t i = 0; i < v->nmodules; i++)
		probe_printf("probe: module%zu size=%llu crc32=%x string=%s\n", i,
			     (unsigned long long)(v->mod[i].end - v->mod[i].start),
			     crc32((const uint8_t *)(uintptr_t)v->mod[i].start,
				   v->mod[i].end - v->mod[i].start),
			     v->mod[i].string ? v->mod[i].string : "");
	if (v->handoff) {
		flags = ((const struct efikexec_handoff *)v->handoff)->flags;
		probe_printf("probe: flags=0x%x\n", flags);
		check_stamps(v->handoff, v->boot_services);
	}
	time_memcpy(v);
	check_aps(v, flags);
	if (failures) {
		probe_printf("probe: FAIL (%u checks failed)\n", failures);
		outb(DEBUG_EXIT_PORT, EXIT_FAIL);
	} else {
		probe_puts("probe: PASS\n");
		outb(DEBUG_EXIT_PORT, EXIT_PASS);
	}
	for (;;)
		__asm__ volatile("cli; hlt");
}
