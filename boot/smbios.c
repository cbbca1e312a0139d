#include "boot/smbios.h"

#include "lib/bytes.h"
#include "lib/mem.h"

/* SMBIOS (DSP0134) 5.2.2: the 3.0 entry point, 24 bytes: its length at
 * 6, the structure table's maximum size at 12 (32 bits), its address at
 * 16 (64 bits) */
#define EP3_LENGTH 6
#define EP3_SIZE SMBIOS3_ENTRY_SIZE
#define EP3_MAX_SIZE 12
#define EP3_ADDRESS 16
/* 5.2.1: the 2.1 entry point, 31 bytes: its length at 5, the table's
 * length at 22 (16 bits), its address at 24 (32 bits) */
#define EP2_LENGTH 5
#define EP2_SIZE SMBIOS2_ENTRY_SIZE
#define EP2_TABLE_LENGTH 22
#define EP2_ADDRESS 24

/* 6.1.2: each structure a 4-byte header (type, length of its formatted
 * area, handle), then strings each ending in a NUL, then one more NUL */
#define HEADER 4
#define TYPE_OEM_STRINGS 11
#define TYPE_END 127
/* 7.12: type 11's formatted area: the header and a count of strings */
#define OEM_STRINGS_LENGTH 5

bool smbios3_table(const uint8_t *ep, size_t size, uint64_t *addr,
		   uint64_t *table_size)
{
	if (size < EP3_SIZE || memcmp(ep, "_SM3_", 5) || ep[EP3_LENGTH] > EP3_SIZE)
		return false;
	*addr = get64(ep + EP3_ADDRESS);
	*table_size = get32(ep + EP3_MAX_SIZE);
	return true;
}

bool smbios2_table(const uint8_t *ep, size_t size, uint64_t *addr,
		   uint64_t *table_size)
{
	if (size < EP2_SIZE || memcmp(ep, "_SM_", 4) || ep[EP2_LENGTH] > EP2_SIZE)
		return false;
	*addr = get32(ep + EP2_ADDRESS);
	*table_size = get16(ep + EP2_TABLE_LENGTH);
	return true;
}

/* The end of the string at t[i, n): the offset of its NUL, or n when it
 * has none. */
static size_t string_end(const uint8_t *t, size_t n, size_t i)
{
	while (i < n && t[i])
		i++;
	return i;
}

/* The first structure of that type in t[0, n): its offset, or n when
 * there is none before the end. */
static size_t find_structure(const uint8_t *t, size_t n, uint8_t type)
{
	size_t i = 0;

	while (n - i >= HEADER && t[i] != TYPE_END && t[i + 1] <= n - i) {
		if (t[i] == type)
			return i;
		i += t[i + 1];
		/* no strings: two NULs (systemd 254's parser reads one of
		 * them and then takes the other for a header; later ones
		 * skip both, as here) */
		if (n - i >= 2 && !t[i] && !t[i + 1]) {
			i += 2;
			continue;
		}
		/* the strings, up to the empty one that ends them */
		for (;;) {
			size_t e = string_end(t, n, i);

			if (e == n)
				return n;
			if (e == i++)
				break;
			i = e + 1;
		}
	}
	return n;
}

const char *smbios_oem_string(const uint8_t *table, size_t size,
			      const char *name)
{
	size_t at = find_structure(table, size, TYPE_OEM_STRINGS);
	size_t len = strlen(name), i;

	if (at == size || table[at + 1] < OEM_STRINGS_LENGTH)
		return NULL;
	for (i = at + table[at + 1]; i < size;) {
		size_t e = string_end(table, size, i);

		if (e == size || e == i)
			return NULL;
		if (e - i > len && !memcmp(table + i, name, len) &&
		    table[i + len] == '=')
			return (const char *)table + i + len + 1;
		i = e + 1;
	}
	return NULL;
}
