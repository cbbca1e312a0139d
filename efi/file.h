/* Files on the boot volume or on a shell mapping (fsN:\path). */
#ifndef EFI_FILE_H
#define EFI_FILE_H

#include <stdint.h>

#include "lib/diag.h"

/* file_open() (core/machine.h) here takes a UTF-8 path: "fsN:\dir\name"
 * on a shell mapping, otherwise "\dir\name" or "dir\name" from the root
 * of the volume efikexec was loaded from; '/' works as '\'. It fails for a
 * missing file, a directory or an empty file. file_read_all() shows the
 * progress of a file over 16 MiB on the console. */

typedef void (*file_name_fn)(void *ctx, const char *name);

/* Calls each() with the name (UTF-8) of every file, not directory, in the
 * directory at path (as file_open() takes it); `what` names it in
 * messages. */
int file_list_dir(const char *what, const char *path, file_name_fn each,
		  void *ctx, struct diag *d);

#endif
