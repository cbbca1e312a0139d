#include "boot/cpio.h"

#include "lib/mem.h"

#define HEADER_BYTES (6 + 13 * 8)

static size_t padding(size_t at)
{
	return (4 - at % 4) % 4;
}

size_t cpio_pad(uint8_t *out, size_t at)
{
	size_t n = padding(at);

	if (out)
		memset(out + at, 0, n);
	return n;
}

static void hex8(uint8_t *p, uint32_t v)
{
	static const char digits[] = "0123456789abcdef";

	for (int i = 7; i >= 0; i--, v >>= 4)
		p[i] = (uint8_t)digits[v & 0xf];
}

/* One record's header and name (the name of namelen bytes, without its
 * NUL, made of the parts given), padded; what follows is the caller's. */
static size_t record(uint8_t *out, size_t at, uint32_t inode, uint32_t mode,
		     uint32_t nlink, uint32_t size, const char *a, size_t alen,
		     const char *b, size_t blen)
{
	size_t namelen = alen + (b ? 1 + blen : 0);
	size_t n = HEADER_BYTES + namelen + 1;
	const uint32_t fields[13] = { inode, mode, 0, 0, nlink, 0, size,
				      0, 0, 0, 0, (uint32_t)namelen + 1, 0 };

	if (out) {
		uint8_t *p = out + at;

		memcpy(p, "070701", 6);
		for (int i = 0; i < 13; i++)
			hex8(p + 6 + 8 * i, fields[i]);
		p += HEADER_BYTES;
		memcpy(p, a, alen);
		p += alen;
		if (b) {
			*p++ = '/';
			memcpy(p, b, blen);
			p += blen;
		}
		*p = '\0';
	}
	return n + cpio_pad(out, at + n);
}

size_t cpio_dirs(uint8_t *out, size_t at, const char *dir, uint32_t mode,
		 uint32_t *inode)
{
	size_t len = strlen(dir), n = 0;

	/* each "a/" ending a prefix, as mkdir -p makes them, 0555 */
	for (size_t i = 1; i < len; i++)
		if (dir[i] == '/' && dir[i - 1] != '/')
			n += record(out, at + n, (*inode)++, CPIO_DIR | 0555, 1, 0,
				    dir, i, NULL, 0);
	return n + record(out, at + n, (*inode)++, CPIO_DIR | mode, 1, 0, dir,
			  len, NULL, 0);
}

size_t cpio_file_header(uint8_t *out, size_t at, const char *dir,
			const char *name, uint32_t mode, uint32_t size,
			uint32_t *inode)
{
	return record(out, at, (*inode)++, CPIO_FILE | mode, 1, size, dir,
		      strlen(dir), name, strlen(name));
}

size_t cpio_trailer(uint8_t *out, size_t at)
{
	static const char name[] = "TRAILER!!!";
	size_t n = record(out, at, 0, 0, 1, 0, name, sizeof(name) - 1, NULL, 0);

	/* the stub spells this one name size in capitals, "0000000B": the
	 * same bytes, the same digest */
	if (out)
		out[at + 6 + 11 * 8 + 7] = 'B';
	return n;
}
