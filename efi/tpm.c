#include "efi/tpm.h"

#include "core/console.h"
#include "efi/bli.h"
#include "efi/efi.h"
#include "core/machine.h"
#include "lib/fmt.h"
#include "lib/mem.h"
#include "lib/tcg_log.h"
#include "lib/utf.h"

#include <stddef.h>

/* TCG EFI Protocol Specification 1.22, §6: EFI_TCG2_PROTOCOL (gnu-efi has
 * no definition of it; its GUID is efi_tcg2_guid). */
#define TCG2_FINAL_EVENTS_TABLE_GUID \
	{ 0x1e2ed096, 0x30e2, 0x4254, { 0xbd, 0x89, 0x86, 0x3b, 0xbe, 0xf8, 0x23, 0x25 } }
/* Linux include/linux/efi.h: LINUX_EFI_TPM_EVENT_LOG_GUID */
#define LINUX_TPM_EVENT_LOG_GUID \
	{ 0xb7799cb0, 0xeca2, 0x4943, { 0x96, 0x67, 0x1f, 0xae, 0x07, 0xb7, 0x47, 0xfa } }

#define EVENT_LOG_FORMAT_TCG_2 2
#define EV_IPL 0x0d
#define EV_EVENT_TAG 0x06
/* GRUB's choice (docs/grub.texi, "Measured Boot"): strings in 8, files in 9 */
#define PCR_STRINGS 8
#define PCR_FILES 9
/* systemd's TPM2_PCR_KERNEL_BOOT (docs/TPM2_PCR_MEASUREMENTS.md); its
 * TPM2_PCR_KERNEL_CONFIG is the stub's cmdline_pcr (boot/systemd_stub.h) */
#define PCR_UKI 11

typedef struct tcg2_protocol TCG2_PROTOCOL;
struct tcg2_protocol {
	void *GetCapability;
	EFI_STATUS(EFIAPI *GetEventLog)(TCG2_PROTOCOL *this, UINT32 format,
					EFI_PHYSICAL_ADDRESS *location,
					EFI_PHYSICAL_ADDRESS *last_entry,
					BOOLEAN *truncated);
	EFI_STATUS(EFIAPI *HashLogExtendEvent)(TCG2_PROTOCOL *this, UINT64 flags,
					       EFI_PHYSICAL_ADDRESS data,
					       UINT64 data_len, void *event);
	void *SubmitCommand;
	void *GetActivePcrBanks;
	void *SetActivePcrBanks;
	void *GetResultOfSetActivePcrBanks;
};

/* EFI_TCG2_EVENT (§6.6.5): packed, the event data follows the header */
struct tcg2_event {
	uint32_t size; /* of the whole structure, data included */
	uint32_t header_size;
	uint16_t header_version;
	uint32_t pcr;
	uint32_t type;
	uint8_t data[];
} __attribute__((packed));
_Static_assert(offsetof(struct tcg2_event, header_size) == 4, "header");
_Static_assert(offsetof(struct tcg2_event, pcr) == 10, "pcr");
_Static_assert(offsetof(struct tcg2_event, data) == 18, "data");
#define TCG2_EVENT_HEADER_SIZE 14

/* EFI_TCG2_FINAL_EVENTS_TABLE (§6.3) */
struct final_events {
	uint64_t version;
	uint64_t nevents;
	uint8_t events[];
};

/* Linux include/linux/tpm_eventlog.h: struct linux_efi_tpm_eventlog */
struct linux_tpm_log {
	uint32_t size;
	uint32_t final_events_preboot_size;
	uint8_t version;
	uint8_t log[];
};
_Static_assert(offsetof(struct linux_tpm_log, version) == 8, "version");
_Static_assert(offsetof(struct linux_tpm_log, log) == 9, "log");

#define MAX_EVENT_DATA 512

static EFI_GUID final_events_guid = TCG2_FINAL_EVENTS_TABLE_GUID;
static EFI_GUID linux_log_guid = LINUX_TPM_EVENT_LOG_GUID;
static bool published;

/* One event of that type into pcr: the digest of data[0, size), and the
 * n bytes at event_data as its event data (what the log shows of it);
 * what names it in a warning. */
