#include "boot/devicetree.h"

/* the header's fields, 32-bit big-endian words (§5.2) */
enum {
	FDT_MAGIC_AT = 0,
	FDT_TOTALSIZE_AT = 4,
	FDT_STRUCT_AT = 8,
	FDT_STRINGS_AT = 12,
	FDT_RSVMAP_AT = 16,
	FDT_VERSION_AT = 20,
	FDT_LAST_COMP_AT = 24,
	FDT_STRINGS_SIZE_AT = 32,
	FDT_STRUCT_SIZE_AT = 36,
	FDT_HEADER_SIZE = 40,
};

#define FDT_MAGIC 0xd00dfeedu
/* the version the specification describes; an older reader takes a
 * newer blob as long as last_comp_version allows */
#define FDT_VERSION 17

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Whether [at, at + n) lies within [0, total). */
static int inside(uint32_t at, uint32_t n, uint32_t total)
{
	return at <= total && n <= total - at;
}

int dtb_check(const uint8_t *blob, size_t size, const char *path,
	      struct diag *d)
{
	uint32_t total, version;

	if (size < FDT_HEADER_SIZE)
		return diag_fail(d, ERR_BAD_IMAGE,
				 "devicetree '%s' is %zu bytes, too short for a devicetree header",
				 path, size);
	if (be32(blob + FDT_MAGIC_AT) != FDT_MAGIC)
		return diag_fail(d, ERR_BAD_IMAGE,
				 "devicetree '%s' is no flattened devicetree (magic 0x%08x, not 0x%08x)",
				 path, be32(blob + FDT_MAGIC_AT), FDT_MAGIC);
	total = be32(blob + FDT_TOTALSIZE_AT);
	version = be32(blob + FDT_VERSION_AT);
	if (total < FDT_HEADER_SIZE || total > size)
		return diag_fail(d, ERR_BAD_IMAGE,
				 "devicetree '%s' says it is %u bytes, but the file has %zu",
				 path, total, size);
	if (version < FDT_VERSION || be32(blob + FDT_LAST_COMP_AT) > FDT_VERSION)
		return diag_fail(d, ERR_BAD_IMAGE,
				 "devicetree '%s' is of version %u, compatible down to %u: not readable as version %u",
				 path, version, be32(blob + FDT_LAST_COMP_AT), FDT_VERSION);
	/* the memory reservation map's entries are 8-byte aligned, the
	 * structure block's tokens 4-byte aligned (§5.3, §5.4) */
	if (be32(blob + FDT_RSVMAP_AT) % 8 || be32(blob + FDT_STRUCT_AT) % 4 ||
	    be32(blob + FDT_RSVMAP_AT) < FDT_HEADER_SIZE ||
	    !inside(be32(blob + FDT_RSVMAP_AT), 16, total) ||
	    !inside(be32(blob + FDT_STRUCT_AT), be32(blob + FDT_STRUCT_SIZE_AT), total) ||
	    !inside(be32(blob + FDT_STRINGS_AT), be32(blob + FDT_STRINGS_SIZE_AT), total))
		return diag_fail(d, ERR_BAD_IMAGE,
				 "devicetree '%s' has blocks outside its %u bytes or misaligned",
				 path, total);
	return 0;
}
