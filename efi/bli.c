#include "efi/bli.h"

#include "core/console.h"
#include "efi/efi.h"
#include "efi/file.h"
#include "efi/xbootldr.h"
#include "core/machine.h"
#include "core/timing.h"
#include "lib/fmt.h"
#include "lib/guid.h"
#include "lib/mem.h"
#include "lib/url.h"
#include "lib/utf.h"
#include "lib/version.h"

#include <efidevp.h>
#include <stddef.h>

/* systemd's vendor GUID 4a67b082-0a4c-41cf-b6c7-440b29bb8c4f */
static EFI_GUID loader_guid = { 0x4a67b082, 0x0a4c, 0x41cf,
				{ 0xb6, 0xc7, 0x44, 0x0b, 0x29, 0xbb, 0x8c, 0x4f } };

/* LoaderFeatures: what of the interface efikexec implements (bit numbers
 * as systemd's efivars.h defines them). */
#define FEATURE_CONFIG_TIMEOUT          (1ull << 0)
#define FEATURE_CONFIG_TIMEOUT_ONE_SHOT (1ull << 1)
#define FEATURE_ENTRY_DEFAULT           (1ull << 2)
#define FEATURE_ENTRY_ONESHOT           (1ull << 3)
#define FEATURE_BOOT_COUNTING           (1ull << 4)
#define FEATURE_XBOOTLDR                (1ull << 5)
#define FEATURE_RANDOM_SEED             (1ull << 6)
#define FEATURE_LOAD_DRIVER             (1ull << 7)
#define FEATURE_SORT_KEY                (1ull << 8)
#define FEATURE_SAVED_ENTRY             (1ull << 9)
#define FEATURE_DEVICETREE              (1ull << 10)
#define FEATURE_MENU_DISABLE            (1ull << 13)
#define FEATURE_MULTI_PROFILE_UKI       (1ull << 14)
#define FEATURE_REPORT_URL              (1ull << 15)
#define FEATURE_TYPE1_UKI               (1ull << 16)
#define FEATURE_TYPE1_UKI_URL           (1ull << 17)

/* UEFI 2.10 §10.3.5.1: a hard drive node is 42 bytes; gnu-efi's struct
 * has the right offsets but is padded to 48. */
#define HD_NODE_LENGTH (offsetof(HARDDRIVE_DEVICE_PATH, SignatureType) + 1)

#define VAR_MAX_UNITS 256
#define ATTRS (EFI_VARIABLE_BOOTSERVICE_ACCESS | EFI_VARIABLE_RUNTIME_ACCESS)
/* LoaderEntryLastBooted outlives the boot, as bootctl expects */
#define ATTRS_NV (ATTRS | EFI_VARIABLE_NON_VOLATILE)

static struct {
	CHAR16 *entries; /* LoaderEntries */
	size_t entries_units;
	const char *selected;
	const char *counted;   /* the entry file whose try to count */
	enum bls_last_booted last_booted;
	char overrides[5][VAR_MAX_UNITS * 3];
} bli;

/* A variable's name as the firmware takes it (UTF-16). The interface's
 * names are ASCII, so its callers pass them as the C strings they use
 * everywhere else; the longest, LoaderConfigTimeoutOneShot, has 26
 * characters. */
static CHAR16 *var_name(const char *ascii)
{
	static CHAR16 name[32];
	size_t i = 0;

	for (; ascii[i] && i < sizeof(name) / sizeof(name[0]) - 1; i++)
		name[i] = (CHAR16)ascii[i];
	name[i] = 0;
	return name;
}

static void set_var(const char *name, UINT32 attrs, const void *data,
		    size_t size)
{
	efi.rt->SetVariable(var_name(name), &loader_guid, attrs, size, (void *)data);
}

static void set_raw(const char *name, const void *data, size_t size)
{
	set_var(name, ATTRS, data, size);
}

