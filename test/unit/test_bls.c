#include <stdio.h>
#include <string.h>

#include "bls/auto_entries.h"
#include "bls/choose.h"
#include "bls/drivers.h"
#include "bls/editor.h"
#include "bls/entry.h"
#include "bls/loader_conf.h"
#include "harness.h"
#include "lib/guid.h"

#define FILE_NAME "\\loader\\entries\\e.conf"

static char text[4096], scratch[4096];
static char warnings[4096];

static void collect(void *ctx, const char *msg)
{
	(void)ctx;
	strncat(warnings, msg, sizeof(warnings) - strlen(warnings) - 2);
	strcat(warnings, "\n");
}

static int parse(const char *src, struct bls_entry *e)
{
	size_t n = strlen(src);

	memcpy(text, src, n + 1);
	warnings[0] = '\0';
	return bls_parse_entry(text, n, scratch, "e.conf", FILE_NAME, e, collect, NULL);
}

TEST(bls_entry_debian)
{
	struct bls_entry e;
	struct options o;

	CHECK_EQ(parse("# Boot Loader Specification type#1 entry\r\n"
		       "title      Debian GNU/Linux 12 (bookworm)\r\n"
		       "version    6.1.0-27-amd64\n"
		       "machine-id 6a9857a393724b7a981ebb5b8495b9ea\n"
		       "sort-key   debian\n"
		       "options    root=UUID=1234 ro\n"
		       "linux      /6a98/6.1.0-27-amd64/linux\n"
		       "initrd     /6a98/6.1.0-27-amd64/microcode\n"
		       "initrd     \"/6a98/6.1.0-27-amd64/initrd.img\"\n"
		       "options    quiet  \n"
		       "architecture X64\n"
		       "   \n", &e), 0);
	CHECK_STR(e.title, "Debian GNU/Linux 12 (bookworm)");
	CHECK_STR(e.version, "6.1.0-27-amd64");
	CHECK_STR(e.machine_id, "6a9857a393724b7a981ebb5b8495b9ea");
	CHECK_STR(e.sort_key, "debian");
	CHECK_STR(e.kernel, "/6a98/6.1.0-27-amd64/linux");
	CHECK_EQ(e.kernel_line, 7);
	CHECK_STR(e.format, "linux");
	CHECK_EQ(e.ninitrd, 2);
	CHECK_STR(e.initrd[1], "/6a98/6.1.0-27-amd64/initrd.img");
	CHECK_EQ(e.initrd_line[1], 9);
	CHECK_STR(e.options, "root=UUID=1234 ro quiet");
	CHECK(bls_entry_for_x64(&e));
	/* a 'linux' entry takes systemd-boot's SMBIOS line */
	CHECK(bls_entry_takes_smbios(&e));
	CHECK_STR(warnings, "");

	bls_entry_options(&e, &o);
	CHECK_STR(o.kernel, e.kernel);
	CHECK_STR(o.cmdline, "root=UUID=1234 ro quiet");
	CHECK_STR(o.format, "linux");
	CHECK_EQ(o.ninitrd, 2);
	CHECK_STR(o.initrd[0], "/6a98/6.1.0-27-amd64/microcode");
}

TEST(bls_entry_efikexec_keys)
{
	struct bls_entry e;
	struct options o;

	CHECK_EQ(parse("efikexec-kernel /xen.gz\n"
		       "efikexec-format multiboot2\n"
		       "efikexec-module /vmlinuz console=hvc0 root=/dev/vda\n"
		       "efikexec-module /initrd.img\n"
		       "efikexec-flush always\n"
		       "options dom0_mem=512M\n", &e), 0);
	CHECK_STR(e.format, "multiboot2");
	CHECK_EQ(e.nmodule, 2);
	CHECK_STR(e.module[0].path, "/vmlinuz");
	CHECK_STR(e.module[0].args, "console=hvc0 root=/dev/vda");
	CHECK_STR(e.module[1].args, "");
	CHECK_EQ(e.module_line[1], 4);
	bls_entry_options(&e, &o);
	CHECK_EQ(o.handoff.flush, FLUSH_ALWAYS);
	CHECK_EQ(o.nmodule, 2);
	CHECK_STR(o.cmdline, "dom0_mem=512M");

	CHECK_EQ(parse("efikexec-kernel /k\nefikexec-format auto\n", &e), 0);
	CHECK(e.format == NULL);
	CHECK_STR(e.options, "");
}

/* a #sha256= pin: 64 hex digits, the first two bytes 0x1a 0x7a */
#define PIN "1a7a" "000000000000000000000000000000000000000000000000000000000000"

/* Paths and URLs may end in a pin, taken off them as on the command line
 * (lib/pin.h). */
