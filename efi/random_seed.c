#include "efi/random_seed.h"

#include "boot/seed_table.h"
#include "core/console.h"
#include "core/machine.h"
#include "efi/bli.h"
#include "efi/efi.h"
#include "efi/file.h"
#include "efi/secure_boot_check.h"
#include "lib/mem.h"
#include "lib/sha256.h"

/* Linux include/linux/efi.h: LINUX_EFI_RANDOM_SEED_TABLE_GUID, the
 * table (boot/seed_table.h) drivers/firmware/efi/efi.c reads (at most
 * 1 KiB of it) and credits as the boot loader's randomness */
#define RANDOM_SEED_TABLE_GUID \
	{ 0x1ce1e5bc, 0x7ceb, 0x42f2, { 0x81, 0xe5, 0x8a, 0xad, 0xf1, 0x80, 0xf5, 0x7b } }

/* systemd-boot's sizes (src/boot/efi/random-seed.c): the seed it hands
 * on and writes back is one SHA-256 digest; the file may be 32 bytes to
 * 32 KiB. */
#define SEED_SIZE SHA256_SIZE
#define FILE_MAX (32u << 10)
#define TOKEN_MAX 256
#define SEED_FILE "\\loader\\random-seed"

/* systemd-boot's, so that the scheme is exactly its scheme */
static const char label[] = "systemd-boot random seed label v1";

static EFI_GUID table_guid = RANDOM_SEED_TABLE_GUID;
static EFI_GUID rng_guid = EFI_RNG_PROTOCOL_GUID;

/* Clears what must not outlive its use, where the compiler cannot drop
 * the stores. */
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

/* SHA-256(key || n): 0 for the file, 1 for the kernel (in c, which the
 * caller wipes) */
static void derive(struct sha256 *c, const uint8_t key[SEED_SIZE], uint8_t n,
		   uint8_t out[SEED_SIZE])
{
	sha256_init(c);
	sha256_update(c, key, SEED_SIZE);
	sha256_update(c, &n, 1);
	sha256_final(c, out);
}

/* The seed file's contents (*size bytes, 32 to 32 KiB), open for writing
 * in *f, or NULL: silently when there is no file. */
static uint8_t *read_seed_file(struct open_file *f, size_t *size)
{
	uint8_t *buf = NULL;
	struct diag d;
	int rc = file_open_rw(f, "random seed", SEED_FILE, &d);

	if (rc == ERR_NOT_FOUND)
		return NULL;
	if (!rc && (f->size < SEED_SIZE || f->size > FILE_MAX))
		rc = diag_fail(&d, ERR_BAD_IMAGE, "random seed '%s' is 0x%lx bytes, not 0x20 to 0x8000",
			       SEED_FILE, f->size);
	if (!rc && !(buf = efi_alloc(f->size)))
		rc = diag_fail(&d, ERR_NO_MEMORY, "no memory for random seed '%s'",
			       SEED_FILE);
	if (!rc && !(rc = file_read_at(f, 0, buf, f->size, &d))) {
		*size = f->size;
		return buf;
	}
	file_close(f);
	con_warn("%s; it is not used", d.msg);
	return NULL;
}

/* systemd-boot 253 and later (src/boot/efi/random-seed.c):
 *   key = SHA-256(label || n1 || input1 || ... || n6 || input6)
 * over the previous table's seed, 32 bytes of the RNG, LoaderSystemToken,
 * the seed file, the monotonic count and the time (each its size first;
 * 0 and nothing for what is missing); SHA-256(key || 0) replaces the file,
 * SHA-256(key || 1) goes to the kernel. Without the RNG or a previous
 * table of 32 bytes or more, the file alone must not seed the kernel
 * under Secure Boot or without a system token of 32 bytes or more (a
 * copied disk image must not seed its copies alike). Unlike systemd-boot,
 * the table is made from the RNG even without a usable file: Linux's EFI
 * stub, which efikexec does not run, would have made it. */
void random_seed_install(void)
{
	struct seed_table *prev = efi_config_table(&table_guid);
	size_t prev_size = prev ? seed_table_used(prev) : 0;
	/* what must not outlive this function, wiped at its end */
	struct {
		struct sha256 c;
		uint8_t rnd[SEED_SIZE], key[SEED_SIZE], token[TOKEN_MAX];
	} s;
	size_t token_size = bli_get("LoaderSystemToken", s.token, sizeof(s.token));
	size_t rnd_size = 0;
	uint8_t *buf;
	bool seeded = prev_size >= SEED_SIZE;
	struct open_file f;
	struct seed_table *t;
	EFI_RNG_PROTOCOL *rng;
	UINT64 count;
	EFI_TIME now;
	struct diag d;
	size_t size = 0;

	sha256_init(&s.c);
	sha256_update(&s.c, label, sizeof(label) - 1);
	mix(&s.c, prev ? prev->bits : NULL, prev_size);
	if ((rng = efi_protocol(NULL, &rng_guid)) &&
	    !EFI_ERROR(rng->GetRNG(rng, NULL, SEED_SIZE, s.rnd)))
		rnd_size = SEED_SIZE;
	seeded |= rnd_size != 0;
	mix(&s.c, s.rnd, rnd_size);
	if (!seeded && (token_size < SEED_SIZE ||
			efi_secure_boot_mode() != SECURE_BOOT_DISABLED))
		goto out;
	mix(&s.c, s.token, token_size);
	buf = read_seed_file(&f, &size);
	mix(&s.c, buf, size);
	if (EFI_ERROR(efi.bs->GetNextMonotonicCount(&count)))
		count = 0;
	mix(&s.c, &count, sizeof(count));
	mix(&s.c, &now, EFI_ERROR(efi.rt->GetTime(&now, NULL)) ? 0 : sizeof(now));
	sha256_final(&s.c, s.key);
	if (buf) {
		/* the new seed, then zeros: a longer file is never truncated,
		 * as systemd-boot leaves it; written and flushed before anything
		 * derived from the old one is handed on */
		wipe(buf, size);
		derive(&s.c, s.key, 0, buf);
		if (file_write_at(&f, 0, buf, size, &d))
			con_warn("%s; %s", d.msg, seeded ? "the seed comes from the firmware's RNG alone"
							 : "the kernel gets no seed");
		else
			seeded = true;
		wipe(buf, SEED_SIZE);
		file_close(&f);
	}
	if (!seeded ||
	    EFI_ERROR(efi.bs->AllocatePool(EfiACPIReclaimMemory, sizeof(*t) + SEED_SIZE,
					   (void **)&t)))
		goto out;
	t->size = SEED_SIZE;
	derive(&s.c, s.key, 1, t->bits);
	/* A previous table is replaced: its seed went into this one, and it
	 * is wiped and freed only now, so that the kernel gets that seed
	 * whatever failed before. */
	if (EFI_ERROR(efi.bs->InstallConfigurationTable(&table_guid, t))) {
		wipe(t->bits, SEED_SIZE);
		efi.bs->FreePool(t);
		con_warn("cannot install the kernel's random seed table");
	} else if (prev && seed_table_wipe(prev)) {
		efi.bs->FreePool(prev);
	}
out:
	wipe(&s, sizeof(s));
}
