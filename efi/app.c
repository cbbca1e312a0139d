/* Starting an EFI application that is not a kernel efikexec boots itself
 * (core/machine.h, machine_start_app()): the Boot Loader Specification's
 * `efi` key, or such a file given as KERNEL, from a volume or a URL. */
#include "core/console.h"
#include "core/machine.h"
#include "efi/app.h"
#include "efi/bli.h"
#include "efi/efi.h"
#include "efi/file.h"
#include "lib/mem.h"
#include "lib/url.h"
#include "lib/utf.h"

#include <efidevp.h>

/* The volume's device path, then a file path node for wpath, then the end
 * (UEFI 2.10 §10.3.5.4): with it the application finds the volume it was
 * loaded from (its loaded image's DeviceHandle and FilePath), as when the
 * firmware or the shell starts it. */
static EFI_DEVICE_PATH *app_device_path(EFI_HANDLE volume, const CHAR16 *wpath)
{
	EFI_DEVICE_PATH *vol, *out;
	FILEPATH_DEVICE_PATH *file;
	size_t vol_size = 0, name_size = sizeof(CHAR16);

	for (const CHAR16 *c = wpath; *c; c++)
		name_size += sizeof(CHAR16);
	if (!(vol = efi_protocol(volume, &efi_device_path_guid)))
		return NULL;
	while (!IsDevicePathEnd((EFI_DEVICE_PATH *)((uint8_t *)vol + vol_size)))
		vol_size += DevicePathNodeLength((EFI_DEVICE_PATH *)((uint8_t *)vol + vol_size));
	out = efi_alloc(vol_size + SIZE_OF_FILEPATH_DEVICE_PATH + name_size + 4);
	if (!out)
		return NULL;
	memcpy(out, vol, vol_size);
	file = (FILEPATH_DEVICE_PATH *)((uint8_t *)out + vol_size);
	file->Header.Type = MEDIA_DEVICE_PATH;
	file->Header.SubType = MEDIA_FILEPATH_DP;
	SetDevicePathNodeLength(&file->Header, SIZE_OF_FILEPATH_DEVICE_PATH + name_size);
	memcpy(file->PathName, wpath, name_size);
	SetDevicePathEndNode(NextDevicePathNode(&file->Header));
	return out;
}

/* An application fetched from a URL: a URI node (UEFI 2.10 §10.3.4.23)
 * with the URL, then the end, as the firmware's HTTP boot names what it
 * fetched. */
static EFI_DEVICE_PATH *url_device_path(const char *url)
{
	size_t n = strlen(url);
	EFI_DEVICE_PATH *out;

	if (n > 0xffff - 4 || !(out = efi_alloc(4 + n + 4)))
		return NULL;
	out->Type = MESSAGING_DEVICE_PATH;
	out->SubType = MSG_URI_DP;
	SetDevicePathNodeLength(out, 4 + n);
	memcpy((uint8_t *)out + 4, url, n);
	SetDevicePathEndNode(NextDevicePathNode(out));
	return out;
}

int app_load_image(const char *what, const char *path, const uint8_t *image,
		   size_t size, EFI_HANDLE *handle, struct diag *d)
{
	CHAR16 wpath[PATH_MAX_CHARS];
	EFI_HANDLE volume;
	EFI_DEVICE_PATH *dp;
	EFI_STATUS s;
	int rc;

	if (url_scheme_of(path) != URL_NONE)
		dp = url_device_path(path);
	else if ((rc = file_volume(what, path, &volume, wpath, d)))
		return rc;
	else
		dp = app_device_path(volume, wpath);
	*handle = NULL;
	/* UEFI 2.10 §7.4.1: the firmware verifies the image under Secure
	 * Boot; EFI_SECURITY_VIOLATION may come with a handle to unload */
	s = efi.bs->LoadImage(FALSE, efi.image, dp, (void *)image, size, handle);
	if (!EFI_ERROR(s))
		return 0;
	if (*handle)
		efi.bs->UnloadImage(*handle);
	*handle = NULL;
	return diag_fail(d, s == EFI_SECURITY_VIOLATION || s == EFI_ACCESS_DENIED ?
				    ERR_UNSUPPORTED : ERR_BAD_IMAGE,
			 "the firmware does not load %s '%s': %s", what, path,
			 efi_status_text(s));
}

int machine_start_app(const char *path, const uint8_t *image, size_t size,
		      const char *options, struct diag *d)
{
	EFI_HANDLE app;
	EFI_LOADED_IMAGE *loaded;
	size_t units = utf8_to_ucs2(options, NULL, 0) + 1;
	CHAR16 *wopts = efi_alloc(units * sizeof(CHAR16));
	EFI_STATUS s;
	int rc;

	if (!wopts)
		return diag_fail(d, ERR_NO_MEMORY, "no memory for the options of '%s'",
				 path);
	utf8_to_ucs2(options, wopts, units);
	if ((rc = app_load_image("EFI application", path, image, size, &app, d)))
		return rc;
	if ((loaded = efi_protocol(app, &efi_loaded_image_guid))) {
		loaded->LoadOptions = wopts;
		loaded->LoadOptionsSize = (UINT32)(units * sizeof(CHAR16));
	}
	/* the Boot Loader Interface as for any entry (systemd-boot sets it
	 * before starting any image): the selected entry, its try counted,
	 * @saved */
	bli_publish();
	con_note("starting EFI application '%s'", path);
	/* an application is unloaded when it returns (§7.4.5 Exit()) */
	s = efi.bs->StartImage(app, NULL, NULL);
	if (EFI_ERROR(s))
		return diag_fail(d, ERR_ABORTED, "EFI application '%s' returned %s",
				 path, efi_status_text(s));
	con_note("EFI application '%s' returned %s", path,
		 efi_status_text(s));
	return 0;
}
