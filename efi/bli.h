/* The Boot Loader Interface (systemd.io/BOOT_LOADER_INTERFACE): EFI
 * variables under systemd's vendor GUID through which the booted system
 * (bootctl, systemd-analyze, systemd-gpt-auto-generator) learns what booted
 * it and how, and through which bootctl chooses the next default. */
#ifndef EFI_BLI_H
#define EFI_BLI_H

#include <stdbool.h>
#include <stddef.h>

#include "bls/choose.h"
#include "boot/systemd_stub.h"
#include "boot/uki.h"

/* Reads LoaderEntryDefault, LoaderEntryOneShot, LoaderConfigTimeout and
 * LoaderConfigTimeoutOneShot (NULL when unset). With `consume` the
 * one-shot variables are deleted once read, as their name promises. */
void bli_read_overrides(struct bls_overrides *o, bool consume);

/* The boot entries, for LoaderEntries. */
void bli_set_entries(const char *const *ids, size_t n);

/* The entry about to boot, for LoaderEntrySelected; the path of its file
 * when it counts tries (NULL: it does not); what becomes of
 * LoaderEntryLastBooted. Kept, not copied; done by bli_publish(). */
void bli_select(const char *id, const char *counted,
		enum bls_last_booted last_booted);

/* Reads the variable `name` under systemd's vendor GUID into buf: its
 * size, 0 when it is unset or larger than size. */
size_t bli_get(const char *name, void *buf, size_t size);

/* The text variable `name` under systemd's vendor GUID, as UTF-8 in
 * out[0, cap); NULL when unset. */
const char *bli_get_text(const char *name, char *out, size_t cap);

/* Sets the non-volatile text variable `name` under systemd's vendor GUID
 * to utf8, or deletes it (NULL): what the menu's keys change. */
void bli_set_nv(const char *name, const char *utf8);

/* Sets the variable `name` under systemd's vendor GUID to v in decimal
 * (UTF-16), volatile, as the interface stores numbers. */
void bli_set_decimal(const char *name, uint64_t v);

/* The URL efikexec was fetched from, when the firmware loaded it over
 * the network (HTTP boot): the URI node of its device's path, as
 * systemd-boot reads it for LoaderDeviceURL. NULL otherwise. */
const char *bli_device_url(void);

/* Sets every variable the interface defines that efikexec can fill, as
 * volatile boot- and runtime-service variables; called once the plan is
 * made, just before its final check and ExitBootServices
 * (LoaderTimeExecUSec is that moment). A variable that cannot be set is
 * skipped: the boot does not depend on them. The selected entry's file is
 * renamed now to count the try. */
void bli_publish(void);

/* StubInfo, StubFeatures and StubProfile, as the systemd-stub release
 * `stub` of the unified kernel image u (its bytes at file) sets them when
 * it boots its profile `profile` (boot/systemd_stub.h): none when the
 * image's .sdmagic names no systemd-stub; no StubFeatures when the
 * release sets none, no StubProfile before 257. */
void bli_stub(const uint8_t *file, const struct uki *u,
	      const struct stub_release *stub, unsigned profile,
	      const char *path);

/* Deletes what bli_publish() and measured boot (efi/tpm.c) set about a
 * boot that then did not happen: the count path, the stub's PCRs. */
void bli_abandon(void);

#endif
