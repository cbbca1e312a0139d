#include "lib/guid.h"

#include "lib/bytes.h"
#include "lib/fmt.h"

void guid_format(const uint8_t g[16], char out[GUID_TEXT_SIZE])
{
	fmt_snprintf(out, GUID_TEXT_SIZE,
		     "%08x-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		     get32(g), get16(g + 4), get16(g + 6), g[8], g[9], g[10],
		     g[11], g[12], g[13], g[14], g[15]);
}
