/* GUIDs as text. */
#ifndef LIB_GUID_H
#define LIB_GUID_H

#include <stdint.h>

#define GUID_TEXT_SIZE 37 /* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" and NUL */

/* Formats a GUID stored as EFI stores it (UEFI 2.10 Appendix A: the first
 * three fields little-endian, the last eight bytes in order) in the usual
 * lower-case text form. */
void guid_format(const uint8_t g[16], char out[GUID_TEXT_SIZE]);

#endif
