/* efikexec's command line (pure; tested on the host).
 *
 *   efikexec.efi [OPTIONS] KERNEL [CMDLINE...]
 *
 * Everything after KERNEL is the kernel command line, passed exactly as
 * written (the raw rest of the line, not re-joined words). */
#ifndef CORE_OPTIONS_H
#define CORE_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cpu/policy.h"
#include "lib/diag.h"
#include "lib/pin.h"

#define OPT_MAX_INITRDS 16
#define OPT_MAX_MODULES 32

/* --module "PATH ARGS...": the first word is the path, the rest (maybe
 * empty) the module's string. */
struct opt_module {
	const char *path;
	const char *args;
	/* set: the bytes are already in memory (a section of a unified
	 * kernel image), path only names them */
	const void *data;
	uint64_t size;
	struct pin pin; /* the path's "#sha256=", taken off it */
};

struct options {
	const char *kernel; /* NULL: boot what the boot entries say */
	const char *cmdline; /* "" when none */
	const char *initrd[OPT_MAX_INITRDS];
	size_t ninitrd;
	/* each path's "#sha256=" pin (lib/pin.h), taken off the path */
	struct pin kernel_pin;
	struct pin initrd_pin[OPT_MAX_INITRDS];
	struct opt_module module[OPT_MAX_MODULES];
	size_t nmodule;
	/* initrd[] and module[] list the same files, and the kernel's
	 * format takes the one it wants (efikexec.mb booting its modules
	 * without KERNEL: mb/modules.h) */
	bool initrds_or_modules;
	const char *format; /* --format NAME; NULL: detect */
	bool dry_run;
	bool help;
	bool fault_test; /* --fault-test: check the trampoline's fault report */
	bool verify;     /* --verify: check the copies before the jump */
	bool verify_test; /* --verify-test: and change a byte for it to find */
	bool verbose;    /* -v: how long each stage took */
	struct handoff_opts handoff; /* --flush, --allow-tdx-erratum */
};

/* Parses `line` (UTF-8). When skip_program is set the first word is the
 * program's own name, as the UEFI shell passes it. Words may be grouped
 * with double quotes. A path (KERNEL, --initrd, a --module's) may end in
 * a "#sha256=" pin, which is taken off it into the options. Dequoted words are stored in `scratch`, which must
 * hold at least 2 * strlen(line) + 2 bytes; the results point into it and
 * into `line`. */
int options_parse(const char *line, bool skip_program, char *scratch,
		  size_t scratch_size, struct options *o, struct diag *d);

/* Whether a line that was not typed in the shell is the firmware's own
 * kernel command line rather than efikexec's options: U-Boot's bootefi
 * passes its bootargs ("root=/dev/sdb3 rootwait ...") as load options.
 * True when the line starts with no efikexec option and the word in
 * KERNEL's place is a kernel parameter: key=value, or a bare word (no
 * path separator, drive or dot) followed by key=value words. A path, even
 * a mistyped one, is never taken for a parameter. The caller boots the
 * boot entries instead only when no file of that name exists either. */
bool options_are_kernel_parameters(const char *line, const struct options *o);

/* efikexec.efi's --help text. */
const char *options_usage(void);

/* "efikexec.efi [OPTIONS] KERNEL [CMDLINE...]", for messages. */
extern const char options_synopsis[];

/* Splits "PATH ARGS..." in place: the first word is the path, the rest
 * (white space around it dropped) the module's string. */
void options_split_module(char *value, struct opt_module *m);

/* "auto", "always" or "never"; the error names the option (name). */
int options_parse_flush(const char *name, const char *v,
			enum flush_policy *out, struct diag *d);

#endif
