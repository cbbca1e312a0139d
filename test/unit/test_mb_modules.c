/* mb/modules.c: each loader's convention, with the strings boot-facts.md
 * records for QEMU 7.2, kexec-tools 2.0.25 and GRUB 2.06. */
#include <string.h>

#include "harness.h"
#include "mb/modules.h"

static char scratch[4096], scratch2[4096];

static void init(struct mb_modules *ms, const char *loader,
		 struct mb_module *mod, size_t n)
{
	mb_modules_init(ms, loader, mod, n);
}

/* what efikexec.mb will do: its own options, then the modules by default */
static int parse(const struct mb_modules *ms, const char *cmdline,
		 struct options *o, struct diag *d)
{
	int rc = options_parse(mb_own_options(ms, cmdline), false, scratch,
			       sizeof(scratch), o, d);

	if (!rc && !o->kernel)
		rc = mb_options_default(ms, o, scratch2, sizeof(scratch2), d);
	return rc;
}

static size_t find(const struct mb_modules *ms, const char *path)
{
	size_t i = 99;
	struct diag d;

	if (mb_module_find(ms, path, &i, &d))
		return 99;
	return i;
}

TEST(mb_modules_loader_names)
{
	struct mb_modules ms;

	init(&ms, "qemu", NULL, 0);
	CHECK_EQ(ms.loader, MB_LOADER_QEMU);
	CHECK(ms.named);
	init(&ms, "kexec 2.0.25", NULL, 0);
	CHECK_EQ(ms.loader, MB_LOADER_KEXEC);
	CHECK(ms.named);
	init(&ms, "kexec", NULL, 0);
	CHECK_EQ(ms.loader, MB_LOADER_KEXEC);
	init(&ms, "kexecfoo", NULL, 0);
	CHECK_EQ(ms.loader, MB_LOADER_OTHER);
	init(&ms, "GRUB 2.06-13+deb12u2", NULL, 0);
	CHECK_EQ(ms.loader, MB_LOADER_GRUB);
	CHECK(!ms.named);
	init(&ms, NULL, NULL, 0);
	CHECK_EQ(ms.loader, MB_LOADER_OTHER);
	CHECK(ms.named);
	init(&ms, "iPXE", NULL, 0);
	CHECK_EQ(ms.loader, MB_LOADER_OTHER);
}

/* QEMU: -kernel build/efikexec.mb -append "..." -initrd "F args,G" */
TEST(mb_modules_qemu)
{
	struct mb_module mod[] = {
		{ 0x100000, 0x200000, "/tmp/k/vmlinuz console=ttyS0  root=/dev/vda" },
		{ 0x200000, 0x300000, "/tmp/k/initrd.img" },
	};
	struct mb_modules ms;
	struct options o;
	struct diag d;

	init(&ms, "qemu", mod, 2);
	/* no -append: "IMAGE " */
	CHECK_STR(mb_own_options(&ms, "build/efikexec.mb "), "");
	CHECK_EQ(parse(&ms, "build/efikexec.mb ", &o, &d), 0);
	CHECK_STR(o.kernel, "/tmp/k/vmlinuz");
	CHECK_STR(o.cmdline, "console=ttyS0  root=/dev/vda");
	CHECK_EQ(o.ninitrd, 1);
	CHECK_STR(o.initrd[0], "/tmp/k/initrd.img");
	CHECK_EQ(o.nmodule, 1);
	CHECK_STR(o.module[0].path, "/tmp/k/initrd.img");
	CHECK_STR(o.module[0].args, "");

	/* the image path is dropped even when it names a module */
	CHECK_STR(mb_own_options(&ms, "vmlinuz -v"), "-v");
	CHECK_EQ(parse(&ms, "build/efikexec.mb -v --dry-run", &o, &d), 0);
	CHECK(o.verbose);
	CHECK(o.dry_run);
	CHECK_STR(o.kernel, "/tmp/k/vmlinuz");

	/* KERNEL and --initrd name modules by their last component */
	CHECK_EQ(parse(&ms, "build/efikexec.mb --initrd initrd.img vmlinuz quiet", &o, &d), 0);
	CHECK_STR(o.kernel, "vmlinuz");
	CHECK_STR(o.cmdline, "quiet");
	CHECK_EQ(find(&ms, o.kernel), 0);
	CHECK_EQ(find(&ms, o.initrd[0]), 1);
	CHECK_EQ(find(&ms, "/tmp/k/vmlinuz"), 0);
	CHECK_EQ(find(&ms, "\\tmp\\k\\vmlinuz"), 0);
	CHECK_EQ(find(&ms, "\\vmlinuz"), 0);
	CHECK_EQ(find(&ms, "k/vmlinuz"), 99);
	CHECK_EQ(find(&ms, "console=ttyS0"), 99);
	CHECK_EQ(find(&ms, "#2"), 1);
	CHECK_EQ(find(&ms, "#3"), 99);
	CHECK_EQ(find(&ms, "#0"), 99);
	CHECK_EQ(find(&ms, "#"), 99);
}

