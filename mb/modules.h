/* efikexec.mb's command line and the names of its modules (pure; tested on
 * the host).
 *
 * efikexec.mb takes the command line efikexec.efi takes (core/options.h:
 * [OPTIONS] KERNEL [CMDLINE...], --initrd, --module, ...), and every path
 * in it names a module the loader loaded. Loaders disagree about both
 * strings (what boot-facts.md records, checked against their sources):
 *
 *   loader (name)          its command line          a module's string
 *   QEMU -kernel ("qemu")  "IMAGE APPEND"            "PATH ARGS" (-initrd)
 *   kexec-tools ("kexec    "IMAGE CMDLINE"           "PATH ARGS" (--module)
 *     2.0.25")             (CMDLINE: --command-line)
 *   GRUB 2 ("GRUB 2.06...")  "ARGS" (no image name)  "ARGS" (no file name)
 *
 * so, keyed on the loader's name as Xen does:
 *
 * Own name. QEMU and kexec-tools (2.0.25: kexec-multiboot-x86.c and
 * kexec-mb2-x86.c, --command-line or not; test/qemu/mb-kexec.sh) always
 * put the image's path first: that word is dropped. GRUB never does:
 * nothing is dropped. Any other loader may do either (GRUB Legacy,
 * iPXE and syslinux's mboot.c32 put the image name first). For those the
 * first word is dropped when it cannot be efikexec's own first word:
 * it is not an option (no leading '-'), holds no '"' or '=', and names no
 * module: "/boot/efikexec.mb vmlinuz x" loses "/boot/efikexec.mb" when
 * no module has that name, "vmlinuz x" keeps "vmlinuz" as KERNEL.
 *
 * Module names. QEMU's and kexec-tools' module strings start with the
 * file's path: that first word is the module's name, the rest its
 * arguments. GRUB passes no file name: the whole string is the arguments,
 * but a GRUB user may name a module by a first word of its own
 * (`module2 /vmlinuz vmlinuz console=ttyS0`), and that word is matched
 * too. A path on the command line names a module when it equals the
 * module's name ('/' and '\' alike), else when it equals the name's last
 * path component (a leading separator of the path ignored: "vmlinuz" and
 * "\vmlinuz" both name "/tmp/boot/vmlinuz"); a path that names two
 * modules at the same level is an error. "#N" names the Nth module
 * (from 1) whatever its string, and is how modules without a name are
 * shown.
 *
 * With no KERNEL, the first module is the kernel, its arguments are the
 * kernel command line (its string without its name where the loader gives
 * one, the whole string under GRUB) and the other modules, in order, are
 * its initrds (Linux) or its modules with their arguments (Multiboot,
 * ELF64):
 *
 *   qemu-system-x86_64 -kernel efikexec.mb \
 *       -initrd "vmlinuz console=ttyS0,initrd.img"
 *   kexec -l efikexec.mb --type multiboot2-x86 \
 *       --module "vmlinuz console=ttyS0" --module initrd.img
 *   multiboot2 /efikexec.mb        (GRUB)
 *   module2 /vmlinuz console=ttyS0
 *   module2 /initrd.img
 *
 * and with one, paths name modules:
 *
 *   qemu-system-x86_64 -kernel efikexec.mb -append "-v --initrd initrd.img
 *       vmlinuz console=ttyS0" -initrd "/tmp/vmlinuz,/tmp/initrd.img"
 *   kexec -l efikexec.mb --type multiboot2-x86 --command-line "--module
 *       \"dom0 console=hvc0\" xen console=com1" --module xen --module dom0
 *   multiboot2 /efikexec.mb --initrd initrd vmlinuz console=ttyS0
 *   module2 /vmlinuz vmlinuz
 *   module2 /initrd.img initrd
 */
#ifndef MB_MODULES_H
#define MB_MODULES_H

#include <stdbool.h>
#include <stddef.h>

#include "core/options.h"
#include "lib/diag.h"
#include "mb/info.h"

enum mb_loader {
	MB_LOADER_OTHER,
	MB_LOADER_GRUB,  /* "GRUB ..." */
	MB_LOADER_QEMU,  /* "qemu" */
	MB_LOADER_KEXEC, /* "kexec ..." */
};

struct mb_modules {
	enum mb_loader loader;
	bool named; /* a module's string starts with its file's path */
	const struct mb_module *mod;
	size_t n;
};

/* loader_name may be NULL (the loader gave none: MB_LOADER_OTHER). */
void mb_modules_init(struct mb_modules *ms, const char *loader_name,
		     const struct mb_module *mod, size_t n);

/* The line for options_parse(line, false, ...): cmdline (NULL: none)
 * without the loader's image name (above). Points into cmdline. */
const char *mb_own_options(const struct mb_modules *ms, const char *cmdline);

/* The module `path` names (above) in *index. ERR_NOT_FOUND when none does,
 * ERR_USAGE when it names several at the same level. */
int mb_module_find(const struct mb_modules *ms, const char *path,
		   size_t *index, struct diag *d);

/* The first word of module i's string (len bytes, not NUL-terminated; 0
 * for an empty string): its path under QEMU and kexec-tools, a name of
 * the user's or an argument under GRUB. */
const char *mb_module_name(const struct mb_modules *ms, size_t i, size_t *len);

/* Module i's arguments: its string after the name where the loader gives
 * one, else the whole string. */
const char *mb_module_args(const struct mb_modules *ms, size_t i);

/* Fills o's kernel, cmdline, initrd[] and module[] from the modules when
 * the command line named no KERNEL (o->kernel NULL; the other options are
 * kept). initrd[] and module[] both list the modules after the first
 * (o->initrds_or_modules): the format of the kernel decides which it
 * takes. Paths are the module's
 * name where it has one that names it alone, else "#N"; they are written
 * to scratch, which needs 8 bytes per module plus the names' lengths. */
int mb_options_default(const struct mb_modules *ms, struct options *o,
		       char *scratch, size_t scratch_size, struct diag *d);

#endif
