/* The Multiboot 2 probe entered with EFI boot services kept: what
 * Multiboot2 Specification 2.0 promises a 64-bit kernel whose header has
 * the EFI boot services tag (§3.1.12) and the EFI amd64 entry address tag
 * (§3.1.8): entry there in "EFI amd64 machine state with boot services
 * enabled" (§3.5: EAX the magic, RBX the information structure, the rest
 * as UEFI §2.3.4 gives a UEFI application on x64), and the EFI tags that
 * let it use those services (§3.6.14, §3.6.20, §3.6.22). It uses them:
 * GetMemoryMap, then ExitBootServices with the image handle it was
 * given. After that it uses nothing of the firmware: COM1 and
 * isa-debug-exit through port I/O, as every probe. */
#include "boot/multiboot.h"
#include "lib/sizes.h"
#include "mb2.h"

const char probe_format[] = "multiboot2-efi";

/* entry64.asm: _start as run and as linked, probe_image_start as linked */
extern uint64_t probe_entry_runtime, probe_entry_link, probe_image_link;

/* its relocatable header tag (entry64.asm) */
#define RELOC_MIN 0x100000ull
#define RELOC_ALIGN 0x200000ull

#define RFLAGS_IF (1u << 9)
#define RFLAGS_DF (1u << 10)

void probe_check_mode(void)
{
	const struct entry_regs *r = &probe_regs;

	probe_check_long64();
	/* §3.5: EAX the magic; RBX the information structure (8-byte
	 * aligned, §3.6.2), which like everything else the loader places
	 * lies below 4 GiB */
	check((uint32_t)r->rax == MB2_LOADER_MAGIC,
	      "EAX holds the Multiboot2 magic (RAX 0x%llx)", (unsigned long long)r->rax);
	check(r->rbx && !(r->rbx & 7) && r->rbx < FOUR_GIB,
	      "RBX 0x%llx is 8-byte aligned, below 4 GiB", (unsigned long long)r->rbx);
	/* UEFI §2.3.4 (x64): direction flag clear, interrupts enabled
	 * (the boot services' timer), a 16-byte aligned stack, which entered
	 * by a jump is RSP itself, by a call RSP + 8: either */
	check(!(r->rflags & RFLAGS_DF), "the direction flag is clear");
	check(r->rflags & RFLAGS_IF,
	      "interrupts are on, as boot services run them (RFLAGS 0x%llx)",
	      (unsigned long long)r->rflags);
	check(r->rsp && !(r->rsp & 7), "RSP 0x%llx is 16-byte aligned as %s a call",
	      (unsigned long long)r->rsp, r->rsp & 8 ? "after" : "before");
}

/* ---- UEFI §4.3, §4.4, §7.2, §7.4, §9.1 ---- */

#define EFI_SYSTEM_TABLE_SIGNATURE 0x5453595320494249ull /* "IBI SYST" */
#define EFI_BOOT_SERVICES_SIGNATURE 0x56524553544f4f42ull /* "BOOTSERV" */
#define EFI_SUCCESS 0
#define EFI_INVALID_PARAMETER (0x8000000000000000ull | 2)

/* byte offsets in EFI_SYSTEM_TABLE and EFI_BOOT_SERVICES (x64) */
#define ST_BOOT_SERVICES 96
#define BS_GET_MEMORY_MAP 56
#define BS_HANDLE_PROTOCOL 152
#define BS_EXIT_BOOT_SERVICES 232
/* and in EFI_LOADED_IMAGE_PROTOCOL */
#define LI_SYSTEM_TABLE 16

/* EFI_MEMORY_TYPE: allocated memory that is the kernel's to keep after
 * ExitBootServices: EfiLoaderCode, EfiLoaderData (efikexec's),
 * EfiBootServicesCode, EfiBootServicesData (GRUB's for the kernel) */
#define EFI_KEPT(type) ((type) >= 1 && (type) <= 4)

typedef uint64_t efi_status;
typedef efi_status(__attribute__((ms_abi)) *efi_get_memory_map)(
	uint64_t *size, void *map, uint64_t *key, uint64_t *desc_size,
	uint32_t *desc_version);
typedef efi_status(__attribute__((ms_abi)) *efi_handle_protocol)(
	void *handle, const void *guid, void **interface);
typedef efi_status(__attribute__((ms_abi)) *efi_exit_boot_services)(
	void *image, uint64_t key);

/* EFI_LOADED_IMAGE_PROTOCOL_GUID 5b1b31a1-9562-11d2-8e3f-00a0c969723b */
static const struct {
	uint32_t a;
	uint16_t b, c;
	uint8_t d[8];
} loaded_image_guid = { 0x5b1b31a1, 0x9562, 0x11d2,
			{ 0x8e, 0x3f, 0x00, 0xa0, 0xc9, 0x69, 0x72, 0x3b } };

