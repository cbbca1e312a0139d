#include "efi/random_seed.h"

#include "core/console.h"
#include "core/machine.h"
#include "efi/efi.h"
#include "efi/secureboot.h"
#include "lib/mem.h"
#include "lib/sha256.h"

#include <stdbool.h>

/* Linux include/linux/efi.h: LINUX_EFI_RANDOM_SEED_TABLE_GUID and
 * struct linux_efi_random_seed, which drivers/firmware/efi/efi.c reads
 * (at most 1 KiB of it) and credits as the boot loader's randomness */
#define RANDOM_SEED_TABLE_GUID \
	{ 0x1ce1e5bc, 0x7ceb, 0x42f2, { 0x81, 0xe5, 0x8a, 0xad, 0xf1, 0x80, 0xf5, 0x7b } }
struct seed_table {
	uint32_t size;
	uint8_t bits[];
};

/* systemd-boot's sizes (src/boot/efi/random-seed.c): the seed it hands
 * on and writes back is one SHA-256 digest, 256 bits, what Linux's RNG
 * wants; the file may be 32 bytes to 32 KiB. A previous table larger than
 * 512 bytes is taken for corrupt, as Linux's EFI stub takes it
 * (drivers/firmware/efi/libstub/random.c). */
#define SEED_SIZE SHA256_SIZE
#define FILE_MIN SEED_SIZE
#define FILE_MAX (32u << 10)
#define PREVIOUS_MAX 512
#define TOKEN_MAX 256

/* systemd-boot's, so that the scheme is exactly its scheme */
static const char label[] = "systemd-boot random seed label v1";

static EFI_GUID table_guid = RANDOM_SEED_TABLE_GUID;
static EFI_GUID rng_guid = EFI_RNG_PROTOCOL_GUID;
static EFI_GUID fs_guid = EFI_SIMPLE_FILE_SYSTEM_PROTOCOL_GUID;
static EFI_GUID file_info_guid = EFI_FILE_INFO_ID;
/* systemd's vendor GUID, for LoaderSystemToken */
static EFI_GUID loader_guid = { 0x4a67b082, 0x0a4c, 0x41cf,
				{ 0xb6, 0xc7, 0x44, 0x0b, 0x29, 0xbb, 0x8c, 0x4f } };

/* Clears what must not outlive its use, where the compiler cannot
 * drop the stores. */
static void wipe(void *p, size_t n)
{
	memset(p, 0, n);
	__asm__ volatile("" : : "r"(p) : "memory");
}

/* One input of the key: its size (a size_t, 8 bytes little-endian, as
 * systemd-boot hashes it on x86-64), then its bytes. */
static void mix(struct sha256 *c, const void *p, size_t n)
{
	sha256_update(c, &n, sizeof(n));
	sha256_update(c, p, n);
}

/* SHA-256(key || n): 0 for the file, 1 for the kernel */
static void derive(const uint8_t key[SEED_SIZE], uint8_t n, uint8_t out[SEED_SIZE])
{
	struct sha256 c;

	sha256_init(&c);
	sha256_update(&c, key, SEED_SIZE);
	sha256_update(&c, &n, 1);
	sha256_final(&c, out);
	wipe(&c, sizeof(c));
}

static struct seed_table *previous_table(void)
{
	for (UINTN i = 0; i < efi.st->NumberOfTableEntries; i++)
		if (!memcmp(&efi.st->ConfigurationTable[i].VendorGuid, &table_guid,
			    sizeof(EFI_GUID)))
			return efi.st->ConfigurationTable[i].VendorTable;
	return NULL;
}

/* \loader\random-seed opened for reading and writing, or NULL: silently
 * when there is none to use (no file system, no file, a read-only
 * volume, as systemd-boot) */
static EFI_FILE_HANDLE open_seed_file(void)
{
	EFI_SIMPLE_FILE_SYSTEM_PROTOCOL *fs;
	EFI_FILE_HANDLE root, f;
	EFI_STATUS s;

	if (EFI_ERROR(efi.bs->HandleProtocol(efi.loaded->DeviceHandle, &fs_guid,
					     (void **)&fs)))
		return NULL;
	s = fs->OpenVolume(fs, &root);
	if (!EFI_ERROR(s)) {
		s = root->Open(root, &f, (CHAR16 *)L"\\loader\\random-seed",
			       EFI_FILE_MODE_READ | EFI_FILE_MODE_WRITE, 0);
		root->Close(root);
	}
	if (!EFI_ERROR(s))
		return f;
	if (s != EFI_NOT_FOUND && s != EFI_WRITE_PROTECTED)
		con_warn("cannot open '\\loader\\random-seed' to refresh it: %s; it is not used",
			 efi_status_text(s));
	return NULL;
}

/* The seed file's contents (*size bytes), or NULL. */
static uint8_t *read_seed_file(EFI_FILE_HANDLE f, UINTN *size)
{
	union {
		EFI_FILE_INFO info;
		uint8_t bytes[sizeof(EFI_FILE_INFO) + 64 * sizeof(CHAR16)];
	} u;
	UINTN n = sizeof(u);
	uint8_t *buf = NULL;
	EFI_STATUS s = f->GetInfo(f, &file_info_guid, &n, &u);

	if (!EFI_ERROR(s)) {
		n = u.info.FileSize;
		if (n < FILE_MIN || n > FILE_MAX) {
			con_warn("'\\loader\\random-seed' is %llu bytes, not %u to %u; it is not used",
				 (unsigned long long)u.info.FileSize, FILE_MIN, FILE_MAX);
			return NULL;
		}
		if (!(buf = pages_alloc(n, UINT64_MAX, PAGES_DATA)))
			s = EFI_OUT_OF_RESOURCES;
		else
			s = f->Read(f, &n, buf);
		if (!EFI_ERROR(s) && n == u.info.FileSize) {
			*size = n;
			return buf;
		}
		if (buf)
			wipe(buf, u.info.FileSize);
	}
	con_warn("reading '\\loader\\random-seed' failed: %s; it is not used",
		 efi_status_text(EFI_ERROR(s) ? s : EFI_DEVICE_ERROR));
	return NULL;
}

