#include <string.h>

#include "core/options.h"
#include "harness.h"

static char scratch[4096];

static int parse(const char *line, bool skip, struct options *o, struct diag *d)
{
	return options_parse(line, skip, scratch, sizeof(scratch), o, d);
}

TEST(options_shell_line)
{
	struct options o;
	struct diag d;

	CHECK_EQ(parse("fs0:\\efikexec.efi --initrd \\initrd.img \\vmlinuz console=ttyS0 root=/dev/vda",
		       true, &o, &d), 0);
	CHECK_STR(o.kernel, "\\vmlinuz");
	CHECK_STR(o.cmdline, "console=ttyS0 root=/dev/vda");
	CHECK_EQ(o.ninitrd, 1);
	CHECK_STR(o.initrd[0], "\\initrd.img");
	CHECK(!o.dry_run);
	CHECK(!o.verbose);
	CHECK(!o.help);
}

TEST(options_cmdline_is_passed_exactly)
{
	struct options o;
	struct diag d;

	/* inner spacing and quotes kept; surrounding white space dropped */
	CHECK_EQ(parse("efikexec.efi   vmlinuz   a=1  b=\"x  y\" --initrd c  \r\n", true, &o, &d), 0);
	CHECK_STR(o.kernel, "vmlinuz");
	CHECK_STR(o.cmdline, "a=1  b=\"x  y\" --initrd c");
	CHECK_EQ(o.ninitrd, 0);

	CHECK_EQ(parse("efikexec.efi vmlinuz", true, &o, &d), 0);
	CHECK_STR(o.cmdline, "");
}

TEST(options_repeated_initrds_and_forms)
{
	struct options o;
	struct diag d;

	CHECK_EQ(parse("--initrd=a --dry-run --initrd \"b c\" -- --k x", false, &o, &d), 0);
	CHECK_EQ(o.ninitrd, 2);
	CHECK_STR(o.initrd[0], "a");
	CHECK_STR(o.initrd[1], "b c");
	CHECK(o.dry_run);
	CHECK_STR(o.kernel, "--k");
	CHECK_STR(o.cmdline, "x");

	CHECK_EQ(parse("-v k", false, &o, &d), 0);
	CHECK(o.verbose);
	CHECK_EQ(parse("--verbose k -v", false, &o, &d), 0);
	CHECK(o.verbose);
	CHECK(!o.fault_test);
	CHECK_STR(o.cmdline, "-v");
	CHECK_EQ(parse("--fault-test k", false, &o, &d), 0);
	CHECK(o.fault_test && !o.verbose && !o.dry_run && !o.help);
	CHECK_EQ(parse("--fault-tests k", false, &o, &d), ERR_USAGE);
	CHECK_EQ(parse("--verify k", false, &o, &d), 0);
	CHECK(o.verify && !o.verify_test && !o.fault_test);
	/* the test implies the check it tests */
	CHECK_EQ(parse("--verify-test k", false, &o, &d), 0);
	CHECK(o.verify && o.verify_test);
	CHECK_EQ(parse("--verify", false, &o, &d), ERR_USAGE);
}

TEST(options_without_program_name)
{
	struct options o;
	struct diag d;

	/* a firmware boot entry's load options carry no program name */
	CHECK_EQ(parse("\\vmlinuz quiet", false, &o, &d), 0);
	CHECK_STR(o.kernel, "\\vmlinuz");
	CHECK_STR(o.cmdline, "quiet");
}

TEST(options_help)
{
	struct options o;
	struct diag d;

	CHECK_EQ(parse("efikexec.efi -h", true, &o, &d), 0);
	CHECK(o.help);
	CHECK_EQ(parse("efikexec.efi --help", true, &o, &d), 0);
	CHECK(o.help);
	CHECK_CONTAINS(options_usage(), "usage: efikexec.efi [OPTIONS] KERNEL [CMDLINE...]");
}

TEST(options_errors)
{
	struct options o;
	struct diag d;

	/* no kernel: the boot entries decide, with --dry-run at most */
	CHECK_EQ(parse("efikexec.efi", true, &o, &d), 0);
	CHECK(!o.kernel);
	CHECK_EQ(parse("", false, &o, &d), 0);
	CHECK(!o.kernel);
	CHECK_EQ(parse("efikexec.efi --dry-run", true, &o, &d), 0);
	CHECK(!o.kernel && o.dry_run);
	CHECK_EQ(parse("efikexec.efi --initrd x", true, &o, &d), ERR_USAGE);
	CHECK_CONTAINS(d.msg, "options for a kernel but no KERNEL");
	CHECK_EQ(parse("--flush always", false, &o, &d), ERR_USAGE);
	CHECK_EQ(parse("efikexec.efi --bogus vmlinuz", true, &o, &d), ERR_USAGE);
	CHECK_CONTAINS(d.msg, "unknown option '--bogus'");
	CHECK_EQ(parse("efikexec.efi --initrd", true, &o, &d), ERR_USAGE);
	CHECK_CONTAINS(d.msg, "option --initrd needs a value");
	CHECK_EQ(parse("efikexec.efi --initrdx vmlinuz", true, &o, &d), ERR_USAGE);
	CHECK_CONTAINS(d.msg, "unknown option '--initrdx'");

	char many[1024] = "x";
	for (int i = 0; i <= OPT_MAX_INITRDS; i++)
		strcat(many, " --initrd i");
	strcat(many, " k");
	CHECK_EQ(parse(many, true, &o, &d), ERR_USAGE);
	CHECK_CONTAINS(d.msg, "more than 16 --initrd");

	char tiny[4];
	CHECK_EQ(options_parse("abc", false, tiny, sizeof(tiny), &o, &d), ERR_USAGE);
}

