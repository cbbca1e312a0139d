#include "lib/pin.h"

#include "lib/mem.h"

#define PIN_PREFIX "#sha256="
#define PIN_PREFIX_LEN (sizeof(PIN_PREFIX) - 1)

/* The value of a hex digit, or -1. */
static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20; /* either case */
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

int pin_split(char *path, struct pin *pin, struct diag *d)
{
	size_t n = strlen(path), at = n;
	char *hex;

	pin->set = false;
	/* the last "#sha256=" in the path */
	for (size_t i = 0; i + PIN_PREFIX_LEN <= n; i++)
		if (!strncmp(path + i, PIN_PREFIX, PIN_PREFIX_LEN))
			at = i;
	if (at == n)
		return 0;
	hex = path + at + PIN_PREFIX_LEN;
	if (strlen(hex) != 2 * SHA256_SIZE)
		return diag_fail(d, ERR_USAGE,
				 "'%s': " PIN_PREFIX " needs exactly %d hex digits, has %zu characters",
				 path, 2 * SHA256_SIZE, strlen(hex));
	for (size_t i = 0; i < SHA256_SIZE; i++) {
		int hi = hex_value(hex[2 * i]), lo = hex_value(hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return diag_fail(d, ERR_USAGE,
					 "'%s': " PIN_PREFIX " takes hex digits, not '%c'",
					 path, hi < 0 ? hex[2 * i] : hex[2 * i + 1]);
		pin->sha256[i] = (uint8_t)(hi << 4 | lo);
	}
	if (!at)
		return diag_fail(d, ERR_USAGE, "'%s': a pin, but no path before it", path);
	path[at] = '\0';
	pin->set = true;
	return 0;
}

/* The digest in lower-case hex, NUL-terminated. */
static void hex_of(const uint8_t *digest, char out[2 * SHA256_SIZE + 1])
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < SHA256_SIZE; i++) {
		out[2 * i] = digits[digest[i] >> 4];
		out[2 * i + 1] = digits[digest[i] & 15];
	}
	out[2 * SHA256_SIZE] = '\0';
}

int pin_check(const struct pin *pin, const char *what, const char *path,
	      const void *data, uint64_t size, struct diag *d)
{
	char got_hex[2 * SHA256_SIZE + 1], want_hex[2 * SHA256_SIZE + 1];
	uint8_t got[SHA256_SIZE];
	struct sha256 c;

	if (!pin->set)
		return 0;
	sha256_init(&c);
	sha256_update(&c, data, (size_t)size);
	sha256_final(&c, got);
	if (!memcmp(got, pin->sha256, SHA256_SIZE))
		return 0;
	hex_of(got, got_hex);
	hex_of(pin->sha256, want_hex);
	return diag_fail(d, ERR_BAD_IMAGE,
			 "%s '%.240s' does not match its pin: its sha256 is %s, " PIN_PREFIX "%s",
			 what, path, got_hex, want_hex);
}