static uint64_t u64(const uint8_t *p)
{
	return mb2_u32(p) | (uint64_t)mb2_u32(p + 4) << 32;
}

static void *fn(uint64_t table, unsigned off)
{
	return (void *)(uintptr_t)u64((const uint8_t *)(uintptr_t)table + off);
}

/* The memory map from the last GetMemoryMap, the one ExitBootServices
 * took. */
static uint8_t efi_map[65536] __attribute__((aligned(8)));
static uint64_t efi_map_size, efi_desc_size;

/* [base, base + len) lies in allocated descriptors that become the
 * kernel's after ExitBootServices: the firmware gave it to nobody else
 * while its services ran, and will not hold on to it. Says where it does
 * not. */
static bool loader_owned(const char *what, uint64_t base, uint64_t len)
{
	uint64_t end = base + (len ? len : 1);

	while (base < end) {
		uint32_t type = ~0u;

		for (uint64_t o = 0; o + efi_desc_size <= efi_map_size; o += efi_desc_size) {
			const uint8_t *d = efi_map + o;
			uint64_t start = u64(d + 8), pages = u64(d + 24);

			if (base >= start && base - start < pages << 12) {
				type = mb2_u32(d);
				if (EFI_KEPT(type))
					base = start + (pages << 12);
				break;
			}
		}
		if (!EFI_KEPT(type)) {
			if (type == ~0u)
				probe_printf("probe: EFI map: %s: 0x%llx is in no descriptor\n",
					     what, (unsigned long long)base);
			else
				probe_printf("probe: EFI map: %s: 0x%llx is of type %u\n",
					     what, (unsigned long long)base, type);
			return false;
		}
	}
	return true;
}

/* Checks the system table and image handle the tags give, and exits boot
 * services with them. */
static void use_boot_services(const struct probe_view *v, const struct mb2_tags *t)
{
	uint64_t st, bs, image, key = 0;
	uint32_t desc_version = 0;
	efi_status gmm = ~0ull, ebs = ~0ull;
	void *li = NULL;
	bool retried = false;

	if (!check(t->body[MB2_IT_EFI64] && t->size[MB2_IT_EFI64] >= 16 &&
		   t->body[MB2_IT_EFI64_IH] && t->size[MB2_IT_EFI64_IH] >= 16,
		   "the EFI 64-bit system table and image handle tags are there"))
		return;
	st = u64(t->body[MB2_IT_EFI64]);
	image = u64(t->body[MB2_IT_EFI64_IH]);
	probe_printf("probe: efi_system_table=0x%llx image_handle=0x%llx\n",
		     (unsigned long long)st, (unsigned long long)image);
	if (!check(st && u64((const uint8_t *)(uintptr_t)st) == EFI_SYSTEM_TABLE_SIGNATURE,
		   "the system table has its signature"))
		return;
	bs = u64((const uint8_t *)(uintptr_t)st + ST_BOOT_SERVICES);
	if (!check(bs && u64((const uint8_t *)(uintptr_t)bs) == EFI_BOOT_SERVICES_SIGNATURE,
		   "its boot services table 0x%llx has its signature",
		   (unsigned long long)bs))
		return;
	/* the image handle is a loaded image of this system table (UEFI
	 * §9.1): efikexec's own, which ExitBootServices wants */
	check(image &&
		      ((efi_handle_protocol)fn(bs, BS_HANDLE_PROTOCOL))(
			      (void *)(uintptr_t)image, &loaded_image_guid, &li) ==
			      EFI_SUCCESS &&
		      li && u64((const uint8_t *)li + LI_SYSTEM_TABLE) == st,
	      "the image handle is a loaded image of that system table");

	/* UEFI §7.4 (ExitBootServices): a map key older than the last
	 * allocation fails with EFI_INVALID_PARAMETER; take a fresh map and
	 * try once more. Nothing is printed between the calls. */
	for (int attempt = 0; attempt < 2; attempt++) {
		efi_map_size = sizeof(efi_map);
		gmm = ((efi_get_memory_map)fn(bs, BS_GET_MEMORY_MAP))(
			&efi_map_size, efi_map, &key, &efi_desc_size, &desc_version);
		if (gmm != EFI_SUCCESS)
			break;
		ebs = ((efi_exit_boot_services)fn(bs, BS_EXIT_BOOT_SERVICES))(
			(void *)(uintptr_t)image, key);
		if (ebs != EFI_INVALID_PARAMETER)
			break;
		retried = true;
	}
	if (ebs == EFI_SUCCESS)
		__asm__ volatile("cli"); /* the firmware's IDT is ours to replace */
	check(gmm == EFI_SUCCESS && efi_desc_size >= 40,
	      "GetMemoryMap: status 0x%llx, %llu descriptors of %llu bytes, version %u",
	      (unsigned long long)gmm,
	      (unsigned long long)(efi_desc_size ? efi_map_size / efi_desc_size : 0),
	      (unsigned long long)efi_desc_size, desc_version);
	check(ebs == EFI_SUCCESS, "ExitBootServices: status 0x%llx%s",
	      (unsigned long long)ebs, retried ? " (with a second map)" : "");
	if (gmm != EFI_SUCCESS || efi_desc_size < 40)
		return;

	/* what the kernel was given stayed allocated while the firmware ran */
	uint64_t img = (uint64_t)(uintptr_t)probe_image_start;
	uint64_t img_end = (uint64_t)(uintptr_t)probe_image_end;

	check(loader_owned("own image", img, img_end - img),
	      "EFI map: own image 0x%llx-0x%llx is allocated, the kernel's after ExitBootServices",
	      (unsigned long long)img, (unsigned long long)(img_end - 1));
	check(loader_owned("boot information", v->info_start,
			   v->info_end - v->info_start),
	      "EFI map: boot information 0x%llx-0x%llx is allocated, the kernel's after ExitBootServices",
	      (unsigned long long)v->info_start, (unsigned long long)(v->info_end - 1));
	for (size_t i = 0; i < v->nmodules; i++)
		check(loader_owned("module", v->mod[i].start,
				   v->mod[i].end - v->mod[i].start),
		      "EFI map: module %zu 0x%llx-0x%llx is allocated, the kernel's after ExitBootServices", i,
		      (unsigned long long)v->mod[i].start,
		      (unsigned long long)v->mod[i].end);
}