static void measure_event(TCG2_PROTOCOL *tcg, uint32_t pcr, uint32_t type,
			  const void *data, uint64_t size,
			  const void *event_data, size_t n, const char *what,
			  unsigned *count)
{
	union {
		struct tcg2_event ev;
		uint8_t bytes[sizeof(struct tcg2_event) + MAX_EVENT_DATA];
	} u;
	/* (a long command line's does not fit here) */
	struct tcg2_event *ev = n <= MAX_EVENT_DATA ? &u.ev :
				efi_alloc(sizeof(*ev) + n);
	EFI_STATUS s = EFI_OUT_OF_RESOURCES;

	if (ev) {
		*ev = (struct tcg2_event){
			.size = (uint32_t)(sizeof(*ev) + n),
			.header_size = TCG2_EVENT_HEADER_SIZE,
			.header_version = 1,
			.pcr = pcr,
			.type = type,
		};
		memcpy(ev->data, event_data, n);
		s = tcg->HashLogExtendEvent(tcg, 0, (EFI_PHYSICAL_ADDRESS)(uintptr_t)data,
					    size, ev);
	}
	if (EFI_ERROR(s)) {
		con_warn("measuring '%s' into PCR %u failed: %s; the PCRs will not show this boot",
			 what, pcr, efi_status_text(s));
		return;
	}
	(*count)++;
}

/* One EV_IPL event, as measure_event() */
static void measure(TCG2_PROTOCOL *tcg, uint32_t pcr, const void *data,
		    uint64_t size, const void *event_data, size_t n,
		    const char *what, unsigned *count)
{
	measure_event(tcg, pcr, EV_IPL, data, size, event_data, n, what, count);
}

/* One tagged event into the stub's command line PCR, as the stub logs
 * one (stub_tagged_event()): the digest of data[0, size) (NULL: of the
 * description in UTF-16 with the NUL). Returns what the stub counts
 * towards StubPcrKernelParameters: false once it measured one, if its
 * release does not note that it did (tagged_unmeasured). */
static bool measure_tagged(TCG2_PROTOCOL *tcg, uint32_t tag, const void *data,
			   uint64_t size, const char *description,
			   const struct stub_release *stub, const char *what,
			   unsigned *count)
{
	uint8_t ev[8 + 2 * (STUB_TAGGED_DESCRIPTION_MAX + 1)];
	size_t n = stub_tagged_event(tag, description, ev, sizeof(ev));
	unsigned before = *count;

	/* (a name longer than any file system's gives no event data: the
	 * stub would measure it, efikexec cannot; a PCR that differs) */
	if (!n) {
		con_warn("'%s' not measured into PCR %u: its name is longer than %u characters",
			 what, stub->cmdline_pcr, STUB_TAGGED_DESCRIPTION_MAX);
		return false;
	}
	measure_event(tcg, stub->cmdline_pcr, EV_EVENT_TAG, data ? data : ev + 8,
		      data ? size : n - 8, ev, n, what, count);
	return *count == before || !stub->tagged_unmeasured;
}

/* The profile of a multi-profile image booted, as its stub measures one
 * other than the first (257's measure_profile()): its number in decimal
 * as a tagged event. Returns as measure_tagged(). */
static bool measure_profile(TCG2_PROTOCOL *tcg, unsigned profile,
			    const struct stub_release *stub, unsigned *count)
{
	char digits[11];

	if (!profile)
		return true;
	fmt_snprintf(digits, sizeof(digits), "%u", profile);
	return measure_tagged(tcg, STUB_PROFILE_EVENT_TAG, NULL, 0, digits, stub,
			      "the profile", count);
}

/* The add-ons' sections of one kind, in the order l has them, each as a
 * tagged event named by its add-on's file: devicetrees (255's
 * dtb_install_addons(), 257's install_addon_devicetrees()), microcode
 * and initrds (257's measure_and_append_ucode_addons() and
 * measure_and_append_initrd_addons()). Returns as measure_tagged() for
 * each. */
static bool measure_parts(TCG2_PROTOCOL *tcg, const struct stub_lines *l,
			  enum uki_section_id section, uint32_t tag,
			  const struct stub_release *stub, unsigned *count)
{
	bool ok = true;

	for (size_t i = 0; i < l->nparts; i++) {
		const struct addon_part *p = &l->parts[i];

		if (p->section == section)
			ok &= measure_tagged(tcg, tag, p->data, p->size, p->name,
					     stub, p->name, count);
	}
	return ok;
}

/* The add-ons' devicetrees (measure_parts()) */
static bool measure_dtbs(TCG2_PROTOCOL *tcg, const struct stub_lines *l,
			 const struct stub_release *stub, unsigned *count)
{
	return measure_parts(tcg, l, UKI_DTB, STUB_DEVICETREE_ADDON_EVENT_TAG,
			     stub, count);
}

/* One event with text as its event data, with its NUL, as GRUB logs
 * strings. */
static void measure_text(TCG2_PROTOCOL *tcg, uint32_t pcr, const void *data,
			 uint64_t size, const char *text, unsigned *count)
{
	measure(tcg, pcr, data, size, text, strlen(text) + 1, text, count);
}

/* A unified kernel image's sections into PCR 11 as its systemd-stub
 * measures them (boot/systemd_stub.h): for each, in the stub's order, an
 * event for its name with the NUL, then one for its contents, both with
 * the name in UTF-16 with the NUL as event data. Returns whether all
 * were measured. */
