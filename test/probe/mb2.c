/* The Multiboot 2 probe: what Multiboot2 Specification 2.0 §3.3 and §3.6
 * promise, and efikexec's own tag. */
#include "boot/multiboot.h"
#include "mb2.h"

const char probe_format[] = "multiboot2";

void probe_check_mode(void)
{
	probe_check_prot32();
	check(probe_regs.rax == MB2_LOADER_MAGIC,
	      "EAX holds the Multiboot2 magic (0x%llx)",
	      (unsigned long long)probe_regs.rax);
}

void probe_main(void)
{
	static struct probe_view v;
	static struct mb2_tags t;

	mb2_read_info(probe_regs.rbx, &v, &t);
	check(t.body[MB2_IT_CMDLINE] && t.body[MB2_IT_LOADER_NAME] &&
	      t.body[MB2_IT_MEMINFO] && t.body[MB2_IT_MMAP],
	      "the requested tags are there (command line, loader, meminfo, memory map)");
	/* Without boot services there must be no sign of them (Xen halts on
	 * an EFI system table tag then); this probe does not ask for them. */
	check(!t.body[MB2_IT_EFI64] && !t.body[MB2_IT_EFI_BS] &&
	      !t.body[MB2_IT_EFI64_IH],
	      "no EFI boot-services tags");
	probe_finish(&v);
}
