/* Files on the boot volume or on a shell mapping (fsN:\path). */
#ifndef EFI_FILE_H
#define EFI_FILE_H

#include <efi.h>
#include <stdint.h>

#include "core/machine.h"
#include "lib/diag.h"

#define PATH_MAX_CHARS 512

/* file_open() (core/machine.h) here takes a UTF-8 path: "fsN:\dir\name"
 * on a shell mapping, otherwise "\dir\name" or "dir\name" from the root
 * of the volume efikexec was loaded from; '/' works as '\'. It fails for a
 * missing file, a directory or an empty file. file_read_from() shows the
 * progress of a file over 16 MiB on the console. A URL (http://,
 * https://, tftp://) is fetched whole as it is opened (efi/net.h): such a
 * file is in memory (file_in_memory()). */

/* Renames the file at path to name, in the same directory. */
int file_rename(const char *path, const char *name, struct diag *d);

/* file_open() for reading and writing. */
int file_open_rw(struct open_file *f, const char *what, const char *path,
		 struct diag *d);

/* Writes n bytes at offset of a file file_open_rw() opened and flushes
 * them to the device; the file stays open. */
int file_write_at(struct open_file *f, uint64_t offset, const void *buf,
		  size_t n, struct diag *d);

/* The volume path (as file_open() takes it) is on, and the path on it in
 * UTF-16 with backslashes (wpath: PATH_MAX_CHARS units). */
int file_volume(const char *what, const char *path, EFI_HANDLE *volume,
		CHAR16 *wpath, struct diag *d);

#endif