TEST(bls_entry_pins)
{
	struct bls_entry e;
	struct options o;

	CHECK_EQ(parse("linux http://h/vmlinuz#sha256=" PIN "\n"
		       "initrd /a.img\ninitrd tftp://h/b.img#sha256=" PIN "\n", &e), 0);
	CHECK_STR(e.kernel, "http://h/vmlinuz");
	CHECK(e.kernel_pin.set);
	CHECK_EQ(e.kernel_pin.sha256[0], 0x1a);
	CHECK_EQ(e.kernel_pin.sha256[1], 0x7a);
	CHECK(!e.initrd_pin[0].set);
	CHECK_STR(e.initrd[1], "tftp://h/b.img");
	CHECK(e.initrd_pin[1].set);
	bls_entry_options(&e, &o);
	CHECK_STR(o.kernel, "http://h/vmlinuz");
	CHECK(o.kernel_pin.set);
	CHECK_EQ(o.kernel_pin.sha256[1], 0x7a);
	CHECK(!o.initrd_pin[0].set);
	CHECK(o.initrd_pin[1].set);

	CHECK_EQ(parse("efikexec-kernel /xen\nefikexec-module /dom0#sha256=" PIN " console=hvc0\n", &e), 0);
	CHECK_STR(e.module[0].path, "/dom0");
	CHECK_STR(e.module[0].args, "console=hvc0");
	CHECK(e.module[0].pin.set);
	bls_entry_options(&e, &o);
	CHECK(o.module[0].pin.set);
}

/* `efi`: an EFI program, started as one (--format efi); `uki` and
 * `uki-url`: a unified kernel image, found as such like any kernel
 * (boot/uki.h). */
TEST(bls_entry_efi_and_uki_keys)
{
	struct bls_entry e;
	struct options o;

	CHECK_EQ(parse("efi /EFI/tools/shell.efi\noptions -nostartup\n", &e), 0);
	CHECK_STR(e.kernel, "/EFI/tools/shell.efi");
	CHECK_STR(e.format, "efi");
	bls_entry_options(&e, &o);
	CHECK_STR(o.format, "efi");
	CHECK_STR(o.cmdline, "-nostartup");
	CHECK_EQ(parse("uki /EFI/Linux/debian.efi\n", &e), 0);
	CHECK_STR(e.kernel, "/EFI/Linux/debian.efi");
	CHECK(e.format == NULL);
	CHECK(!e.beside_loader);
	/* a URL, as the kernel of any entry may be; or beside the loader */
	CHECK_EQ(parse("uki-url https://h/debian.efi\noptions quiet\n", &e), 0);
	CHECK_STR(e.kernel, "https://h/debian.efi");
	CHECK(e.format == NULL);
	CHECK(!e.beside_loader);
	bls_entry_options(&e, &o);
	CHECK_STR(o.kernel, "https://h/debian.efi");
	CHECK_STR(o.cmdline, "quiet");
	CHECK_EQ(parse("uki-url :debian.efi#sha256=" PIN "\n", &e), 0);
	CHECK_STR(e.kernel, "debian.efi");
	CHECK(e.beside_loader);
	CHECK(e.kernel_pin.set);
	CHECK_EQ(parse("linux http://h/vmlinuz\ninitrd tftp://h/initrd.img\n", &e), 0);
	CHECK_STR(e.kernel, "http://h/vmlinuz");
	CHECK_STR(e.initrd[0], "tftp://h/initrd.img");
	CHECK_STR(e.format, "linux");
}

TEST(bls_entry_warnings_do_not_break_it)
{
	struct bls_entry e;

	CHECK_EQ(parse("linux /vmlinuz\nfrobnicate yes\ndevicetree-overlay /o.dtbo\ntitle\n", &e), 0);
	CHECK_CONTAINS(warnings, FILE_NAME ":2: 'frobnicate' is not a key efikexec knows, ignored");
	CHECK_CONTAINS(warnings, FILE_NAME ":3: 'devicetree-overlay' is not supported by efikexec, ignored");
	CHECK(!e.title || !*e.title);
	CHECK(!e.devicetree);
}

/* The last 'devicetree' line counts, as with systemd-boot. */
TEST(bls_entry_devicetree)
{
	struct bls_entry e;

	CHECK_EQ(parse("linux /vmlinuz\ndevicetree /a.dtb\ndevicetree /dtb/b.dtb\n", &e), 0);
	CHECK_STR(e.devicetree, "/dtb/b.dtb");
	CHECK_EQ(e.devicetree_line, 3);
	CHECK_STR(warnings, "");
}