/* A NUL-terminated UTF-16 string, as the interface stores text. */
static void set_string_as(const char *name, UINT32 attrs, const char *utf8)
{
	CHAR16 text[VAR_MAX_UNITS];
	size_t units = utf8_to_ucs2(utf8, text, VAR_MAX_UNITS);

	if (units < VAR_MAX_UNITS)
		set_var(name, attrs, text, (units + 1) * sizeof(CHAR16));
}

static void set_string(const char *name, const char *utf8)
{
	set_string_as(name, ATTRS, utf8);
}

void bli_set_decimal(const char *name, uint64_t v)
{
	char text[24];

	fmt_snprintf(text, sizeof(text), "%lu", v);
	set_string(name, text);
}

/* Reads a string variable into out as UTF-8: NULL when unset or not text. */
static const char *get_string(const char *name, char *out, size_t cap,
			      bool consume)
{
	CHAR16 text[VAR_MAX_UNITS];
	UINTN size = sizeof(text);
	UINT32 attrs;

	if (EFI_ERROR(efi.rt->GetVariable(var_name(name), &loader_guid, &attrs,
					  &size, text)))
		return NULL;
	if (consume)
		set_var(name, attrs, NULL, 0);
	ucs2_to_utf8(text, size / sizeof(CHAR16), out, cap);
	return out;
}

const char *bli_get_text(const char *name, char *out, size_t cap)
{
	return get_string(name, out, cap, false);
}

void bli_set_nv(const char *name, const char *utf8)
{
	if (utf8)
		set_string_as(name, ATTRS_NV, utf8);
	else
		set_var(name, 0, NULL, 0);
}

size_t bli_get(const char *name, void *buf, size_t size)
{
	UINTN n = size;

	return EFI_ERROR(efi.rt->GetVariable(var_name(name), &loader_guid, NULL,
					     &n, buf)) ? 0 : n;
}

void bli_read_overrides(struct bls_overrides *o, bool consume)
{
	o->entry_default = get_string("LoaderEntryDefault", bli.overrides[0],
				      sizeof(bli.overrides[0]), false);
	o->entry_oneshot = get_string("LoaderEntryOneShot", bli.overrides[1],
				      sizeof(bli.overrides[1]), consume);
	o->timeout = get_string("LoaderConfigTimeout", bli.overrides[2],
				sizeof(bli.overrides[2]), false);
	o->timeout_oneshot = get_string("LoaderConfigTimeoutOneShot",
					bli.overrides[3], sizeof(bli.overrides[3]),
					consume);
	o->entry_last_booted = get_string("LoaderEntryLastBooted", bli.overrides[4],
					  sizeof(bli.overrides[4]), false);
}

/* LoaderEntries: every entry id, each NUL-terminated, one after another;
 * made now, while allocating is still harmless. */
void bli_set_entries(const char *const *ids, size_t n)
{
	size_t units = 0, cap = 0;

	for (size_t i = 0; i < n; i++)
		cap += utf8_to_ucs2(ids[i], NULL, 0) + 1;
	if (!cap || !(bli.entries = efi_alloc(cap * sizeof(CHAR16))))
		return;
	for (size_t i = 0; i < n; i++)
		units += utf8_to_ucs2(ids[i], bli.entries + units, cap - units) + 1;
	bli.entries_units = units;
}

void bli_select(const char *id, const char *counted,
		enum bls_last_booted last_booted)
{
	bli.selected = id;
	bli.counted = counted;
	bli.last_booted = last_booted;
}

/* Automatic Boot Assessment (systemd-boot(7), "Boot Counting"): the
 * entry file renamed to count this try, and LoaderBootCountPath naming
 * it for systemd-bless-boot. A file that cannot be renamed is warned
 * about; the boot goes on, as with systemd-boot. */
static void count_try(const char *path)
{
	char name[VAR_MAX_UNITS], renamed[VAR_MAX_UNITS];
	const char *base = path;
	struct diag d;

	for (const char *p = path; *p; p++)
		if (*p == '\\' || *p == '/')
			base = p + 1;
	if (bls_count_next(base, name, sizeof(name)) ||
	    (size_t)(base - path) + strlen(name) >= sizeof(renamed))
		return;
	if (file_rename(path, name, &d)) {
		con_warn("%s; the try is not counted", d.msg);
		return;
	}
	memcpy(renamed, path, (size_t)(base - path));
	memcpy(renamed + (base - path), name, strlen(name) + 1);
	/* the path on its own partition, the ESP or XBOOTLDR */
	set_string("LoaderBootCountPath",
		   renamed + (strncmp(renamed, XBOOTLDR_PREFIX,
				      sizeof(XBOOTLDR_PREFIX) - 1) ? 0 :
				      sizeof(XBOOTLDR_PREFIX) - 1));
}

