#include "bls/drivers.h"

#include "lib/ascii.h"
#include "lib/mem.h"

bool bls_driver_name(const char *name)
{
	static const char suffix[] = "x64.efi";
	size_t n = strlen(name), k = sizeof(suffix) - 1;

	/* (a name that is only the suffix qualifies, as with systemd-boot) */
	if (name[0] == '.' || n < k)
		return false;
	for (size_t i = 0; i < k; i++)
		if (ascii_lower(name[n - k + i]) != suffix[i])
			return false;
	return true;
}