/* Each broken entry names the file and the line at fault. */
TEST(bls_entry_errors)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{ "title x\n", FILE_NAME ": no kernel: expected a 'linux' or 'efikexec-kernel' line" },
		{ "title x\nlinux\n", FILE_NAME ":2: 'linux' needs a value" },
		{ "linux /a\ninitrd   \n", FILE_NAME ":2: 'initrd' needs a value" },
		{ "linux /a\n\nefikexec-kernel /b\n", FILE_NAME ":3: a second kernel: the entry names one on line 1" },
		{ "linux /a\nefikexec-format elf64\n", FILE_NAME ":2: efikexec-format is for 'efikexec-kernel', not for the kernel on line 1" },
		{ "efi /a\nefikexec-format elf64\n", FILE_NAME ":2: efikexec-format is for 'efikexec-kernel', not for the kernel on line 1" },
		{ "efi\n", FILE_NAME ":1: 'efi' needs a value" },
		{ "linux /a\nefikexec-flush\n", FILE_NAME ":2: 'efikexec-flush' needs a value" },
		{ "uki /a\nlinux /b\n", FILE_NAME ":2: a second kernel: the entry names one on line 1" },
		{ "efikexec-kernel /a\nefikexec-format pe\n", FILE_NAME ":2: efikexec-format 'pe': expected auto, linux" },
		{ "linux /a\nefikexec-flush sometimes\n", FILE_NAME ":2: efikexec-flush 'sometimes': expected auto, always or never" },
		{ "linux /a\nefikexec-module /m\n", FILE_NAME ":2: efikexec-module is for Multiboot and ELF64 kernels" },
		{ "uki-url /EFI/Linux/a.efi\n", FILE_NAME ":1: uki-url '/EFI/Linux/a.efi': expected an http://, https:// or tftp:// URL, or :NAME" },
		{ "uki-url ftp://x/a.efi\n", FILE_NAME ":1: uki-url 'ftp://x/a.efi': expected" },
		{ "uki-url :\n", FILE_NAME ":1: uki-url ':': expected" },
		{ "linux /a#sha256=12\n", FILE_NAME ":1: '/a#sha256=12': #sha256= needs exactly 64 hex digits, has 2 characters" },
		{ "linux /a\ninitrd /i#sha256=xy\n", FILE_NAME ":2: '/i#sha256=xy': #sha256= needs exactly 64 hex digits" },
		{ "uki-url\n", FILE_NAME ":1: 'uki-url' needs a value" },
		{ "uki-url http://x/a.efi\nlinux /b\n", FILE_NAME ":2: a second kernel: the entry names one on line 1" },
		{ "linux /a\ntitle a\0b\n", FILE_NAME ":2: a NUL byte in the text" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct bls_entry e;
		size_t n = strlen(cases[i].text);

		if (strstr(cases[i].msg, "NUL")) /* the text goes on past the NUL */
			n += strlen(cases[i].text + n + 1) + 1;
		memcpy(text, cases[i].text, n + 1);
		CHECK(bls_parse_entry(text, n, scratch, "e.conf", FILE_NAME, &e,
				      collect, NULL) < 0);
		CHECK_CONTAINS(e.broken.msg, cases[i].msg);
	}
}

TEST(bls_entry_too_many_initrds)
{
	struct bls_entry e;
	char src[2048] = "linux /a\n";

	for (int i = 0; i < OPT_MAX_INITRDS + 1; i++)
		strcat(src, "initrd /i\n");
	CHECK(parse(src, &e) < 0);
	CHECK_CONTAINS(e.broken.msg, FILE_NAME ":18: more than 16 initrds");
}

TEST(bls_entry_architecture)
{
	struct bls_entry e;

	CHECK_EQ(parse("linux /a\narchitecture aa64\n", &e), 0);
	CHECK(!bls_entry_for_x64(&e));
	CHECK_EQ(parse("linux /a\narchitecture x64\n", &e), 0);
	CHECK(bls_entry_for_x64(&e));
	CHECK_EQ(parse("linux /a\narchitecture x6\n", &e), 0);
	CHECK(!bls_entry_for_x64(&e));
}

static void conf(const char *src, struct loader_conf *c)
{
	size_t n = strlen(src);

	memcpy(text, src, n + 1);
	warnings[0] = '\0';
	bls_parse_loader_conf(text, n, "\\loader\\loader.conf", c, collect, NULL);
}

/* systemd-boot's generate_boot_entry_titles(): only titles that clash
 * get more, version first, then machine-id, then the id. */
TEST(bls_titles_made_unique)
{
	struct bls_entry e[8] = {
		{ .id = "a.conf", .title = "Debian", .version = "6.1" },
		{ .id = "b.conf", .title = "Debian", .version = "6.5" },
		{ .id = "c.conf", .title = "Fedora", .version = "6.9",
		  .machine_id = "0123456789abcdef" },
		{ .id = "d.conf", .title = "Fedora", .version = "6.9",
		  .machine_id = "fedcba9876543210" },
		{ .id = "e.conf", .title = "Arch" },
		{ .id = "f.conf", .title = "Arch" },
		{ .id = "g.conf" },
		{ .id = "h.conf", .title = "Alone", .version = "1" },
	};
	struct bls_entry *v[8];
	char title[8][BLS_TITLE_MAX];
	bool same[8];

	for (size_t i = 0; i < 8; i++)
		v[i] = &e[i];
	bls_titles(v, 8, title, same);
	CHECK_STR(title[0], "Debian (6.1)");
	CHECK_STR(title[1], "Debian (6.5)");
	CHECK_STR(title[2], "Fedora (6.9) (01234567)");
	CHECK_STR(title[3], "Fedora (6.9) (fedcba98)");
	CHECK_STR(title[4], "Arch (e.conf)");
	CHECK_STR(title[5], "Arch (f.conf)");
	CHECK_STR(title[6], "g.conf");
	CHECK_STR(title[7], "Alone");

	/* a version that makes a title equal another's: both go on */
	e[0] = (struct bls_entry){ .id = "x.conf", .title = "L (1)" };
	e[1] = (struct bls_entry){ .id = "y.conf", .title = "L", .version = "1" };
	e[2] = (struct bls_entry){ .id = "z.conf", .title = "L" };
	bls_titles(v, 3, title, same);
	CHECK_STR(title[0], "L (1) (x.conf)");
	CHECK_STR(title[1], "L (1) (y.conf)");
	CHECK_STR(title[2], "L");

	/* the same machine-id and version: the id tells them apart */
	e[0] = (struct bls_entry){ .id = "p.conf", .title = "T", .version = "2",
				   .machine_id = "m" };
	e[1] = (struct bls_entry){ .id = "q.conf", .title = "T", .version = "2",
				   .machine_id = "m" };
	bls_titles(v, 2, title, same);
	CHECK_STR(title[0], "T (2) (m) (p.conf)");
	CHECK_STR(title[1], "T (2) (m) (q.conf)");
}

