#include <string.h>

#include "boot/seed_table.h"
#include "harness.h"

/* A previous stage's table in memory the way it left it: the header,
 * size bytes of seed, then bytes that are not the table's. */
struct memory {
	struct seed_table t;
	uint8_t bytes[SEED_TABLE_PREVIOUS_MAX + 16];
};

static void fill(struct memory *m, uint32_t size)
{
	memset(m, 0xa5, sizeof(*m));
	m->t.size = size;
}

static bool zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

/* The seed that went into the new table leaves no copy: the header and
 * the seed are zeroed, the caller told to free the table, and nothing
 * past it is touched. */
TEST(seed_table_wiped_once_replaced)
{
	struct memory m;

	fill(&m, 32);
	CHECK_EQ(seed_table_used(&m.t), 32);
	CHECK(seed_table_wipe(&m.t));
	CHECK(zero(&m, sizeof(m.t) + 32));
	CHECK_EQ(m.bytes[32], 0xa5);

	fill(&m, SEED_TABLE_PREVIOUS_MAX);
	CHECK(seed_table_wipe(&m.t));
	CHECK(zero(&m, sizeof(m.t) + SEED_TABLE_PREVIOUS_MAX));
	CHECK_EQ(m.bytes[SEED_TABLE_PREVIOUS_MAX], 0xa5);
}

/* A table that claims more than 512 bytes is corrupt (Linux's EFI stub):
 * its seed is not used, and neither it nor the memory it claims is
 * written or freed. An empty one holds no seed. */
TEST(seed_table_corrupt_or_empty_left_alone)
{
	struct memory m;

	fill(&m, SEED_TABLE_PREVIOUS_MAX + 1);
	CHECK_EQ(seed_table_used(&m.t), 0);
	CHECK(!seed_table_wipe(&m.t));
	CHECK_EQ(m.t.size, SEED_TABLE_PREVIOUS_MAX + 1);
	CHECK_EQ(m.bytes[0], 0xa5);

	fill(&m, 0);
	CHECK_EQ(seed_table_used(&m.t), 0);
	CHECK(!seed_table_wipe(&m.t));
}
