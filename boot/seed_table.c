#include "boot/seed_table.h"

#include "lib/mem.h"

size_t seed_table_used(const struct seed_table *t)
{
	return t->size <= SEED_TABLE_PREVIOUS_MAX ? t->size : 0;
}

bool seed_table_wipe(struct seed_table *t)
{
	size_t n = seed_table_used(t);

	if (!n)
		return false;
	memset(t, 0, sizeof(*t) + n);
	__asm__ volatile("" : : "r"(t) : "memory");
	return true;
}