/* kexec-tools 2.0.25: the image path, then --command-line if given */
TEST(mb_modules_kexec_tools)
{
	struct mb_module mod[] = {
		{ 0x100000, 0x200000, "vmlinuz console=ttyS0" },
		{ 0x200000, 0x300000, "/boot/initrd.img" },
	};
	struct mb_modules ms;
	struct options o;
	struct diag d;

	init(&ms, "kexec 2.0.25", mod, 2);
	/* no --command-line: the image path, dropped; the first module boots */
	CHECK_STR(mb_own_options(&ms, "/payload"), "");
	CHECK_EQ(parse(&ms, "/payload", &o, &d), 0);
	CHECK_STR(o.kernel, "vmlinuz");
	CHECK_STR(o.cmdline, "console=ttyS0");
	CHECK_STR(o.initrd[0], "/boot/initrd.img");

	/* --command-line "vmlinuz root=/dev/vda" */
	CHECK_EQ(parse(&ms, "/payload vmlinuz root=/dev/vda", &o, &d), 0);
	CHECK_STR(o.kernel, "vmlinuz");
	CHECK_STR(o.cmdline, "root=/dev/vda");
	CHECK_EQ(o.ninitrd, 0);

	/* --command-line with options first */
	CHECK_EQ(parse(&ms, "/root/efikexec.mb --initrd initrd.img vmlinuz x", &o, &d), 0);
	CHECK_STR(o.kernel, "vmlinuz");
	CHECK_EQ(find(&ms, o.initrd[0]), 1);
	CHECK_STR(mb_own_options(&ms, "efikexec.mb -v"), "-v");
	/* the first word is the image's, whatever it is */
	CHECK_STR(mb_own_options(&ms, "vmlinuz x"), "x");
	CHECK_STR(mb_own_options(&ms, NULL), "");
}

/* a loader that may or may not put its image's name first */
TEST(mb_modules_other_loader)
{
	struct mb_module mod[] = {
		{ 0x100000, 0x200000, "vmlinuz console=ttyS0" },
		{ 0x200000, 0x300000, "/boot/initrd.img" },
	};
	struct mb_modules ms;

	init(&ms, "mboot.c32", mod, 2);
	/* a path that names no module: the image's, dropped */
	CHECK_STR(mb_own_options(&ms, "/root/efikexec.mb vmlinuz x"), "vmlinuz x");
	/* a first word that names a module is KERNEL */
	CHECK_STR(mb_own_options(&ms, "vmlinuz x"), "vmlinuz x");
	/* options, parameters and quoted words stay: KERNEL then names no
	 * module, an error the user sees */
	CHECK_STR(mb_own_options(&ms, "-v vmlinuz"), "-v vmlinuz");
	CHECK_STR(mb_own_options(&ms, "root=/dev/vda"), "root=/dev/vda");
	CHECK_STR(mb_own_options(&ms, "\"my kernel\" x"), "\"my kernel\" x");
}

