#include "efi/file.h"

#include "core/console.h"
#include "efi/efi.h"
#include "efi/net.h"
#include "efi/xbootldr.h"
#include "core/machine.h"
#include "lib/mem.h"
#include "lib/url.h"
#include "lib/utf.h"

#include <efishell.h>
#include <stdbool.h>

/* Files larger than this are read in chunks with a progress line. */
#define PROGRESS_MIN_BYTES (16ull << 20)
#define PROGRESS_CHUNK_BYTES (4u << 20)

static EFI_GUID shell_guid = EFI_SHELL_PROTOCOL_GUID;
static EFI_GUID file_info_guid = EFI_FILE_INFO_ID;

/* EFI_FILE_INFO with room for a name of PATH_MAX_CHARS. */
union file_info {
	EFI_FILE_INFO info;
	unsigned char bytes[sizeof(EFI_FILE_INFO) + PATH_MAX_CHARS * 2];
};

static EFI_STATUS volume_of_mapping(const char *mapping, size_t len,
				    EFI_HANDLE *volume)
{
	EFI_SHELL_PROTOCOL *shell;
	CHAR16 name[64];
	char tmp[64];
	EFI_DEVICE_PATH *dp;

	if (len >= sizeof(tmp))
		return EFI_NOT_FOUND;
	memcpy(tmp, mapping, len);
	tmp[len] = '\0';
	utf8_to_ucs2(tmp, name, sizeof(name) / sizeof(name[0]));
	/* (LocateProtocol() fails only so) */
	if (!(shell = efi_protocol(NULL, &shell_guid)))
		return EFI_NOT_FOUND;
	dp = (EFI_DEVICE_PATH *)shell->GetDevicePathFromMap(name);
	if (!dp)
		return EFI_NOT_FOUND;
	return efi.bs->LocateDevicePath(&efi_file_system_guid, &dp, volume);
}

int file_volume(const char *what, const char *path, EFI_HANDLE *volume,
		CHAR16 *wpath, struct diag *d)
{
	size_t map_len = url_path_mapping(path);
	EFI_STATUS s;

	*volume = efi.loaded->DeviceHandle;
	if (map_len == sizeof(XBOOTLDR_PREFIX) - 1 &&
	    !memcmp(path, XBOOTLDR_PREFIX, map_len)) {
		if (!(*volume = xbootldr_volume()))
			return diag_fail(d, ERR_NOT_FOUND,
					 "cannot open %s '%s': no XBOOTLDR partition on this disk",
					 what, path);
	} else if (map_len) {
		s = volume_of_mapping(path, map_len, volume);
		if (EFI_ERROR(s))
			return diag_fail(d, ERR_NOT_FOUND,
					 "cannot open %s '%s': no volume '%.*s' (%s)",
					 what, path, (int)map_len, path,
					 efi_status_text(s));
	}
	if (utf8_to_ucs2(path + map_len, wpath, PATH_MAX_CHARS) >= PATH_MAX_CHARS)
		return diag_fail(d, ERR_USAGE, "%s path '%s' is too long", what, path);
	for (CHAR16 *c = wpath; *c; c++)
		if (*c == L'/')
			*c = L'\\';
	return 0;
}

/* Opens path (see file_open()) in mode, whatever it is. */
static int open_path(const char *what, const char *path, EFI_FILE_HANDLE *out,
		     UINT64 mode, struct diag *d)
{
	EFI_SIMPLE_FILE_SYSTEM_PROTOCOL *fs;
	EFI_FILE_HANDLE root;
	EFI_HANDLE volume;
	CHAR16 wpath[PATH_MAX_CHARS];
	EFI_STATUS s;
	int rc;

	if ((rc = file_volume(what, path, &volume, wpath, d)))
		return rc;
	s = efi.bs->HandleProtocol(volume, &efi_file_system_guid, (void **)&fs);
	if (!EFI_ERROR(s))
		s = fs->OpenVolume(fs, &root);
	if (EFI_ERROR(s))
		return diag_fail(d, ERR_NOT_FOUND,
				 "cannot open %s '%s': the volume has no file system (%s)",
				 what, path, efi_status_text(s));
	s = root->Open(root, out, wpath, mode, 0);
	root->Close(root);
	if (EFI_ERROR(s))
		return diag_fail(d, s == EFI_NOT_FOUND ? ERR_NOT_FOUND : ERR_IO,
				 "cannot open %s '%s': %s", what, path,
				 efi_status_text(s));
	return 0;
}