/* Where the image is: anywhere its relocatable tag allows (§3.1.13),
 * entered at tag 9's address moved as far as the image (§3.1.8; the ELF
 * header's entry point is a stub that fails the run), and the load base
 * tag (§3.6.23) saying where. The C is position-independent, so
 * probe_image_start is where the image runs. */
static void check_placement(const struct mb2_tags *t)
{
	uint64_t img = (uint64_t)(uintptr_t)probe_image_start;
	uint64_t img_end = (uint64_t)(uintptr_t)probe_image_end;
	uint64_t delta = img - probe_image_link;

	probe_printf("probe: load_base=0x%llx linked=0x%llx\n", (unsigned long long)img,
		     (unsigned long long)probe_image_link);
	check(probe_entry_runtime - probe_entry_link == delta,
	      "entered at the EFI amd64 entry address 0x%llx, moved with the image",
	      (unsigned long long)probe_entry_runtime);
	check(img >= RELOC_MIN && img_end <= FOUR_GIB && !(img % RELOC_ALIGN),
	      "the image 0x%llx-0x%llx is where its relocatable tag allows",
	      (unsigned long long)img, (unsigned long long)(img_end - 1));
	check(t->body[MB2_IT_LOAD_BASE] && t->size[MB2_IT_LOAD_BASE] >= 12 &&
		      mb2_u32(t->body[MB2_IT_LOAD_BASE]) == img,
	      "the image load base tag says 0x%x",
	      t->body[MB2_IT_LOAD_BASE] ? mb2_u32(t->body[MB2_IT_LOAD_BASE]) : 0);
}

void probe_main(void)
{
	static struct probe_view v;
	static struct mb2_tags t;

	v.boot_services = true;
	mb2_read_info(probe_regs.rbx, &v, &t);
	check_placement(&t);
	check(t.body[MB2_IT_CMDLINE] && t.body[MB2_IT_LOADER_NAME] &&
	      t.body[MB2_IT_MEMINFO] && t.body[MB2_IT_MMAP],
	      "the requested tags are there (command line, loader, meminfo, memory map)");
	check(t.body[MB2_IT_EFI_BS] && t.size[MB2_IT_EFI_BS] == 8,
	      "the EFI boot services not terminated tag is there");
	/* §3.6.19: a loader may leave the EFI memory map out when boot
	 * services run on; efikexec does, as GRUB does: the kernel takes
	 * its own, which ExitBootServices needs anyway */
	check(!t.body[MB2_IT_EFI_MMAP], "no EFI memory map tag");
	check(!t.body[MB2_IT_EFI32] && !t.body[MB2_IT_EFI32_IH],
	      "no 32-bit EFI tags on a 64-bit firmware");
	use_boot_services(&v, &t);
	probe_finish(&v);
}