/* GRUB 2.06: no image name, module strings without the file's name */
TEST(mb_modules_grub)
{
	struct mb_module mod[] = {
		{ 0x100000, 0x200000, "console=ttyS0 root=/dev/vda" },
		{ 0x200000, 0x300000, "" },
	};
	struct mb_module named[] = {
		{ 0x100000, 0x200000, "vmlinuz console=ttyS0" },
		{ 0x200000, 0x300000, "initrd" },
		{ 0x300000, 0x400000, "placeholder dom0_mem=512M" },
	};
	struct mb_modules ms;
	struct options o;
	struct diag d;

	/* multiboot2 /efikexec.mb; module2 /vmlinuz console=...; module2 /initrd */
	init(&ms, "GRUB 2.06-13+deb12u2", mod, 2);
	CHECK_STR(mb_own_options(&ms, ""), "");
	CHECK_EQ(parse(&ms, "", &o, &d), 0);
	CHECK_STR(o.kernel, "#1");
	CHECK_STR(o.cmdline, "console=ttyS0 root=/dev/vda");
	CHECK_STR(o.initrd[0], "#2");
	CHECK_EQ(find(&ms, "#1"), 0);
	CHECK_EQ(find(&ms, "#2"), 1);

	/* the first word is efikexec's own, even one naming no module */
	CHECK_STR(mb_own_options(&ms, "vmlinuz x"), "vmlinuz x");
	CHECK_EQ(parse(&ms, "-v", &o, &d), 0);
	CHECK(o.verbose);
	CHECK_STR(o.kernel, "#1");

	/* modules named by a first word of the user's own */
	init(&ms, "GRUB 2.06-13+deb12u2", named, 3);
	CHECK_EQ(parse(&ms, "--initrd initrd vmlinuz console=ttyS0", &o, &d), 0);
	CHECK_STR(o.kernel, "vmlinuz");
	CHECK_EQ(find(&ms, "vmlinuz"), 0);
	CHECK_EQ(find(&ms, "/boot/initrd"), 99);
	CHECK_EQ(find(&ms, "\\initrd"), 1);
	/* without KERNEL the whole string is the arguments */
	CHECK_EQ(parse(&ms, "", &o, &d), 0);
	CHECK_STR(o.kernel, "#1");
	CHECK_STR(o.cmdline, "vmlinuz console=ttyS0");
	CHECK_STR(o.module[1].args, "placeholder dom0_mem=512M");

	CHECK_EQ(mb_module_find(&ms, "xen", &(size_t){ 0 }, &d), ERR_NOT_FOUND);
	CHECK_CONTAINS(d.msg, "GRUB passes no file names");
}

TEST(mb_modules_ambiguous_and_missing)
{
	struct mb_module mod[] = {
		{ 0, 0, "/a/initrd.img" },
		{ 0, 0, "/b/initrd.img x" },
		{ 0, 0, "initrd.img" },
		{ 0, 0, "" },
	};
	struct mb_modules ms;
	struct options o;
	size_t i;
	struct diag d;

	init(&ms, "qemu", mod, 2);
	CHECK_EQ(mb_module_find(&ms, "initrd.img", &i, &d), ERR_USAGE);
	CHECK_CONTAINS(d.msg, "names 2 modules");
	CHECK_EQ(find(&ms, "/b/initrd.img"), 1);
	CHECK_EQ(mb_module_find(&ms, "vmlinuz", &i, &d), ERR_NOT_FOUND);
	CHECK_CONTAINS(d.msg, "no module named 'vmlinuz'");

	/* a whole match wins over last components */
	init(&ms, "qemu", mod, 3);
	CHECK_EQ(find(&ms, "initrd.img"), 2);

	/* default paths fall back to #N where a name is not unique */
	init(&ms, "qemu", mod, 2);
	CHECK_EQ(parse(&ms, "k", &o, &d), 0);
	CHECK_STR(o.kernel, "/a/initrd.img");
	CHECK_STR(o.initrd[0], "/b/initrd.img");
	CHECK_STR(o.module[0].args, "x");
	init(&ms, "qemu", mod + 2, 2);
	CHECK_EQ(parse(&ms, "k", &o, &d), 0);
	CHECK_STR(o.kernel, "initrd.img");
	CHECK_STR(o.initrd[0], "#2"); /* no name at all */

	/* nothing to boot */
	init(&ms, "qemu", mod, 0);
	CHECK_EQ(parse(&ms, "k -v", &o, &d), ERR_USAGE);
	CHECK_CONTAINS(d.msg, "no module to boot");

	/* scratch too small */
	init(&ms, "qemu", mod, 2);
	memset(&o, 0, sizeof(o));
	CHECK_EQ(mb_options_default(&ms, &o, scratch2, 10, &d), ERR_USAGE);
}

TEST(mb_modules_too_many_for_default)
{
	struct mb_module mod[OPT_MAX_INITRDS + 2];
	struct mb_modules ms;
	struct options o;
	struct diag d;

	for (size_t i = 0; i < OPT_MAX_INITRDS + 2; i++)
		mod[i] = (struct mb_module){ 0, 0, "m" };
	init(&ms, "GRUB 2.06", mod, OPT_MAX_INITRDS + 1);
	memset(&o, 0, sizeof(o));
	CHECK_EQ(mb_options_default(&ms, &o, scratch2, sizeof(scratch2), &d), 0);
	CHECK_EQ(o.ninitrd, OPT_MAX_INITRDS);
	CHECK_STR(o.initrd[OPT_MAX_INITRDS - 1], "#17");
	init(&ms, "GRUB 2.06", mod, OPT_MAX_INITRDS + 2);
	CHECK_EQ(mb_options_default(&ms, &o, scratch2, sizeof(scratch2), &d), ERR_USAGE);
}