static EFI_FILE_HANDLE handle_of(const struct open_file *f)
{
	return f->handle;
}

/* A file fetched from a URL: its bytes are in memory (f->handle), where
 * they stay until the boot attempt ends. */
static bool fetched(const struct open_file *f)
{
	return url_scheme_of(f->path) != URL_NONE;
}

/* file_open() in mode */
static int open_file(struct open_file *f, const char *what, const char *path,
		     UINT64 mode, struct diag *d)
{
	union file_info info;
	UINTN info_size = sizeof(info);
	EFI_FILE_HANDLE h;
	EFI_STATUS s;
	int rc;

	*f = (struct open_file){ .what = what, .path = path };
	if ((rc = open_path(what, path, &h, mode, d)))
		return rc;
	f->handle = h;
	s = handle_of(f)->GetInfo(handle_of(f), &file_info_guid, &info_size, &info);
	if (EFI_ERROR(s))
		rc = diag_fail(d, ERR_IO, "cannot stat %s '%s': %s", what,
			       path, efi_status_text(s));
	else if (info.info.Attribute & EFI_FILE_DIRECTORY)
		rc = diag_fail(d, ERR_USAGE, "%s '%s' is a directory", what, path);
	else if (!info.info.FileSize)
		rc = diag_fail(d, ERR_BAD_IMAGE, "%s '%s' is empty (0 bytes)",
			       what, path);
	if (rc)
		file_close(f);
	else
		f->size = info.info.FileSize;
	return rc;
}

int file_open(struct open_file *f, const char *what, const char *path,
	      struct diag *d)
{
	void *data;
	int rc;

	if (url_scheme_of(path) == URL_NONE)
		return open_file(f, what, path, EFI_FILE_MODE_READ, d);
	*f = (struct open_file){ .what = what, .path = path };
	if ((rc = net_fetch(what, path, &data, &f->size, d)))
		return rc;
	f->handle = data;
	return 0;
}

int file_open_rw(struct open_file *f, const char *what, const char *path,
		 struct diag *d)
{
	return open_file(f, what, path, EFI_FILE_MODE_READ | EFI_FILE_MODE_WRITE, d);
}

int file_list_dir(const char *what, const char *path, file_name_fn each,
		  void *ctx, struct diag *d)
{
	EFI_FILE_HANDLE dir;
	union file_info small;
	EFI_FILE_INFO *info = &small.info;
	UINTN cap = sizeof(small);
	char name[PATH_MAX_CHARS * 3];
	int rc;

	if ((rc = open_path(what, path, &dir, EFI_FILE_MODE_READ, d)))
		return rc;
	for (;;) {
		UINTN size = cap;
		EFI_STATUS s = dir->Read(dir, &size, info);

		/* a longer name than we planned for: read it into a buffer of
		 * the size the firmware asks for (its name is then cut short) */
		if (s == EFI_BUFFER_TOO_SMALL &&
		    (info = efi_alloc(size))) {
			cap = size;
			s = dir->Read(dir, &size, info);
		}
		if (!info || EFI_ERROR(s) || !size) {
			dir->Close(dir);
			if (!info || EFI_ERROR(s))
				return diag_fail(d, ERR_IO,
						 "cannot read directory %s '%s': %s",
						 what, path,
						 info ? efi_status_text(s) : "no memory");
			return 0;
		}
		if (info->Attribute & EFI_FILE_DIRECTORY)
			continue;
		ucs2_to_utf8(info->FileName,
			     (size - SIZE_OF_EFI_FILE_INFO) / sizeof(CHAR16), name,
			     sizeof(name));
		each(ctx, name, info->FileSize);
	}
}

/* A read that failed (s) or came short (s a success) at byte `at`. */
static int read_failed(const struct open_file *f, uint64_t at, EFI_STATUS s,
		       struct diag *d)
{
	return diag_fail(d, ERR_IO,
			 "reading %s '%s' failed at byte 0x%lx of 0x%lx: %s",
			 f->what, f->path, at, f->size,
			 EFI_ERROR(s) ? efi_status_text(s) : "end of file");
}

