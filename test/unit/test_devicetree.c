#include <string.h>

#include "boot/devicetree.h"
#include "harness.h"

/* The smallest devicetree dtc writes for "/ { };": the header, an empty
 * memory reservation map, the root node, no strings. */
static uint8_t blob[72];

static void put32(size_t at, uint32_t v)
{
	blob[at] = (uint8_t)(v >> 24);
	blob[at + 1] = (uint8_t)(v >> 16);
	blob[at + 2] = (uint8_t)(v >> 8);
	blob[at + 3] = (uint8_t)v;
}

static void make_blob(void)
{
	memset(blob, 0, sizeof(blob));
	put32(0, 0xd00dfeed);
	put32(4, sizeof(blob));
	put32(8, 56);  /* structure block */
	put32(12, 72); /* strings block, empty */
	put32(16, 40); /* memory reservation map */
	put32(20, 17);
	put32(24, 16);
	put32(32, 0);
	put32(36, 16);
	put32(56, 1); /* FDT_BEGIN_NODE, "" and its padding */
	put32(64, 2); /* FDT_END_NODE */
	put32(68, 9); /* FDT_END */
}

static int check(size_t size, struct diag *d)
{
	d->msg[0] = '\0';
	return dtb_check(blob, size, "\\dtb\\x.dtb", d);
}

TEST(dtb_check_takes_a_devicetree)
{
	struct diag d;

	make_blob();
	CHECK_EQ(check(sizeof(blob), &d), 0);
	/* a file longer than the devicetree in it (padding) */
	CHECK_EQ(dtb_check(blob, sizeof(blob), "x", &d), 0);
	put32(4, 64);
	put32(12, 64);
	put32(36, 8);
	CHECK_EQ(check(sizeof(blob), &d), 0);
}

TEST(dtb_check_refuses_malformed)
{
	struct diag d;

	make_blob();
	CHECK_EQ(check(39, &d), ERR_BAD_IMAGE);
	CHECK_CONTAINS(d.msg, "devicetree '\\dtb\\x.dtb' is 39 bytes, too short");

	put32(0, 0xedfe0dd0);
	CHECK_EQ(check(sizeof(blob), &d), ERR_BAD_IMAGE);
	CHECK_CONTAINS(d.msg, "no flattened devicetree (magic 0xedfe0dd0, not 0xd00dfeed)");

	make_blob();
	CHECK_EQ(check(sizeof(blob) - 1, &d), ERR_BAD_IMAGE);
	CHECK_CONTAINS(d.msg, "says it is 72 bytes, but the file has 71");
	put32(4, 39);
	CHECK_EQ(check(sizeof(blob), &d), ERR_BAD_IMAGE);

	make_blob();
	put32(20, 16);
	CHECK_EQ(check(sizeof(blob), &d), ERR_BAD_IMAGE);
	CHECK_CONTAINS(d.msg, "of version 16, compatible down to 16");
	make_blob();
	put32(24, 18);
	CHECK_EQ(check(sizeof(blob), &d), ERR_BAD_IMAGE);

	make_blob();
	put32(36, 17); /* the structure block past the end */
	CHECK_EQ(check(sizeof(blob), &d), ERR_BAD_IMAGE);
	CHECK_CONTAINS(d.msg, "blocks outside its 72 bytes or misaligned");
	make_blob();
	put32(8, 0xfffffff0); /* an offset whose sum wraps */
	put32(36, 0x20);
	CHECK_EQ(check(sizeof(blob), &d), ERR_BAD_IMAGE);
	make_blob();
	put32(32, 1); /* strings past the end */
	CHECK_EQ(check(sizeof(blob), &d), ERR_BAD_IMAGE);
	make_blob();
	put32(16, 44); /* the reservation map misaligned */
	CHECK_EQ(check(sizeof(blob), &d), ERR_BAD_IMAGE);
	make_blob();
	put32(16, 0); /* the reservation map over the header */
	CHECK_EQ(check(sizeof(blob), &d), ERR_BAD_IMAGE);
	make_blob();
	put32(8, 58); /* the structure block misaligned */
	CHECK_EQ(check(sizeof(blob), &d), ERR_BAD_IMAGE);
}
