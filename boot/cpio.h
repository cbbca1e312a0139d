/* The cpio archives systemd-stub hands the initrd to put files under
 * /.extra (boot/systemd_stub.h): the "newc" format the kernel unpacks
 * (Linux Documentation/driver-api/early-userspace/buffer-format.rst),
 * laid out as the stub's cpio.c lays it out, so that an archive efikexec
 * makes has the same bytes, and so the same digest, as the stub's:
 *   - each header the magic "070701" and 13 fields of 8 lowercase hex
 *     digits: inode, mode, uid 0, gid 0, nlink 1, mtime 0, file size,
 *     devices 0, 0, 0, 0, name size (with its NUL), check 0;
 *   - inodes counted from 1 in each archive;
 *   - first the directories of the path, each one a record (mode 0555,
 *     the last one the mode asked for), then the files, each record and
 *     each file's bytes padded with NULs to 4 bytes from the start of the
 *     archive, then the trailer "TRAILER!!!" (inode 0, nlink 1).
 *
 * Pure code: each function writes at out (NULL: writes nothing) and
 * returns how many bytes it wrote or would write. */
#ifndef BOOT_CPIO_H
#define BOOT_CPIO_H

#include <stddef.h>
#include <stdint.h>

#define CPIO_DIR 0040000u
#define CPIO_FILE 0100000u

/* The records of the directories of dir ("a/b/c": a, a/b, a/b/c), at
 * offset `at` of the archive; *inode is the next inode, counted on. */
size_t cpio_dirs(uint8_t *out, size_t at, const char *dir, uint32_t mode,
		 uint32_t *inode);

/* The header of file dir/name of size bytes, at offset `at` (a multiple
 * of 4), padded: its bytes follow at at + the length returned. */
size_t cpio_file_header(uint8_t *out, size_t at, const char *dir,
			const char *name, uint32_t mode, uint32_t size,
			uint32_t *inode);

/* NULs from offset `at` up to the next multiple of 4. */
size_t cpio_pad(uint8_t *out, size_t at);

/* The trailer, at offset `at` (a multiple of 4). */
size_t cpio_trailer(uint8_t *out, size_t at);

#endif