int file_read_from(struct open_file *f, uint64_t from, void *buf,
		   struct diag *d)
{
	unsigned char *p = buf;
	uint64_t done = from;
	bool progress = f->size > PROGRESS_MIN_BYTES;
	unsigned shown = 0;

	if (fetched(f)) {
		memcpy(p + from, (const uint8_t *)f->handle + from, f->size - from);
		file_close(f);
		return 0;
	}
	/* Straight into the final buffer: one read, or for a large file
	 * chunks, so the console can show how far it got. */
	while (done < f->size) {
		UINTN n = f->size - done;
		EFI_STATUS s;

		if (progress && n > PROGRESS_CHUNK_BYTES)
			n = PROGRESS_CHUNK_BYTES;
		s = handle_of(f)->Read(handle_of(f), &n, p + done);
		if (EFI_ERROR(s) || !n) {
			file_close(f);
			if (progress)
				con_printf("\n");
			return read_failed(f, done, s, d);
		}
		done += n;
		if (progress && (done * 100 / f->size >= shown + 10 || done == f->size)) {
			shown = (unsigned)(done * 100 / f->size);
			con_printf("\refikexec: reading %s '%s' (%lu MiB): %u%%",
				   f->what, f->path, f->size >> 20, shown);
		}
	}
	if (progress)
		con_printf("\n");
	file_close(f);
	return 0;
}

int file_rename(const char *path, const char *name, struct diag *d)
{
	union file_info info;
	UINTN size = sizeof(info);
	EFI_FILE_HANDLE h;
	EFI_STATUS s;
	int rc;

	if ((rc = open_path("boot entry", path, &h,
			    EFI_FILE_MODE_READ | EFI_FILE_MODE_WRITE, d)))
		return rc;
	/* UEFI 2.10 §13.5.14 SetInfo(): a new FileName renames the file in
	 * its directory */
	s = h->GetInfo(h, &file_info_guid, &size, &info);
	if (!EFI_ERROR(s)) {
		size_t units = utf8_to_ucs2(name, info.info.FileName, PATH_MAX_CHARS);

		info.info.Size = SIZE_OF_EFI_FILE_INFO + (units + 1) * sizeof(CHAR16);
		s = units < PATH_MAX_CHARS ?
			    h->SetInfo(h, &file_info_guid, info.info.Size, &info) :
			    EFI_BAD_BUFFER_SIZE;
	}
	if (!EFI_ERROR(s))
		s = h->Flush(h);
	h->Close(h);
	if (EFI_ERROR(s))
		return diag_fail(d, ERR_IO, "cannot rename '%s' to '%s': %s", path,
				 name, efi_status_text(s));
	return 0;
}

int file_read_at(struct open_file *f, uint64_t offset, void *buf, size_t n,
		 struct diag *d)
{
	UINTN got = n;
	EFI_STATUS s;

	if (fetched(f)) {
		if (offset > f->size || n > f->size - offset)
			return read_failed(f, offset, EFI_SUCCESS, d);
		memcpy(buf, (const uint8_t *)f->handle + offset, n);
		return 0;
	}
	s = handle_of(f)->SetPosition(handle_of(f), offset);
	if (!EFI_ERROR(s))
		s = handle_of(f)->Read(handle_of(f), &got, buf);
	if (EFI_ERROR(s) || got != n)
		return read_failed(f, offset, s, d);
	return 0;
}

int file_write_at(struct open_file *f, uint64_t offset, const void *buf,
		  size_t n, struct diag *d)
{
	UINTN done = n;
	EFI_STATUS s = handle_of(f)->SetPosition(handle_of(f), offset);

	if (!EFI_ERROR(s))
		s = handle_of(f)->Write(handle_of(f), &done, (void *)buf);
	if (!EFI_ERROR(s))
		s = done == n ? handle_of(f)->Flush(handle_of(f)) : EFI_DEVICE_ERROR;
	if (EFI_ERROR(s))
		return diag_fail(d, ERR_IO, "writing %s '%s' failed: %s", f->what,
				 f->path, efi_status_text(s));
	return 0;
}

const void *file_in_memory(const struct open_file *f)
{
	return fetched(f) ? f->handle : NULL;
}

void file_close(struct open_file *f)
{
	if (f->handle && !fetched(f))
		handle_of(f)->Close(handle_of(f));
	f->handle = NULL;
}