TEST(bls_loader_conf)
{
	struct loader_conf c;

	conf("# comment\ntimeout 5\ndefault debian-*\nconsole-mode max\nbeep no\n", &c);
	CHECK(c.has_timeout);
	CHECK_EQ(c.timeout.kind, BLS_TIMEOUT_SECONDS);
	CHECK_EQ(c.timeout.seconds, 5);
	CHECK_STR(c.default_pattern, "debian-*");
	CHECK_CONTAINS(warnings, "\\loader\\loader.conf:4: key 'console-mode' is not supported by efikexec, ignored");
	CHECK_CONTAINS(warnings, ":5: key 'beep'");
	/* systemd-boot's defaults */
	CHECK(c.editor && c.auto_entries && c.auto_firmware);
	CHECK(!c.auto_poweroff && !c.auto_reboot);

	conf("editor no\nauto-entries 0\nauto-firmware off\nauto-poweroff t\n"
	     "auto-reboot on\neditor maybe\nauto-entries YES\n", &c);
	CHECK(!c.editor && !c.auto_entries && !c.auto_firmware);
	CHECK(c.auto_poweroff && c.auto_reboot);
	CHECK_CONTAINS(warnings, ":6: editor 'maybe' is not a boolean, ignored");
	CHECK_CONTAINS(warnings, ":7: auto-entries 'YES' is not a boolean, ignored");
	conf("auto-firmware y\nauto-reboot false\neditor 1\n", &c);
	CHECK(c.auto_firmware && !c.auto_reboot && c.editor);

	conf("timeout menu-force\ndefault @saved\n", &c);
	CHECK_EQ(c.timeout.kind, BLS_MENU_FORCE);
	CHECK_STR(c.default_pattern, "@saved");
	conf("default @SAVED\n", &c);
	CHECK_STR(c.default_pattern, "@SAVED");
	conf("default @current\n", &c);
	CHECK(!c.default_pattern);
	CHECK_CONTAINS(warnings, ":1: default '@current' is not supported by efikexec (of the special entries, only @saved)");

	conf("timeout soon\ntimeout -1\n", &c);
	CHECK(!c.has_timeout);
	CHECK_CONTAINS(warnings, ":1: timeout 'soon' is not seconds");
	CHECK_CONTAINS(warnings, ":2: timeout '-1' is not seconds");

	conf("timeout 0\n\0default x\n", &c);
	CHECK(c.has_timeout);
	CHECK(!c.default_pattern);
	conf("timeout 3\n", &c);
	memcpy(text, "timeout 3\n\0default x\n", 21);
	bls_parse_loader_conf(text, 21, "lc", &c, collect, NULL);
	CHECK_CONTAINS(warnings, "lc:2: a NUL byte in the text; the rest of the file is ignored");
	CHECK_EQ(c.timeout.seconds, 3);
}

TEST(bls_timeout_values)
{
	struct bls_timeout t;

	CHECK_EQ(bls_parse_timeout("0", &t), 0);
	CHECK_EQ(t.kind, BLS_TIMEOUT_SECONDS);
	CHECK_EQ(bls_parse_timeout("menu-hidden", &t), 0);
	CHECK_EQ(t.kind, BLS_MENU_HIDDEN);
	CHECK_EQ(bls_parse_timeout("menu-disabled", &t), 0);
	CHECK_EQ(t.kind, BLS_MENU_DISABLED);
	CHECK(bls_parse_timeout("", &t) < 0);
	CHECK(bls_parse_timeout("-1", &t) < 0);
	/* as systemd-boot: two days is two days; from 2^32 - 1 on, no
	 * countdown at all */
	CHECK_EQ(bls_parse_timeout("172800", &t), 0);
	CHECK_EQ(t.seconds, 172800);
	CHECK_EQ(bls_parse_timeout("4294967295", &t), 0);
	CHECK_EQ(t.kind, BLS_MENU_FORCE);
	CHECK_EQ(bls_parse_timeout("99999999999999999999", &t), 0);
	CHECK_EQ(t.kind, BLS_MENU_FORCE);
}

static struct bls_entry pool[8];

static struct bls_entry *mk(size_t i, const char *id, const char *sort_key,
			    const char *machine_id, const char *version)
{
	pool[i] = (struct bls_entry){ .id = id, .sort_key = sort_key,
				      .machine_id = machine_id, .version = version };
	return &pool[i];
}