static const EFI_DEVICE_PATH *next_node(const EFI_DEVICE_PATH *p)
{
	return (const EFI_DEVICE_PATH *)((const uint8_t *)p + DevicePathNodeLength(p));
}

/* Sets the variable `name` to the GPT partition GUID of the volume
 * `volume` (LoaderDevicePartUUID: the one efikexec was loaded from);
 * nothing when its device path has none. */
static void publish_partition(const char *name, EFI_HANDLE volume)
{
	EFI_DEVICE_PATH *dp;
	char text[GUID_TEXT_SIZE];

	if (!(dp = efi_protocol(volume, &efi_device_path_guid)))
		return;
	for (const EFI_DEVICE_PATH *p = dp;
	     !IsDevicePathEnd(p) && DevicePathNodeLength(p) >= 4; p = next_node(p)) {
		const HARDDRIVE_DEVICE_PATH *hd = (const HARDDRIVE_DEVICE_PATH *)p;

		if (DevicePathType(p) != MEDIA_DEVICE_PATH ||
		    DevicePathSubType(p) != MEDIA_HARDDRIVE_DP ||
		    (size_t)DevicePathNodeLength(p) < HD_NODE_LENGTH ||
		    hd->SignatureType != SIGNATURE_TYPE_GUID)
			continue;
		guid_format(hd->Signature, text);
		set_string(name, text);
		return;
	}
}

const char *bli_device_url(void)
{
	static char url[URL_MAX + 1];
	static bool looked;
	EFI_DEVICE_PATH *dp;

	if (!looked) {
		looked = true;
		/* (efi_protocol() of no handle would find any device's) */
		if (!efi.loaded->DeviceHandle ||
		    !(dp = efi_protocol(efi.loaded->DeviceHandle,
					&efi_device_path_guid)) ||
		    !url_of_device_path(dp, url, sizeof(url)))
			url[0] = '\0';
	}
	return url[0] ? url : NULL;
}

/* LoaderImageIdentifier: our own path on that partition, from the file
 * path nodes of the loaded image's FilePath. */
static void publish_image_path(void)
{
	CHAR16 path[VAR_MAX_UNITS];
	size_t n = 0;

	if (!efi.loaded->FilePath)
		return;
	for (const EFI_DEVICE_PATH *p = efi.loaded->FilePath;
	     !IsDevicePathEnd(p) && DevicePathNodeLength(p) >= 4; p = next_node(p)) {
		const CHAR16 *name = ((const FILEPATH_DEVICE_PATH *)p)->PathName;
		size_t max = (DevicePathNodeLength(p) - 4) / sizeof(CHAR16);

		if (DevicePathType(p) != MEDIA_DEVICE_PATH ||
		    DevicePathSubType(p) != MEDIA_FILEPATH_DP)
			continue;
		/* nodes are joined with one backslash between them */
		if (n && path[n - 1] != L'\\' && max && name[0] != L'\\' &&
		    n + 1 < VAR_MAX_UNITS)
			path[n++] = L'\\';
		for (size_t i = 0; i < max && name[i] && n + 1 < VAR_MAX_UNITS; i++)
			path[n++] = name[i];
	}
	if (!n)
		return;
	path[n++] = 0;
	set_raw("LoaderImageIdentifier", path, n * sizeof(CHAR16));
}

