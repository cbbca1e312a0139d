/* Everything one boot attempt builds, from the options to the checked plan
 * (core/boot_sequence.c), and what the front end's machine_commit() and
 * machine_leave() (core/machine.h) read of it. The caller of
 * boot_sequence() owns it, and each step is handed it: what a step reads
 * and writes is in its signature, and two sessions can be held at once. */
#ifndef CORE_SESSION_H
#define CORE_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "boot/format.h"
#include "boot/handoff_record.h"
#include "boot/systemd_stub.h"
#include "boot/uki.h"
#include "core/extras.h"
#include "core/load.h"
#include "core/machine.h"
#include "core/options.h"
#include "cpu/cpus.h"
#include "cpu/facts.h"
#include "cpu/policy.h"
#include "relocate/plan.h"

struct session {
	struct options opt;
	const uint8_t *image;
	size_t image_size;
	/* While the rest of the kernel file waits to be read to its place:
	 * the bytes of its head in `image` (core/load.h), the file open.
	 * 0: `image` holds all of it. */
	size_t head_read;
	struct open_file kernel_file;
	/* why the kernel is not read to its place but copied there after
	 * ExitBootServices (NULL: it is read there) */
	const char *copied_why;
	/* the unified kernel image the kernel is the .linux section of;
	 * NULL: the kernel file is the kernel */
	const uint8_t *uki_file;
	struct uki uki;
	/* what its systemd-stub does with it, which efikexec does too */
	const struct stub_release *stub;
	/* the command line given for it replaced the image's own: measured
	 * as the stub measures it (stub->cmdline_pcr) */
	bool uki_cmdline_given;
	/* what its stub measures besides its archives: each part of the
	 * command line (the line given, its add-ons' lines, the SMBIOS
	 * line) and its add-ons' devicetrees (core/extras.h) */
	struct stub_lines uki_lines;
	/* the archives its stub would add to its initrd (core/extras.h) */
	struct extra_archive extras[EXTRA_N];
	size_t nextras;
	bool app; /* the file was started as an EFI application */
	const struct boot_format *fmt;
	struct kernel_layout layout;
	struct platform platform;
	struct cpu_facts facts;
	struct handoff_policy policy;
	struct cpu_list cpus;
	void *park;       /* the APs' park area; NULL: nothing to park */
	uint64_t tsc_hz;
	struct fw_map fw;
	struct opt_module to_load[OPT_MAX_MODULES];
	struct module modules[OPT_MAX_MODULES];
	size_t nmodules;
	struct load_record files;
	uint64_t stamps[HANDOFF_STAMPS]; /* boot/handoff_record.h */
	uint64_t detail[HANDOFF_DETAILS];
	struct plan plan;
	struct boot_ctx ctx;
	struct allocator alloc; /* pages_alloc() for ctx.alloc */
	void *tramp;      /* the trampoline's area */
	uint64_t cr3;     /* its identity map */
	/* the plan is being checked against the final memory map: a
	 * failure now is efikexec's (the fuzzers abort on it) */
	bool checking;
};

#endif