TEST(bls_sorting)
{
	/* systemd's own bootspec sorting example, shuffled */
	struct bls_entry *v[] = {
		mk(0, "b.conf", NULL, "b75451ad92f94feeab50b0b442768dbd", "3"),
		mk(1, "a-5.conf", NULL, "dd235d00696545768f6f693bfd23b15f", "5"),
		mk(2, "c.conf", "xxxx", "309de666fd5044268a9a26541ac93176", "5"),
		mk(3, "a-10.conf", NULL, "dd235d00696545768f6f693bfd23b15f", "10"),
		mk(4, "d.conf", "kkkk", "81c6e3147cf544c19006af023e22b292", "100"),
		mk(5, "cx.conf", "xxxx", "309de666fd5044268a9a26541ac93176", "10"),
	};
	static const char *const want[] = {
		"d.conf", "cx.conf", "c.conf", "b.conf", "a-10.conf", "a-5.conf",
	};

	bls_sort(v, 6);
	for (size_t i = 0; i < 6; i++)
		CHECK_STR(v[i]->id, want[i]);
}

TEST(bls_sorting_by_name_without_suffix)
{
	/* "arch-lts" is the newer of "arch" and "arch-lts" (the longer);
	 * with ".conf" still on, '.' against '-' would decide the other way */
	struct bls_entry *v[] = {
		mk(0, "arch.conf", "", NULL, NULL), /* an empty sort-key is none */
		mk(1, "arch-lts.conf", NULL, NULL, NULL),
	};

	bls_sort(v, 2);
	CHECK_STR(v[0]->id, "arch-lts.conf");
	CHECK_STR(v[1]->id, "arch.conf");
}

TEST(bls_default_and_timeout)
{
	struct bls_entry *v[] = {
		mk(0, "debian-6.1.0-27.conf", NULL, NULL, NULL),
		mk(1, "debian-6.1.0-9.conf", NULL, NULL, NULL),
		mk(2, "xen.conf", NULL, NULL, NULL),
	};
	struct loader_conf c = { .default_pattern = "debian-*",
				 .has_timeout = true,
				 .timeout = { BLS_TIMEOUT_SECONDS, 4 } };
	struct bls_overrides o = { 0 };
	struct bls_choice ch;

	warnings[0] = '\0';
	bls_choose(v, 3, &c, &o, &ch, collect, NULL);
	CHECK_EQ(ch.index, 0);
	CHECK_EQ(ch.timeout.seconds, 4);
	CHECK_EQ(ch.fallback, 4); /* a failed entry: the configured wait */

	c.default_pattern = "XEN";   /* without ".conf", any case */
	bls_choose(v, 3, &c, &o, &ch, collect, NULL);
	CHECK_EQ(ch.index, 2);

	CHECK_EQ(ch.var_default, 3);

	o.entry_default = "debian-6.1.0-9.conf";
	o.timeout = "menu-force";
	bls_choose(v, 3, &c, &o, &ch, collect, NULL);
	CHECK_EQ(ch.index, 1);
	CHECK_EQ(ch.var_default, 1);
	CHECK_EQ(ch.timeout.kind, BLS_MENU_FORCE);
	CHECK_EQ(ch.fallback, 0); /* menu-force: waits for the user */

	o.entry_oneshot = "nothing-*";
	o.timeout_oneshot = "later";
	bls_choose(v, 3, &c, &o, &ch, collect, NULL);
	CHECK_EQ(ch.index, 1);
	CHECK_EQ(ch.timeout.kind, BLS_MENU_FORCE);
	CHECK_CONTAINS(warnings, "LoaderEntryOneShot 'nothing-*' matches no entry, ignored");
	CHECK_CONTAINS(warnings, "LoaderConfigTimeoutOneShot 'later' is not a timeout, ignored");

	o = (struct bls_overrides){ .entry_oneshot = "xen.conf", .timeout_oneshot = "0" };
	bls_choose(v, 3, &c, &o, &ch, collect, NULL);
	CHECK_EQ(ch.index, 2);
	CHECK_EQ(ch.var_default, 3); /* the one-shot chose */
	CHECK_EQ(ch.timeout.seconds, 0);

	c = (struct loader_conf){ .default_pattern = "gone" };
	o = (struct bls_overrides){ 0 };
	bls_choose(v, 3, &c, &o, &ch, collect, NULL);
	CHECK_EQ(ch.index, 0);
	CHECK_EQ(ch.timeout.kind, BLS_TIMEOUT_SECONDS);
	CHECK_EQ(ch.timeout.seconds, 0);
	CHECK_EQ(ch.fallback, 10); /* no countdown asked, yet an error to read */
	CHECK_EQ(ch.menu, BLS_MENU_ON_KEY);
}

/* systemd-boot: LoaderConfigTimeoutOneShot brings the menu up whatever
 * its value; otherwise 0 and menu-hidden wait for a key held, seconds
 * count down, menu-force waits, menu-disabled never shows it. */
