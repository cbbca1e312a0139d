/* SMBIOS OEM strings (boot/smbios.h), as systemd's stub finds
 * io.systemd.stub.kernel-cmdline-extra among them: the entry points, the
 * walk over structures and their strings, and tables that end early. */
#include <string.h>

#include "boot/smbios.h"
#include "harness.h"

/* A table as QEMU builds one: BIOS information (type 0) with two
 * strings, system information (type 1) with none, two OEM strings
 * structures (type 11), the end (type 127) */
static const uint8_t table[] = {
	0, 8, 0, 0, 1, 2, 0, 0, 'E', 'D', 'K', 0, 'v', '1', 0, 0,
	1, 6, 1, 0, 0, 0, 0, 0,
	11, 5, 2, 0, 3,
	'a', '=', '1', 0,
	'i', 'o', '.', 'x', 'x', '=', 0,
	'i', 'o', '.', 'x', '=', 'f', 'o', 'o', ' ', 'b', 'a', 'r', 0,
	'i', 'o', '.', 'x', '=', 's', 'e', 'c', 'o', 'n', 'd', 0, 0,
	11, 5, 3, 0, 1, 'b', '=', '2', 0, 0,
	127, 4, 4, 0, 0, 0,
};

TEST(smbios_oem_string_found)
{
	CHECK_STR(smbios_oem_string(table, sizeof(table), "io.x"), "foo bar");
	CHECK_STR(smbios_oem_string(table, sizeof(table), "a"), "1");
	/* "io.xx=" is empty, and not "io.x" */
	CHECK_STR(smbios_oem_string(table, sizeof(table), "io.xx"), "");
	/* a prefix of a name is not that name */
	CHECK(!smbios_oem_string(table, sizeof(table), "io."));
	/* only the first type 11 structure counts */
	CHECK(!smbios_oem_string(table, sizeof(table), "b"));
}

TEST(smbios_oem_string_cut_short)
{
	uint8_t t[sizeof(table)];

	/* every table cut short finds the string whole, or not at all */
	for (size_t n = 0; n < sizeof(table); n++) {
		const char *v = smbios_oem_string(table, n, "io.x");

		CHECK(!v || (v + strlen(v) < (const char *)table + n &&
			     !strcmp(v, "foo bar")));
	}
	/* an end of table before the OEM strings */
	memcpy(t, table, sizeof(t));
	t[16] = 127;
	CHECK(!smbios_oem_string(t, sizeof(t), "io.x"));
	/* a type 11 structure too short for its count */
	memcpy(t, table, sizeof(t));
	t[25] = 4;
	CHECK(!smbios_oem_string(t, sizeof(t), "io.x"));
	/* a structure longer than what is left */
	memcpy(t, table, sizeof(t));
	t[17] = 200;
	CHECK(!smbios_oem_string(t, sizeof(t), "io.x"));
}

TEST(smbios_entry_points)
{
	uint8_t ep3[24] = "_SM3_", ep2[31] = "_SM_";
	uint64_t addr = 0, size = 0;

	ep3[6] = 24;
	ep3[12] = 0x34, ep3[13] = 0x12;
	ep3[16] = 0x00, ep3[17] = 0x10, ep3[20] = 0x01;
	CHECK(smbios3_table(ep3, sizeof(ep3), &addr, &size));
	CHECK_EQ(addr, 0x100001000ull);
	CHECK_EQ(size, 0x1234);
	CHECK(!smbios3_table(ep3, 23, &addr, &size));
	ep3[6] = 25; /* longer than the layout: refused, as the stub does */
	CHECK(!smbios3_table(ep3, sizeof(ep3), &addr, &size));
	CHECK(!smbios2_table(ep3, sizeof(ep3), &addr, &size));

	ep2[5] = 31;
	ep2[22] = 0x99, ep2[23] = 0x01;
	ep2[24] = 0x00, ep2[25] = 0x00, ep2[26] = 0x0f;
	CHECK(smbios2_table(ep2, sizeof(ep2), &addr, &size));
	CHECK_EQ(addr, 0xf0000);
	CHECK_EQ(size, 0x199);
	CHECK(!smbios3_table(ep2, sizeof(ep2), &addr, &size));
}