TEST(options_flush_and_erratum)
{
	struct options o;
	struct diag d;

	CHECK_EQ(parse("x k", true, &o, &d), 0);
	CHECK_EQ(o.handoff.flush, FLUSH_AUTO);
	CHECK(!o.handoff.allow_tdx_erratum);
	CHECK_EQ(parse("x --flush always k", true, &o, &d), 0);
	CHECK_EQ(o.handoff.flush, FLUSH_ALWAYS);
	CHECK_EQ(parse("x --flush=never --allow-tdx-erratum k", true, &o, &d), 0);
	CHECK_EQ(o.handoff.flush, FLUSH_NEVER);
	CHECK(o.handoff.allow_tdx_erratum);
	CHECK_EQ(parse("x --flush auto k", true, &o, &d), 0);
	CHECK_EQ(o.handoff.flush, FLUSH_AUTO);
	CHECK_EQ(parse("x --flush sometimes k", true, &o, &d), ERR_USAGE);
	CHECK_CONTAINS(d.msg, "--flush 'sometimes': expected auto, always or never");
}

TEST(options_modules_and_format)
{
	struct options o;
	struct diag d;

	CHECK_EQ(parse("x --module \"\\dom0 console=hvc0  quiet\" --module=\\initrd "
		       "--module \"  fs1:\\m  \" --format multiboot2 xen.gz com1=115200",
		       true, &o, &d), 0);
	CHECK_EQ(o.nmodule, 3);
	CHECK_STR(o.module[0].path, "\\dom0");
	CHECK_STR(o.module[0].args, "console=hvc0  quiet");
	CHECK_STR(o.module[1].path, "\\initrd");
	CHECK_STR(o.module[1].args, "");
	CHECK_STR(o.module[2].path, "fs1:\\m");
	CHECK_STR(o.module[2].args, "");
	CHECK_STR(o.format, "multiboot2");
	CHECK_STR(o.kernel, "xen.gz");
	CHECK_STR(o.cmdline, "com1=115200");
	CHECK_EQ(parse("x --module \"  \" k", true, &o, &d), ERR_USAGE);
	CHECK_CONTAINS(d.msg, "--module needs a path");
	CHECK_EQ(parse("x --format", true, &o, &d), ERR_USAGE);
}

/* Load options a firmware passes of its own accord (U-Boot's bootargs)
 * against efikexec's own, as a boot entry (no program name) gives them. */
TEST(options_firmware_kernel_parameters)
{
	static const struct {
		const char *line;
		bool parameters;
	} cases[] = {
		/* U-Boot's default bootargs, and others like it */
		{ "root=/dev/sdb3 init=/sbin/init rootwait ro", true },
		{ "console=ttyS0,115200 earlyprintk", true },
		{ "ro root=/dev/mmcblk0p2 rootwait", true },
		/* efikexec's own (efibootmgr -u '...'), paths and typos */
		{ "--initrd \\initrd.img \\vmlinuz root=/dev/sda1", false },
		{ "\\vmlinuz root=/dev/sda1", false },
		{ "\\vmlinux root=/dev/sda1", false },
		{ "vmlinuz-6.1 root=/dev/sda1", false },
		{ "fs1:vmlinuz root=/dev/sda1", false },
		{ "EFI/debian/vmlinuz quiet", false },
		/* a bare word with no parameter after it: a kernel's name */
		{ "vmlinuz", false },
		{ "vmlinuz quiet splash", false },
		{ "-v \\vmlinuz", false },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct options o;
		struct diag d;

		CHECK_EQ(parse(cases[i].line, false, &o, &d), 0);
		if (options_are_kernel_parameters(cases[i].line, &o) != cases[i].parameters)
			CHECK_STR(cases[i].line, cases[i].parameters ? "parameters" : "efikexec's");
	}
}

TEST(options_each_switch_sets_its_flag)
{
	struct options o;
	struct diag d;

	CHECK_EQ(parse("-h", false, &o, &d), 0);
	CHECK(o.help && !o.verbose && !o.dry_run);
	CHECK_EQ(parse("-v --dry-run k", false, &o, &d), 0);
	CHECK(o.verbose && o.dry_run && !o.help && !o.fault_test);
	CHECK_EQ(parse("--verbose --allow-tdx-erratum k", false, &o, &d), 0);
	CHECK(o.verbose && o.handoff.allow_tdx_erratum && !o.verify);
	CHECK_EQ(parse("--fault-test k", false, &o, &d), 0);
	CHECK(o.fault_test && !o.verbose && !o.handoff.allow_tdx_erratum);
}
