/* Pins (lib/pin.c) and the options that take them off paths. */
#include <string.h>

#include "core/options.h"
#include "harness.h"
#include "lib/pin.h"

/* SHA-256("abc"), FIPS 180-4 */
#define ABC_SHA256 "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"

TEST(pin_split_and_check)
{
	char path[] = "http://h/abc#sha256=" ABC_SHA256;
	char upper[] = "\\abc#sha256=BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD";
	struct pin pin;
	struct diag d;

	CHECK_EQ(pin_split(path, &pin, &d), 0);
	CHECK(pin.set);
	CHECK_STR(path, "http://h/abc");
	CHECK_EQ(pin.sha256[0], 0xba);
	CHECK_EQ(pin.sha256[31], 0xad);
	CHECK_EQ(pin_check(&pin, "kernel", path, "abc", 3, &d), 0);
	CHECK_EQ(pin_check(&pin, "kernel", path, "abd", 3, &d), ERR_BAD_IMAGE);
	CHECK_CONTAINS(d.msg, "kernel 'http://h/abc' does not match its pin");
	CHECK_CONTAINS(d.msg, "#sha256=" ABC_SHA256);
	/* the digest of what came: SHA-256("abd") */
	CHECK_CONTAINS(d.msg, "its sha256 is a52d159f262b2c6ddb724a61840befc36eb30c88877a4030b65cbe86298449c9");

	CHECK_EQ(pin_split(upper, &pin, &d), 0);
	CHECK_STR(upper, "\\abc");
	CHECK_EQ(pin_check(&pin, "initrd", upper, "abc", 3, &d), 0);
}

TEST(pin_absent_or_malformed)
{
	char plain[] = "\\a#b#sha1=00", short_pin[] = "x#sha256=abc",
	     not_hex[] = "x#sha256=" ABC_SHA256,
	     alone[] = "#sha256=" ABC_SHA256,
	     last[] = "x#sha256=y#sha256=" ABC_SHA256;
	struct pin pin = { .set = true };
	struct diag d;

	CHECK_EQ(pin_split(plain, &pin, &d), 0);
	CHECK(!pin.set);
	CHECK_STR(plain, "\\a#b#sha1=00");
	CHECK_EQ(pin_check(&pin, "kernel", plain, "abc", 3, &d), 0);
	CHECK_EQ(pin_split(short_pin, &pin, &d), ERR_USAGE);
	CHECK_CONTAINS(d.msg, "needs exactly 64 hex digits");
	not_hex[9 + 5] = 'g';
	CHECK_EQ(pin_split(not_hex, &pin, &d), ERR_USAGE);
	CHECK_CONTAINS(d.msg, "not 'g'");
	CHECK_EQ(pin_split(alone, &pin, &d), ERR_USAGE);
	CHECK_CONTAINS(d.msg, "no path before it");
	/* the last "#sha256=" is the pin; the path keeps the rest */
	CHECK_EQ(pin_split(last, &pin, &d), 0);
	CHECK_STR(last, "x#sha256=y");
}

TEST(options_take_pins_off_every_path)
{
	static char scratch[4096];
	struct options o;
	struct diag d;

	CHECK_EQ(options_parse("--initrd tftp://10.0.2.2/i#sha256=" ABC_SHA256
			       " --initrd \\j --module \"m#sha256=" ABC_SHA256 " a b\""
			       " http://h/k#sha256=" ABC_SHA256 " console=ttyS0#sha256=x",
			       false, scratch, sizeof(scratch), &o, &d), 0);
	CHECK_STR(o.kernel, "http://h/k");
	CHECK(o.kernel_pin.set && o.kernel_pin.sha256[1] == 0x78);
	CHECK_STR(o.cmdline, "console=ttyS0#sha256=x");
	CHECK_STR(o.initrd[0], "tftp://10.0.2.2/i");
	CHECK(o.initrd_pin[0].set);
	CHECK_STR(o.initrd[1], "\\j");
	CHECK(!o.initrd_pin[1].set);
	CHECK_STR(o.module[0].path, "m");
	CHECK_STR(o.module[0].args, "a b");
	CHECK(o.module[0].pin.set);

	CHECK_EQ(options_parse("k#sha256=12", false, scratch, sizeof(scratch), &o, &d),
		 ERR_USAGE);
	CHECK_CONTAINS(d.msg, "'k#sha256=12': #sha256= needs exactly 64 hex digits");
}