TEST(bls_menu_from_timeouts)
{
	static const struct {
		const char *conf, *var, *oneshot;
		enum bls_menu menu;
		unsigned countdown;
	} cases[] = {
		{ NULL, NULL, NULL, BLS_MENU_ON_KEY, 0 },
		{ "0", NULL, NULL, BLS_MENU_ON_KEY, 0 },
		{ "5", NULL, NULL, BLS_MENU_SHOW, 5 },
		{ "menu-hidden", NULL, NULL, BLS_MENU_ON_KEY, 0 },
		{ "menu-force", NULL, NULL, BLS_MENU_SHOW, 0 },
		{ "menu-disabled", NULL, NULL, BLS_MENU_NEVER, 0 },
		{ "5", "0", NULL, BLS_MENU_ON_KEY, 0 },
		{ "0", "3", NULL, BLS_MENU_SHOW, 3 },
		{ "menu-disabled", "4294967295", NULL, BLS_MENU_SHOW, 0 },
		{ "5", "menu-disabled", NULL, BLS_MENU_NEVER, 0 },
		{ "menu-disabled", NULL, "0", BLS_MENU_SHOW, 0 },
		{ "5", "menu-force", "menu-hidden", BLS_MENU_SHOW, 0 },
		{ "0", NULL, "menu-disabled", BLS_MENU_SHOW, 0 },
		{ "0", "menu-disabled", "7", BLS_MENU_SHOW, 7 },
		{ "0", NULL, "menu-force", BLS_MENU_SHOW, 0 },
		{ "menu-disabled", NULL, "soon", BLS_MENU_NEVER, 0 },
	};
	struct bls_entry *v[] = { mk(0, "a.conf", NULL, NULL, NULL) };

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct loader_conf c = { 0 };
		struct bls_overrides o = { .timeout = cases[i].var,
					   .timeout_oneshot = cases[i].oneshot };
		struct bls_choice ch;

		if (cases[i].conf) {
			c.has_timeout = true;
			CHECK_EQ(bls_parse_timeout(cases[i].conf, &c.timeout), 0);
		}
		bls_choose(v, 1, &c, &o, &ch, collect, NULL);
		CHECK_EQ(ch.menu, cases[i].menu);
		CHECK_EQ(ch.countdown, cases[i].countdown);
	}
}

TEST(guid_text)
{
	/* systemd's vendor GUID as EFI stores it */
	static const uint8_t g[16] = { 0x82, 0xb0, 0x67, 0x4a, 0x4c, 0x0a, 0xcf, 0x41,
				       0xb6, 0xc7, 0x44, 0x0b, 0x29, 0xbb, 0x8c, 0x4f };
	char out[GUID_TEXT_SIZE];

	guid_format(g, out);
	CHECK_STR(out, "4a67b082-0a4c-41cf-b6c7-440b29bb8c4f");
}

/* systemd-boot's automatic entries: which, in which order, as what. */
TEST(bls_auto_entries_made)
{
	struct loader_conf c;
	struct bls_auto_found all = { true, true, true }, none = { 0 };
	struct bls_entry e[BLS_AUTO_MAX];
	enum bls_auto_kind k[BLS_AUTO_MAX];

	bls_loader_conf_defaults(&c);
	CHECK_EQ(bls_auto_entries(&c, &none, e, k), 0);
	CHECK_EQ(bls_auto_entries(&c, &all, e, k), 3);
	CHECK_STR(e[0].id, "auto-windows");
	CHECK_STR(e[0].title, "Windows Boot Manager");
	CHECK_STR(e[0].kernel, "\\EFI\\Microsoft\\Boot\\bootmgfw.efi");
	CHECK_STR(e[0].format, "efi");
	CHECK_EQ(k[0], BLS_AUTO_PROGRAM);
	CHECK_STR(e[1].id, "auto-efi-shell");
	CHECK_STR(e[1].kernel, "\\shellx64.efi");
	CHECK_STR(e[1].title, "EFI Shell");
	CHECK_STR(e[2].id, "auto-reboot-to-firmware-setup");
	CHECK_STR(e[2].title, "Reboot Into Firmware Interface");
	CHECK_EQ(k[2], BLS_AUTO_FIRMWARE_SETUP);
	CHECK(e[2].kernel == NULL);

	c.auto_entries = false;
	c.auto_poweroff = c.auto_reboot = true;
	CHECK_EQ(bls_auto_entries(&c, &all, e, k), 3);
	CHECK_STR(e[0].id, "auto-reboot-to-firmware-setup");
	CHECK_STR(e[1].id, "auto-poweroff");
	CHECK_STR(e[1].title, "Power Off The System");
	CHECK_EQ(k[1], BLS_AUTO_POWEROFF);
	CHECK_STR(e[2].id, "auto-reboot");
	CHECK_STR(e[2].title, "Reboot The System");
	CHECK_EQ(k[2], BLS_AUTO_REBOOT);

	c.auto_entries = true;
	c.auto_firmware = false;
	all.windows = false;
	CHECK_EQ(bls_auto_entries(&c, &all, e, k), 3);
	CHECK_STR(e[0].id, "auto-efi-shell");
	CHECK_STR(e[1].id, "auto-poweroff");
	all.windows = true;
	CHECK_EQ(bls_auto_entries(&c, &all, e, k), BLS_AUTO_MAX - 1);
	c.auto_firmware = true;
	CHECK_EQ(bls_auto_entries(&c, &all, e, k), BLS_AUTO_MAX);
}