/* The file's new contents, the first seed and zeros after it (as
 * systemd-boot leaves a longer file: never truncated), written over the
 * old ones and flushed. */
static EFI_STATUS write_seed_file(EFI_FILE_HANDLE f, uint8_t *buf, UINTN size,
				  const uint8_t seed[SEED_SIZE])
{
	UINTN n = size;
	EFI_STATUS s;

	memcpy(buf, seed, SEED_SIZE);
	s = f->SetPosition(f, 0);
	if (!EFI_ERROR(s))
		s = f->Write(f, &n, buf);
	if (!EFI_ERROR(s) && n != size)
		s = EFI_DEVICE_ERROR;
	if (!EFI_ERROR(s))
		s = f->Flush(f);
	wipe(buf, SEED_SIZE);
	return s;
}

/* systemd-boot 253 and later (src/boot/efi/random-seed.c):
 *   key = SHA-256(label || n1 || input1 || ... || n6 || input6)
 * over the previous table's seed, 32 bytes of the RNG, LoaderSystemToken,
 * the seed file, the monotonic count and the time (each its size first;
 * 0 and nothing for what is missing); SHA-256(key || 0) replaces the file,
 * SHA-256(key || 1) goes to the kernel. Without the RNG or a previous
 * table of 32 bytes or more, the file alone must not seed the kernel
 * under Secure Boot or without a system token of 32 bytes or more. */
void random_seed_install(void)
{
	struct sha256 c;
	uint8_t rnd[SEED_SIZE], key[SEED_SIZE], token[TOKEN_MAX];
	uint8_t *buf = NULL;
	UINTN token_size = sizeof(token), size = 0, rnd_size = 0;
	struct seed_table *prev = previous_table(), *t;
	uint32_t prev_size = prev && prev->size <= PREVIOUS_MAX ? prev->size : 0;
	bool seeded = prev_size >= SEED_SIZE, refreshed = false;
	EFI_RNG_PROTOCOL *rng;
	EFI_FILE_HANDLE f;
	UINT64 count = 0;
	EFI_TIME now;
	EFI_STATUS s;

	sha256_init(&c);
	sha256_update(&c, label, sizeof(label) - 1);
	mix(&c, prev ? prev->bits : NULL, prev_size);

	if (!EFI_ERROR(efi.bs->LocateProtocol(&rng_guid, NULL, (void **)&rng))) {
		s = rng->GetRNG(rng, NULL, SEED_SIZE, rnd);
		if (EFI_ERROR(s))
			con_warn("the firmware's random number generator failed: %s",
				 efi_status_text(s));
		else
			rnd_size = SEED_SIZE;
	}
	seeded |= rnd_size != 0;
	if (!seeded && secureboot_mode() != SECURE_BOOT_DISABLED)
		goto out;
	mix(&c, rnd, rnd_size);

	/* bootctl writes 32 bytes; a token too large for token[] is none */
	if (EFI_ERROR(efi.rt->GetVariable((CHAR16 *)L"LoaderSystemToken",
					  &loader_guid, NULL, &token_size, token)))
		token_size = 0;
	if (!seeded && token_size < SEED_SIZE)
		goto out;
	mix(&c, token, token_size);
	wipe(token, sizeof(token));

	if ((f = open_seed_file()) && !(buf = read_seed_file(f, &size))) {
		f->Close(f);
		f = NULL;
	}
	mix(&c, buf, size);
	if (buf)
		wipe(buf, size); /* now the zeros written after the new seed */

	if (EFI_ERROR(efi.bs->GetNextMonotonicCount(&count)) && !seeded)
		goto close;
	mix(&c, &count, sizeof(count));
	mix(&c, &now, EFI_ERROR(efi.rt->GetTime(&now, NULL)) ? 0 : sizeof(now));
	sha256_final(&c, key);

	if (f) {
		derive(key, 0, rnd);
		s = write_seed_file(f, buf, size, rnd);
		refreshed = !EFI_ERROR(s);
		if (!refreshed)
			con_warn("writing '\\loader\\random-seed' failed: %s; %s",
				 efi_status_text(s),
				 seeded ? "the kernel's seed rests on the firmware's randomness"
					: "the kernel gets no seed");
	}
	/* what the file held is never handed on unless it was replaced */
	if (!seeded && !refreshed)
		goto close;
	s = efi.bs->AllocatePool(EfiACPIReclaimMemory, sizeof(*t) + SEED_SIZE,
				 (void **)&t);
	if (!EFI_ERROR(s)) {
		t->size = SEED_SIZE;
		derive(key, 1, t->bits);
		s = efi.bs->InstallConfigurationTable(&table_guid, t);
		if (EFI_ERROR(s)) {
			wipe(t->bits, SEED_SIZE);
			efi.bs->FreePool(t);
		}
	}
	if (EFI_ERROR(s))
		con_warn("cannot install the kernel's random seed table: %s",
			 efi_status_text(s));
	else if (prev) {
		/* replaced: its seed went into ours (Linux's EFI stub and
		 * systemd-boot free it likewise) */
		wipe(prev, sizeof(*prev) + prev_size);
		efi.bs->FreePool(prev);
	}
close:
	if (f)
		f->Close(f);
out:
	wipe(&c, sizeof(c));
	wipe(key, sizeof(key));
	wipe(rnd, sizeof(rnd));
}