void bli_stub(const uint8_t *file, const struct uki *u,
	      const struct stub_release *stub, unsigned profile,
	      const char *path)
{
	char info[VAR_MAX_UNITS];
	CHAR16 wpath[PATH_MAX_CHARS];
	EFI_HANDLE volume;
	struct diag ignored;

	if (!stub_info(file, u, info, sizeof(info)))
		return;
	/* (systemd-stub 252 on owns StubInfo: it overwrites any) */
	set_string("StubInfo", info);
	if (stub->features)
		set_raw("StubFeatures", &stub->features, sizeof(stub->features));
	if (stub->profile_prefix)
		bli_set_decimal("StubProfile", profile);
	/* 257 on, the stub reports the partition and the path it was loaded
	 * from (its loaded image's device and FilePath): the image's, a file
	 * on a volume; a URL's image was on none */
	if ((stub->features & STUB_FEATURE_REPORT_STUB_PARTITION) &&
	    url_scheme_of(path) == URL_NONE &&
	    !file_volume("unified kernel image", path, &volume, wpath, &ignored)) {
		size_t n = 0;

		while (wpath[n])
			n++;
		publish_partition("StubDevicePartUUID", volume);
		set_raw("StubImageIdentifier", wpath, (n + 1) * sizeof(CHAR16));
	}
}

void bli_abandon(void)
{
	static const char *const names[] = {
		"LoaderBootCountPath", "StubPcrKernelImage", "StubPcrKernelParameters",
		"StubInfo", "StubFeatures", "StubProfile", "StubDevicePartUUID",
		"StubImageIdentifier",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		set_var(names[i], ATTRS, NULL, 0);
}

void bli_publish(void)
{
	uint64_t features = FEATURE_CONFIG_TIMEOUT | FEATURE_CONFIG_TIMEOUT_ONE_SHOT |
			    FEATURE_ENTRY_DEFAULT | FEATURE_ENTRY_ONESHOT |
			    FEATURE_BOOT_COUNTING | FEATURE_XBOOTLDR |
			    FEATURE_RANDOM_SEED | FEATURE_LOAD_DRIVER |
			    FEATURE_SORT_KEY |
			    FEATURE_SAVED_ENTRY | FEATURE_DEVICETREE |
			    FEATURE_MENU_DISABLE | FEATURE_MULTI_PROFILE_UKI |
			    FEATURE_REPORT_URL | FEATURE_TYPE1_UKI |
			    FEATURE_TYPE1_UKI_URL;
	EFI_SYSTEM_TABLE *st = efi.st;
	char text[VAR_MAX_UNITS];

	bli_set_decimal("LoaderTimeInitUSec", timing_start_us());
	set_string("LoaderInfo", "efikexec " EFIKEXEC_VERSION);
	/* as systemd-boot writes them: "EDK II 1.00", "UEFI 2.70" */
	ucs2_to_utf8(st->FirmwareVendor, VAR_MAX_UNITS, text, sizeof(text));
	fmt_snprintf(text + strlen(text), sizeof(text) - strlen(text), " %u.%02u",
		     st->FirmwareRevision >> 16, st->FirmwareRevision & 0xffff);
	set_string("LoaderFirmwareInfo", text);
	fmt_snprintf(text, sizeof(text), "UEFI %u.%02u", st->Hdr.Revision >> 16,
		     st->Hdr.Revision & 0xffff);
	set_string("LoaderFirmwareType", text);
	set_raw("LoaderFeatures", &features, sizeof(features));
	publish_partition("LoaderDevicePartUUID", efi.loaded->DeviceHandle);
	if (bli_device_url())
		set_string("LoaderDeviceURL", bli_device_url());
	publish_image_path();
	if (bli.entries)
		set_raw("LoaderEntries", bli.entries,
			bli.entries_units * sizeof(CHAR16));
	if (bli.selected)
		set_string("LoaderEntrySelected", bli.selected);
	if (bli.counted)
		count_try(bli.counted);
	if (bli.last_booted == BLS_LAST_WRITE)
		set_string_as("LoaderEntryLastBooted", ATTRS_NV, bli.selected);
	else if (bli.last_booted == BLS_LAST_DELETE)
		set_var("LoaderEntryLastBooted", 0, NULL, 0);
	bli_set_decimal("LoaderTimeExecUSec", timing_now_us());
}