/* Without a default named, the first entry the loader did not make; when
 * there is none, the menu comes up for 10 seconds. */
TEST(bls_default_skips_auto_entries)
{
	struct bls_entry *v[] = {
		mk(0, "auto-windows", NULL, NULL, NULL),
		mk(1, "auto-reboot", NULL, NULL, NULL),
		mk(2, "linux.conf", NULL, NULL, NULL),
	};
	struct loader_conf c;
	struct bls_overrides o = { 0 };
	struct bls_choice ch;

	bls_loader_conf_defaults(&c);
	bls_choose(v, 3, &c, &o, &ch, collect, NULL);
	CHECK_EQ(ch.index, 2);
	CHECK_EQ(ch.menu, BLS_MENU_ON_KEY);

	c.default_pattern = "auto-reboot";
	bls_choose(v, 3, &c, &o, &ch, collect, NULL);
	CHECK_EQ(ch.index, 1);

	c.default_pattern = NULL;
	bls_choose(v, 2, &c, &o, &ch, collect, NULL);
	CHECK_EQ(ch.index, 0);
	CHECK_EQ(ch.menu, BLS_MENU_SHOW);
	CHECK_EQ(ch.countdown, 10);

	c.has_timeout = true;
	c.timeout = (struct bls_timeout){ BLS_TIMEOUT_SECONDS, 3 };
	bls_choose(v, 2, &c, &o, &ch, collect, NULL);
	CHECK_EQ(ch.countdown, 3);
	c.timeout = (struct bls_timeout){ BLS_MENU_DISABLED, 0 };
	bls_choose(v, 2, &c, &o, &ch, collect, NULL);
	CHECK_EQ(ch.menu, BLS_MENU_NEVER);
	c.timeout = (struct bls_timeout){ BLS_MENU_HIDDEN, 0 };
	bls_choose(v, 2, &c, &o, &ch, collect, NULL);
	CHECK_EQ(ch.countdown, 10);
}

/* systemd-boot's update_timeout_efivar() order, and what is written. */
TEST(bls_timeout_keys)
{
	struct bls_timeout t = { BLS_TIMEOUT_SECONDS, 2 };
	char value[16];

	bls_timeout_step(&t, false);
	CHECK_EQ(t.seconds, 1);
	bls_timeout_step(&t, false);
	CHECK_EQ(t.kind, BLS_MENU_HIDDEN);
	bls_timeout_text(&t, value, sizeof(value));
	CHECK_STR(value, "menu-hidden");
	bls_timeout_step(&t, false);
	CHECK_EQ(t.kind, BLS_MENU_FORCE);
	bls_timeout_text(&t, value, sizeof(value));
	CHECK_STR(value, "menu-force");
	bls_timeout_step(&t, false);
	CHECK_EQ(t.kind, BLS_MENU_FORCE);
	bls_timeout_step(&t, true);
	CHECK_EQ(t.kind, BLS_MENU_HIDDEN);
	bls_timeout_step(&t, true);
	CHECK_EQ(t.kind, BLS_TIMEOUT_SECONDS);
	CHECK_EQ(t.seconds, 1);
	bls_timeout_step(&t, true);
	bls_timeout_text(&t, value, sizeof(value));
	CHECK_STR(value, "2");

	t = (struct bls_timeout){ BLS_TIMEOUT_SECONDS, 0 };
	bls_timeout_step(&t, true);
	CHECK_EQ(t.seconds, 1);
	t = (struct bls_timeout){ BLS_TIMEOUT_SECONDS, 0 };
	bls_timeout_text(&t, value, sizeof(value));
	CHECK_STR(value, "menu-hidden");
	bls_timeout_step(&t, false);
	CHECK_EQ(t.kind, BLS_MENU_FORCE);
	t = (struct bls_timeout){ BLS_MENU_DISABLED, 0 };
	bls_timeout_step(&t, true);
	CHECK_EQ(t.kind, BLS_TIMEOUT_SECONDS);
	CHECK_EQ(t.seconds, 1);
	t = (struct bls_timeout){ BLS_MENU_DISABLED, 0 };
	bls_timeout_step(&t, false);
	CHECK_EQ(t.kind, BLS_MENU_FORCE);
	t = (struct bls_timeout){ BLS_TIMEOUT_SECONDS, 4294967293u };
	bls_timeout_step(&t, true);
	CHECK_EQ(t.seconds, 4294967293u);
	bls_timeout_text(&t, value, sizeof(value));
	CHECK_STR(value, "4294967293");
	/* what is written reads back as it was */
	CHECK_EQ(bls_parse_timeout(value, &t), 0);
	CHECK_EQ(t.seconds, 4294967293u);
}

/* The command-line editor: moving over UTF-8 characters whole, the keys
 * that change the line, a full buffer. */