static bool measure_sections(TCG2_PROTOCOL *tcg, const uint8_t *file,
			     const struct uki *uki,
			     const struct stub_release *stub, unsigned *count)
{
	enum uki_section_id ids[UKI_NSECTIONS];
	size_t n = stub_pcr11(stub, uki, ids);
	unsigned want = *count + 2 * (unsigned)n;

	for (size_t i = 0; i < n; i++) {
		const char *name = uki_section_name(ids[i]);
		uint16_t wide[9];
		size_t len = utf8_to_ucs2(name, wide, 9) + 1;

		measure(tcg, PCR_UKI, name, strlen(name) + 1, wide, len * 2, name,
			count);
		measure(tcg, PCR_UKI, file + uki->sec[ids[i]].offset,
			uki->sec[ids[i]].size, wide, len * 2, name, count);
	}
	return n && *count == want;
}

/* A part of a unified kernel image's command line, as its stub measures
 * its load options (tpm_log_load_options()): the line in UTF-16 with its
 * NUL, the same bytes as event data. Returns whether it was measured. */
static bool measure_stub_line(TCG2_PROTOCOL *tcg, const char *cmdline,
			      const struct stub_release *stub, unsigned *count)
{
	size_t units = utf8_to_ucs2(cmdline, NULL, 0) + 1;
	uint16_t *wide = efi_alloc(units * sizeof(*wide));
	unsigned want = *count + 1;

	if (!wide) {
		con_warn("no memory to measure the command line into PCR %u",
			 stub->cmdline_pcr);
		return false;
	}
	utf8_to_ucs2(cmdline, wide, units);
	measure(tcg, stub->cmdline_pcr, wide, units * sizeof(*wide), wide,
		units * sizeof(*wide), "the command line", count);
	return *count == want;
}

/* The parts of a unified kernel image's command line that its stub
 * measures, in its order: the line given in place of the image's own,
 * its add-ons' lines, the SMBIOS line. Returns whether each was. */
static bool measure_stub_lines(TCG2_PROTOCOL *tcg, const struct stub_lines *l,
			       const struct stub_release *stub, unsigned *count)
{
	bool ok = true;

	if (l->given)
		ok &= measure_stub_line(tcg, l->given, stub, count);
	for (size_t i = 0; i < l->naddons; i++)
		ok &= measure_stub_line(tcg, l->addons[i], stub, count);
	if (l->smbios)
		ok &= measure_stub_line(tcg, l->smbios, stub, count);
	return ok;
}

/* The archives a unified kernel image's stub makes (core/extras.h), each
 * that it measures as one event with its description in UTF-16 with the
 * NUL as event data; then the add-ons' microcode and initrds (l, 257);
 * then the variables that say so, as the stub sets them
 * (stub_says_measured()). given_ok: the profile and each part of the
 * command line the stub measures (measure_stub_lines()) were measured. */
static void measure_extras(TCG2_PROTOCOL *tcg, const struct extra_archive *a,
			   size_t n, const struct stub_lines *l,
			   const struct stub_release *stub, bool given_ok,
			   unsigned *count)
{
	uint32_t made = 0, measured = 0;

	for (size_t i = 0; i < n; i++) {
		uint16_t wide[64];
		size_t len;
		unsigned before = *count;

		made |= 1u << a[i].id;
		if (!a[i].pcr)
			continue;
		len = utf8_to_ucs2(a[i].description, wide, 64) + 1;
		measure(tcg, a[i].pcr, a[i].data, a[i].size, wide,
			len * sizeof(*wide), a[i].description, count);
		if (*count == before + 1)
			measured |= 1u << a[i].id;
	}
	given_ok &= measure_parts(tcg, l, UKI_UCODE, STUB_UCODE_ADDON_EVENT_TAG,
				  stub, count);
	given_ok &= measure_parts(tcg, l, UKI_INITRD, STUB_INITRD_ADDON_EVENT_TAG,
				  stub, count);
	if (given_ok && stub_says_measured(stub, EXTRA_CREDENTIALS, made, measured))
		bli_set_decimal("StubPcrKernelParameters", stub->cmdline_pcr);
	if (stub_says_measured(stub, EXTRA_SYSEXT, made, measured))
		bli_set_decimal("StubPcrInitRDSysExts", stub->sysext_pcr);
	if (stub_says_measured(stub, EXTRA_CONFEXT, made, measured))
		bli_set_decimal("StubPcrInitRDConfExts", stub->cmdline_pcr);
}

/* The size of the events in the final events table now: those Linux
 * must not take twice (they are in the copy of the log too). False when
 * the table cannot be read: then Linux would take them twice. */
