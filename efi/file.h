/* Files on the boot volume or on a shell mapping (fsN:\path). */
#ifndef EFI_FILE_H
#define EFI_FILE_H

#include <stdint.h>

#include "lib/diag.h"


struct open_file {
	const char *what; /* "kernel", "initrd" */
	const char *path;
	uint64_t size;
	struct _EFI_FILE_HANDLE *handle;
};

/* Opens path (UTF-8): "fsN:\dir\name" on a shell mapping, otherwise
 * "\dir\name" or "dir\name" from the root of the volume efikexec was loaded
 * from; '/' works as '\'. Fails for a missing file, a directory or an
 * empty file, naming `what` and the path. */
int file_open(struct open_file *f, const char *what, const char *path,
	      struct diag *d);

/* Reads the whole file into buf (f->size bytes) and closes it; a file over
 * 16 MiB shows its progress on the console. */
int file_read_all(struct open_file *f, void *buf, struct diag *d);

void file_close(struct open_file *f);

typedef void (*file_name_fn)(void *ctx, const char *name);

/* Calls each() with the name (UTF-8) of every file, not directory, in the
 * directory at path (as file_open() takes it); `what` names it in
 * messages. */
int file_list_dir(const char *what, const char *path, file_name_fn each,
		  void *ctx, struct diag *d);

#endif
