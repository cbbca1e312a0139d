/* efikexec.mb's C entry (from start.asm, in 64-bit mode on its own
 * identity map of 0-4 GiB).
 *
 * For now it reads what the loader passed and says what it found, on COM1
 * and the screen, then halts: the boot sequence (core/) is not linked in
 * yet (issue 13 §1). */
#include "cpu/x86.h"
#include "core/console.h"
#include "core/options.h"
#include "mb/info.h"
#include "mb/mb.h"
#include "mb/modules.h"

/* The window mb/info.c reads through: all of the identity map. */
static const struct mb_phys phys = { 0, 1ull << 32, 0 };

static struct mb_info mi;
static struct mem_range ranges[1024];
static char scratch[1 << 16], scratch2[1 << 12];

static void show_info(void)
{
	struct memmap m = { ranges, 0, sizeof(ranges) / sizeof(ranges[0]) };
	uint64_t ram = 0;
	struct diag d;

	con_printf("efikexec: Multiboot %d information at 0x%x (%u bytes%s) from '%s'\n",
		   mi.version, mi.addr, mi.size,
		   mi.no_end_tag ? ", no end tag" : "",
		   mi.loader ? mi.loader : "(no name)");
	con_printf("efikexec: command line '%s'\n", mi.cmdline ? mi.cmdline : "");
	for (size_t i = 0; i < mi.nmod; i++)
		con_printf("efikexec: module %zu: 0x%x-0x%x (%u bytes) '%s'\n",
			   i + 1, mi.mod[i].start, mi.mod[i].end,
			   mi.mod[i].end - mi.mod[i].start, mi.mod[i].string);
	if (mb_info_memmap(&mi, &m, &d)) {
		con_error(&d);
	} else {
		con_printf("efikexec: memory map (%s): %zu ranges\n",
			   mi.efi_map ? "EFI, Multiboot 2 tag 17" : "e820", m.n);
		for (size_t i = 0; i < m.n; i++) {
			if (m.r[i].type == MEM_CONVENTIONAL)
				ram += m.r[i].size;
			con_printf("efikexec:   0x%010llx-0x%010llx %s\n",
				   (unsigned long long)m.r[i].base,
				   (unsigned long long)(m.r[i].base + m.r[i].size - 1),
				   mem_type_name(m.r[i].type));
		}
		con_printf("efikexec: %llu MiB conventional memory\n",
			   (unsigned long long)(ram >> 20));
	}
	if (mi.rsdp)
		con_printf("efikexec: ACPI RSDP at 0x%llx (%zu bytes, %s)\n",
			   (unsigned long long)mi.rsdp, mi.rsdp_len, mi.rsdp_source);
	else
		con_printf("efikexec: no ACPI RSDP\n");
	if (mi.has_fb)
		con_printf("efikexec: framebuffer type %u at 0x%llx, %ux%u, %u bpp, pitch %u\n",
			   mi.fb.type, (unsigned long long)mi.fb.addr, mi.fb.width,
			   mi.fb.height, mi.fb.bpp, mi.fb.pitch);
	if (mi.efi_systab)
		con_printf("efikexec: EFI system table at 0x%llx\n",
			   (unsigned long long)mi.efi_systab);
}

static void show_options(void)
{
	struct mb_modules ms;
	struct options o;
	const char *line;
	struct diag d;

	mb_modules_init(&ms, mi.loader, mi.mod, mi.nmod);
	line = mb_own_options(&ms, mi.cmdline);
	con_printf("efikexec: options '%s'\n", line);
	if (options_parse(line, false, scratch, sizeof(scratch), &o, &d) ||
	    (!o.kernel &&
	     mb_options_default(&ms, &o, scratch2, sizeof(scratch2), &d)))
		mb_fail(&d);
	con_printf("efikexec: kernel '%s', command line '%s'\n", o.kernel, o.cmdline);
	for (size_t i = 0; i < o.ninitrd; i++)
		con_printf("efikexec: initrd '%s'\n", o.initrd[i]);
	for (size_t i = 0; i < o.nmodule; i++)
		con_printf("efikexec: module '%s' '%s'\n", o.module[i].path,
			   o.module[i].args);
	/* every path must name a module */
	if (mb_module_find(&ms, o.kernel, &(size_t){ 0 }, &d))
		mb_fail(&d);
	for (size_t i = 0; i < o.ninitrd; i++)
		if (mb_module_find(&ms, o.initrd[i], &(size_t){ 0 }, &d))
			mb_fail(&d);
	for (size_t i = 0; i < o.nmodule; i++)
		if (mb_module_find(&ms, o.module[i].path, &(size_t){ 0 }, &d))
			mb_fail(&d);
}

_Noreturn void mb_main(uint32_t magic, uint32_t info)
{
	uint64_t hz;
	struct diag d;

	mb_console_init();
	if (mb_info_parse(&mi, &phys, magic, info, &d))
		mb_fail(&d);
	mb_console_screen(&mi);
	hz = mb_tsc_hz();
	con_printf("efikexec: efikexec.mb started, TSC %llu MHz\n",
		   (unsigned long long)(hz / 1000000));
	show_info();
	show_options();
	if (hz)
		con_printf("efikexec: %llu us since entry\n",
			   (unsigned long long)((rdtsc() - mb_entry_tsc) / (hz / 1000000)));
	con_printf("efikexec: the Multiboot front end stops here for now (the boot sequence is not linked in yet); halted\n");
	mb_halt();
}