static bool final_events_size(const struct tcg_log_algs *algs, uint32_t *size)
{
	const struct final_events *t = efi_config_table(&final_events_guid);
	size_t off = 0;

	for (uint64_t i = 0; t && i < t->nevents; i++) {
		/* the firmware sized the table for its events: each event's
		 * own fields bound it */
		size_t n = tcg_event_parse(t->events + off, SIZE_MAX - off, algs, NULL);
		if (!n || off + n > UINT32_MAX)
			return false;
		off += n;
	}
	*size = (uint32_t)off;
	return true;
}

/* Copies the event log, as it stands with our events in it, for Linux:
 * entered without its EFI stub, Linux finds the log only through this
 * table (drivers/firmware/efi/tpm.c). */
static void publish_log(TCG2_PROTOCOL *tcg)
{
	EFI_PHYSICAL_ADDRESS first, last;
	BOOLEAN truncated;
	struct tcg_log_algs algs;
	struct linux_tpm_log *copy;
	const uint8_t *log;
	size_t spec, last_size, size;

	if (EFI_ERROR(tcg->GetEventLog(tcg, EVENT_LOG_FORMAT_TCG_2, &first, &last,
				       &truncated)) ||
	    !first || last < first)
		return;
	log = (const uint8_t *)(uintptr_t)first;
	spec = tcg_log_spec_id(log, SIZE_MAX - first, &algs);
	last_size = spec ? tcg_event_parse((const uint8_t *)(uintptr_t)last,
					   SIZE_MAX - last, &algs, NULL) : 0;
	size = last - first + last_size;
	if (!last_size || size > UINT32_MAX) {
		con_warn("the firmware's TPM event log is malformed; Linux will not see it");
		return;
	}
	/* ACPI reclaim memory, as Linux's EFI stub allocates it: the next
	 * kernel keeps it until it has read the log */
	copy = pages_alloc(sizeof(*copy) + size, UINT64_MAX, PAGES_ACPI_RECLAIM);
	if (!copy)
		return;
	if (!final_events_size(&algs, &copy->final_events_preboot_size)) {
		con_warn("the firmware's final TPM events table is malformed; Linux will not see the event log");
		return;
	}
	copy->size = (uint32_t)size;
	copy->version = EVENT_LOG_FORMAT_TCG_2;
	memcpy(copy->log, log, size);
	if (truncated)
		con_warn("the firmware's TPM event log is truncated");
	published = !EFI_ERROR(efi.bs->InstallConfigurationTable(&linux_log_guid, copy));
}

void tpm_measure(const struct load_record *files, const char *cmdline,
		 const struct module *mods, size_t nmods, const uint8_t *uki_file,
		 const struct uki *uki, const struct stub_release *stub,
		 const struct stub_lines *lines, const struct extra_archive *extras,
		 size_t nextras)
{
	TCG2_PROTOCOL *tcg;
	char text[MAX_EVENT_DATA];
	unsigned count = 0;

	if (!(tcg = efi_protocol(NULL, &efi_tcg2_guid)))
		return;
	for (size_t i = 0; i < files->n; i++)
		measure_text(tcg, PCR_FILES, files->file[i].data, files->file[i].size,
			     files->file[i].path, &count);
	fmt_snprintf(text, sizeof(text), "kernel_cmdline: %s", cmdline);
	measure_text(tcg, PCR_STRINGS, cmdline, strlen(cmdline), text, &count);
	for (size_t i = 0; i < nmods; i++) {
		if (!*mods[i].args)
			continue;
		fmt_snprintf(text, sizeof(text), "module_cmdline: %s", mods[i].args);
		measure_text(tcg, PCR_STRINGS, mods[i].args, strlen(mods[i].args),
			     text, &count);
	}
	/* and what the stub says it measured: systemd-pcrphase extends
	 * PCR 11 in the booted system only when StubPcrKernelImage is set */
	if (uki_file) {
		/* (the profile first, as the stub measures it) */
		bool parameters = measure_profile(tcg, lines->profile, stub, &count);

		if (measure_sections(tcg, uki_file, uki, stub, &count))
			bli_set_decimal("StubPcrKernelImage", PCR_UKI);
		parameters &= measure_stub_lines(tcg, lines, stub, &count);
		/* (measured after the archives, as 255 and 256 do, the
		 * add-ons' devicetrees change none of the variables) */
		if (stub->addon_dtbs_first)
			parameters &= measure_dtbs(tcg, lines, stub, &count);
		measure_extras(tcg, extras, nextras, lines, stub, parameters,
			       &count);
		if (!stub->addon_dtbs_first)
			measure_dtbs(tcg, lines, stub, &count);
	}
	publish_log(tcg);
	con_note("measured %u events into the TPM", count);
}

void tpm_unpublish(void)
{
	if (published)
		efi.bs->InstallConfigurationTable(&linux_log_guid, NULL);
	published = false;
}
