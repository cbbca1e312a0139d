/* The Extended Boot Loader partition (efi/xbootldr.c). */
#ifndef EFI_XBOOTLDR_H
#define EFI_XBOOTLDR_H

#include <efi.h>

/* Paths on it, as file_open() (efi/file.h) takes them, start with this. */
#define XBOOTLDR_PREFIX "xbootldr:"

/* Its volume: the first XBOOTLDR partition with a file system on the disk
 * efikexec was loaded from; NULL when there is none. */
EFI_HANDLE xbootldr_volume(void);

#endif