TEST(bls_editor)
{
	char buf[16] = "a\xc3\xa9z"; /* "aéz" */
	struct editor ed;

	editor_start(&ed, buf, sizeof(buf));
	CHECK_EQ(ed.cursor, 4);
	CHECK_EQ(editor_column(&ed, ed.cursor), 3);
	CHECK_EQ(editor_key(&ed, EDIT_LEFT, 0), EDITING);
	CHECK_EQ(ed.cursor, 3);
	editor_key(&ed, EDIT_LEFT, 0);
	CHECK_EQ(ed.cursor, 1); /* over the two bytes of é */
	editor_key(&ed, EDIT_RIGHT, 0);
	CHECK_EQ(ed.cursor, 3);
	editor_key(&ed, EDIT_BACKSPACE, 0);
	CHECK_STR(buf, "az");
	CHECK_EQ(ed.cursor, 1);
	editor_key(&ed, EDIT_INSERT, 'b');
	editor_key(&ed, EDIT_INSERT, '\n'); /* not printable: ignored */
	CHECK_STR(buf, "abz");
	editor_key(&ed, EDIT_HOME, 0);
	editor_key(&ed, EDIT_DELETE, 0);
	CHECK_STR(buf, "bz");
	editor_key(&ed, EDIT_RIGHT, 0);
	editor_key(&ed, EDIT_KILL, 0);
	CHECK_STR(buf, "b");
	editor_key(&ed, EDIT_END, 0);
	editor_key(&ed, EDIT_DELETE, 0); /* nothing under the cursor */
	CHECK_STR(buf, "b");
	for (int i = 0; i < 20; i++)
		editor_key(&ed, EDIT_INSERT, 'x');
	CHECK_EQ(ed.len, sizeof(buf) - 1);
	CHECK_EQ(strlen(buf), sizeof(buf) - 1);
	editor_key(&ed, EDIT_HOME, 0);
	editor_key(&ed, EDIT_BACKSPACE, 0); /* nothing before the cursor */
	CHECK_EQ(ed.len, sizeof(buf) - 1);
	CHECK_EQ(editor_key(&ed, EDIT_ACCEPT, 0), EDIT_DONE);
	CHECK_EQ(editor_key(&ed, EDIT_CANCEL, 0), EDIT_CANCELLED);
}

/* systemd-boot's rules for `e`. */
TEST(bls_edit_refusals)
{
	struct bls_entry e = { .id = "linux.conf", .kernel = "/vmlinuz" };

	CHECK(bls_edit_refused(&e, true, false) == NULL);
	CHECK(bls_edit_refused(&e, true, true) == NULL);
	CHECK_CONTAINS(bls_edit_refused(&e, false, false), "editor no");
	e.uki = true;
	CHECK(bls_edit_refused(&e, true, false) == NULL);
	CHECK_CONTAINS(bls_edit_refused(&e, true, true), "Secure Boot");
	e = (struct bls_entry){ .id = "auto-efi-shell" };
	CHECK(bls_edit_refused(&e, true, false) != NULL);
	e = (struct bls_entry){ .id = "x.conf", .broken = { .code = ERR_USAGE } };
	CHECK(bls_edit_refused(&e, true, false) != NULL);

	/* the keys that say what the kernel is */
	CHECK_EQ(parse("uki /EFI/Linux/a.efi\n", &e), 0);
	CHECK(e.uki);
	CHECK_EQ(parse("uki-url http://h/a.efi\n", &e), 0);
	CHECK(e.uki);
	CHECK_EQ(parse("linux /vmlinuz\n", &e), 0);
	CHECK(!e.uki);
}

/* systemd-boot 256 (boot.c image_start()) appends the SMBIOS string
 * io.systemd.boot.kernel-cmdline-extra to its LOADER_LINUX entries, those
 * with a 'linux' line: not to 'efi' ones, nor to 'uki' ones (a key 256
 * does not know) or efikexec's own */
TEST(bls_entry_smbios_line_for_linux_only)
{
	struct bls_entry e;

	CHECK_EQ(parse("linux /vmlinuz\n", &e), 0);
	CHECK(bls_entry_takes_smbios(&e));
	CHECK_EQ(parse("efi /EFI/tools/shell.efi\n", &e), 0);
	CHECK(!bls_entry_takes_smbios(&e));
	CHECK_EQ(parse("uki /EFI/Linux/debian.efi\n", &e), 0);
	CHECK(!bls_entry_takes_smbios(&e));
	CHECK_EQ(parse("efikexec-kernel /xen.gz\n", &e), 0);
	CHECK(!bls_entry_takes_smbios(&e));
}

TEST(bls_driver_names)
{
	CHECK(bls_driver_name("ext4_x64.efi"));
	CHECK(bls_driver_name("BTRFSX64.EFI"));
	CHECK(bls_driver_name("x64.efi"));
	CHECK(!bls_driver_name(".hiddenx64.efi"));
	CHECK(!bls_driver_name("ext4_aa64.efi"));
	CHECK(!bls_driver_name("ext4_ia32.efi"));
	CHECK(!bls_driver_name("ext4_x64.efi.bak"));
	CHECK(!bls_driver_name("ext4.efi"));
	CHECK(!bls_driver_name("64.efi"));
	CHECK(!bls_driver_name(""));
}
