/* systemd-boot's drop-in drivers (bls/drivers.h): loaded and started
 * before the entries are read, so that the file systems they bring are
 * there for XBOOTLDR and the entries' files. */
#include "efi/drivers.h"

#include "bls/drivers.h"
#include "core/console.h"
#include "core/machine.h"
#include "efi/app.h"
#include "efi/efi.h"
#include "lib/fmt.h"

struct driver_run {
	size_t started;
};

/* Loads and starts one driver; false, with d set, when it does not run. */
static bool start_driver(const char *path, struct diag *d)
{
	struct open_file f;
	EFI_HANDLE image;
	EFI_LOADED_IMAGE *loaded;
	EFI_STATUS s;
	void *buf;

	if (file_open(&f, "driver", path, d))
		return false;
	if (!(buf = efi_alloc(f.size))) {
		file_close(&f);
		diag_fail(d, ERR_NO_MEMORY, "no memory for driver '%s'", path);
		return false;
	}
	if (file_read_from(&f, 0, buf, d) ||
	    app_load_image("driver", path, buf, f.size, &image, d))
		return false;
	/* an application would run now, not stay as a driver: systemd-boot
	 * refuses one too */
	loaded = efi_protocol(image, &efi_loaded_image_guid);
	if (!loaded || (loaded->ImageCodeType != EfiBootServicesCode &&
			loaded->ImageCodeType != EfiRuntimeServicesCode)) {
		efi.bs->UnloadImage(image);
		diag_fail(d, ERR_BAD_IMAGE, "'%s' is not an EFI driver", path);
		return false;
	}
	s = efi.bs->StartImage(image, NULL, NULL);
	/* (EFI_ABORTED: a driver that only did its work and asks to be
	 * unloaded, as systemd-boot takes it; not counted, not warned about) */
	if (s == EFI_ABORTED)
		return false;
	if (EFI_ERROR(s)) {
		diag_fail(d, ERR_ABORTED, "driver '%s' did not start: %s", path,
			  efi_status_text(s));
		return false;
	}
	return true;
}

static void each_driver(void *ctx, const char *name, uint64_t size)
{
	struct driver_run *run = ctx;
	char path[sizeof(BLS_DRIVERS_DIR) + 256];
	struct diag d = { 0 };
	size_t mark = pages_mark();

	(void)size;
	if (!bls_driver_name(name) ||
	    fmt_snprintf(path, sizeof(path), "%s\\%s", BLS_DRIVERS_DIR, name) >=
		    sizeof(path))
		return;
	if (start_driver(path, &d))
		run->started++;
	else if (d.code)
		con_warn("%s; the boot goes on without it", d.msg);
	/* the file as read, and its device path: the firmware made its own
	 * copies as it loaded the image */
	pages_release(mark);
}

void drivers_load(void)
{
	struct driver_run run = { 0 };
	struct diag d;
	int rc = file_list_dir("of drivers", BLS_DRIVERS_DIR, each_driver, &run, &d);

	if (rc && rc != ERR_NOT_FOUND)
		con_warn("%s", d.msg);
	/* every controller connected again, so that the drivers just
	 * started bind to the devices there are: a file system driver's
	 * volumes appear only then (a handle that fails, by the firmware's
	 * own policy or gone meanwhile, is left as it is) */
	if (run.started)
		efi_connect(NULL);
}
