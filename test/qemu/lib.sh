# Shared by the QEMU tests (sourced). Each test builds its files under
# build/test/NAME, boots QEMU once, and asserts on the serial log: on what
# the booted kernel (test/initramfs/init) or the shell reports.
# CHECK=1 (make check, the fast loop): a test that boots several times
# boots once, the case its "CHECK=1:" comment names, asserting the same.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TOOLS=$ROOT/test/tools
NAME=$(basename "$0" .sh)
WORK=$ROOT/build/test/$NAME
CACHE=$("$TOOLS/cache-dir.sh")
LOG=$WORK/serial.log
FAILURES=0
rm -rf "$WORK"
mkdir -p "$WORK"

# at_exit COMMAND: runs COMMAND (shell text) when the test ends, however it
# ends: what the test started must not outlive it (a daemon left behind
# holds what the test inherited, such as the lock the tests take turns on)
AT_EXIT=""
at_exit() {
	AT_EXIT="$AT_EXIT { $1; } || true;"
}
trap 'eval "$AT_EXIT"' EXIT

# (printf, not echo: dash's echo would expand the backslashes in paths)
fail() {
	printf '  FAIL: %s\n' "$*"
	FAILURES=$((FAILURES + 1))
}

pass() {
	printf '  ok: %s\n' "$*"
}

# kernel FLAVOUR: the path of Debian's vmlinuz for FLAVOUR (downloaded once)
kernel() {
	"$TOOLS/fetch-kernel.sh" "$1" "$CACHE/linux-$1" >&2
	echo "$CACHE/linux-$1/vmlinuz"
}

# startup LINE...: writes startup.nsh (CRLF, as the shell's own files are)
startup() {
	printf '%s\r\n' "$@" > "$WORK/startup.nsh"
}

# startup_add LINE...: appends to it
startup_add() {
	printf '%s\r\n' "$@" >> "$WORK/startup.nsh"
}

# volume IMAGE NAME=FILE...: a second FAT volume; pass
# "-drive if=virtio,format=raw,file=IMAGE" to boot
volume() {
	img=$1
	shift
	"$TOOLS/mkesp.sh" "$img" "$@"
}

# files_before ARG... -- ...: sets files to the arguments before "--"
# (space-separated) and files_n to how many to shift, "--" included
files_before() {
	files="" files_n=1
	while [ "$1" != "--" ]; do
		files="$files $1"
		files_n=$((files_n + 1))
		shift
	done
}

# boot ESP_SPEC... -- QEMU_ARGS...: makes the ESP and boots it
boot() {
	files_before "$@"
	shift "$files_n"
	esp_files="startup.nsh=$WORK/startup.nsh$files"
	# shellcheck disable=SC2086
	"$TOOLS/mkesp.sh" "$WORK/esp.img" efikexec.efi="$ROOT/build/efikexec.efi" $esp_files
	run_qemu "$WORK/esp.img" "$@"
}

# The unique GUID of the EFI system partition firmware_boot() makes
PARTUUID=5f0d7c1e-8a61-4b8e-9a55-e1f1c0ffee01

# firmware_boot ESP_SPEC... -- QEMU_ARGS...: efikexec as the firmware's
# boot entry: \EFI\BOOT\BOOTX64.EFI on the EFI system partition
# ($PARTUUID) of a GPT disk, no shell and no startup.nsh; EFIKEXEC names
# another build (a signed one) to use. XBOOTLDR="NAME=FILE ..." puts those
# files on an Extended Boot Loader partition after the ESP.
firmware_boot() {
	files_before "$@"
	shift "$files_n"
	# shellcheck disable=SC2086
	firmware_disk $files
	run_qemu "$WORK/disk.img" "$@"
}

# firmware_disk ESP_SPEC...: firmware_boot()'s disk, $WORK/disk.img, not
# booted; ESP_SECTORS is the size of its ESP, which starts at sector 2048
# (mkdisk.sh)
firmware_disk() {
	esp_files=$*
	# shellcheck disable=SC2086
	"$TOOLS/mkesp.sh" "$WORK/esp.img" \
		EFI/BOOT/BOOTX64.EFI="${EFIKEXEC:-$ROOT/build/efikexec.efi}" $esp_files
	xbootldr=""
	if [ -n "${XBOOTLDR:-}" ]; then
		xbootldr=$WORK/xbootldr.img
		# shellcheck disable=SC2086
		"$TOOLS/mkesp.sh" "$xbootldr" $XBOOTLDR
	fi
	"$TOOLS/mkdisk.sh" "$WORK/disk.img" "$WORK/esp.img" "$PARTUUID" $xbootldr
	ESP_SECTORS=$(($(stat -c %s "$WORK/esp.img") / 512))
	rm -f "$WORK/esp.img" "$WORK/xbootldr.img"
}

# tpm_args: starts a fresh TPM 2.0 (swtpm) for the next boot and prints
# the QEMU arguments that attach it; it ends when QEMU lets go of it, or
# with the test if no QEMU took it (end_tpms; tpm_args runs in a
# subshell, so its directory is noted in a file)
tpm_args() {
	TPM_DIR=$(mktemp -d /tmp/efikexec-tpm.XXXXXX) # short: a socket path
	echo "$TPM_DIR" >> "$WORK/tpm-dirs"
	swtpm socket --tpm2 --tpmstate dir="$TPM_DIR" --terminate --daemon \
		--ctrl type=unixio,path="$TPM_DIR/sock" --pid file="$TPM_DIR/pid" \
		--log file="$WORK/swtpm.log"
	echo "-chardev socket,id=chrtpm,path=$TPM_DIR/sock" \
		"-tpmdev emulator,id=tpm0,chardev=chrtpm -device tpm-tis,tpmdev=tpm0"
}

# end_tpms: ends what tpm_args started and removes its state
end_tpms() {
	[ -f "$WORK/tpm-dirs" ] || return 0
	while read -r dir; do
		[ ! -f "$dir/pid" ] || kill "$(cat "$dir/pid")" 2>/dev/null || true
		rm -rf "$dir"
	done < "$WORK/tpm-dirs"
}
at_exit end_tpms

# run_qemu DISK QEMU_ARGS...: boots; QEMU_STATUS is QEMU's exit status,
# QEMU_MS how long QEMU ran in milliseconds. BIOS=1 boots SeaBIOS instead
# of OVMF, DISK "" attaches no disk (test/tools/qemu.sh).
run_qemu() {
	disk=$1
	shift
	QEMU_STATUS=0
	qemu_start=$(date +%s%N)
	rm -f "$LOG" # an earlier boot's log must not be taken for this one's
	if [ -n "${UNTIL:-}" ]; then
		# until the serial log shows UNTIL; then QEMU_ALIVE says whether
		# the machine is still there 3 s later (halted, not reset)
		SHELL_KEY=1 TIMEOUT=${TIMEOUT:-300} "$TOOLS/qemu.sh" "$disk" "$LOG" "$@" &
		qemu=$!
		waited=0
		while ! grep -qaF -- "$UNTIL" "$LOG" 2>/dev/null &&
			kill -0 "$qemu" 2>/dev/null && [ "$waited" -lt "${TIMEOUT:-300}" ]; do
			sleep 1
			waited=$((waited + 1))
		done
		sleep 3
		QEMU_ALIVE=0
		kill -0 "$qemu" 2>/dev/null && QEMU_ALIVE=1
		pkill -P "$qemu" 2>/dev/null || true
		wait "$qemu" || QEMU_STATUS=$?
	else
		SHELL_KEY=1 TIMEOUT=${TIMEOUT:-300} "$TOOLS/qemu.sh" "$disk" "$LOG" "$@" ||
			QEMU_STATUS=$?
	fi
	if [ -n "${TPM_DIR:-}" ]; then # in case QEMU never connected
		kill "$(cat "$TPM_DIR/pid" 2>/dev/null)" 2>/dev/null || true
		rm -rf "$TPM_DIR"
		TPM_DIR=""
	fi
	QEMU_MS=$((($(date +%s%N) - qemu_start) / 1000000))
	# without terminal escapes and carriage returns, for matching
	sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g' "$LOG" | tr -d '\r' > "$WORK/serial.txt"
}

# ---- Multiboot loaders nobody here wrote ----
# Each boots a Multiboot kernel (a probe, or build/efikexec.mb) with
# modules through a real loader, under the conventions of run_qemu (serial
# log, TIMEOUT, isa-debug-exit, QEMU_STATUS), and prints how long QEMU ran.
# The loaders disagree on strings (mb/modules.h; test/qemu/mb-*.sh):
# QEMU and kexec-tools put the kernel's path first on its command line and
# a module's path first in its string; GRUB passes neither, and re-quotes
# the words of both.

# boot_took LOADER: prints the time of the last boot (QEMU_MS)
boot_took() {
	printf '  %s: QEMU ran %d.%d s\n' "$1" $((QEMU_MS / 1000)) $((QEMU_MS % 1000 / 100))
}

# mb_qemu_boot KERNEL "APPEND" "INITRD" -- QEMU_ARGS...: QEMU's own loader
# under SeaBIOS: -kernel KERNEL -append APPEND -initrd INITRD. For a
# Multiboot 1 kernel (ELF32 or the a.out kludge; QEMU 7.2 has no
# Multiboot 2) INITRD lists the modules, "file args,file2": QEMU passes
# "KERNEL APPEND" as the command line and "file args" as a module's string,
# paths as written (run from $WORK with relative paths to keep the host's
# out of them). For a Linux bzImage it is the initrd. An empty INITRD
# passes none.
mb_qemu_boot() {
	k=$1 append=$2 initrd=$3
	shift 4 # and the --
	if [ -n "$initrd" ]; then
		BIOS=1 run_qemu "" -kernel "$k" -append "$append" -initrd "$initrd" "$@"
	else
		BIOS=1 run_qemu "" -kernel "$k" -append "$append" "$@"
	fi
	boot_took "QEMU -kernel"
}

# grub_cfg OUT FIRST "COMMANDS": a grub.cfg for Debian's GRUB with its
# console on COM1 that boots at once what COMMANDS load ("multiboot2
# /probe args" and "module2 /m1.bin args" lines, or multiboot/module),
# from the device holding the file /FIRST. If the entry fails, a fallback
# entry says "grub: boot failed" and powers off, so the test ends at once.
grub_cfg() {
	cat > "$1" <<END
serial --unit=0 --speed=115200
terminal_input serial
terminal_output serial
insmod part_gpt
insmod fat
insmod all_video
search --no-floppy --set=root --file /$2
set default=0
set fallback=1
set timeout=0
menuentry "payload" {
$3
}
menuentry "failed" {
	echo "grub: boot failed"
	halt
}
END
}

# mb_grub_boot bios|efi "COMMANDS" NAME=FILE... -- QEMU_ARGS...: Debian's
# GRUB running grub_cfg's menu entry with COMMANDS, each FILE at /NAME
# (the first one found by search):
# - bios: GRUB for BIOS (i386-pc) from a CD image (test/tools/mkgrubiso.sh)
#   under SeaBIOS;
# - efi: GRUB for x86-64 UEFI, a standalone image (test/tools/mkgrubefi.sh)
#   as the firmware's boot entry \EFI\BOOT\BOOTX64.EFI on an EFI system
#   partition (firmware_boot: OVMF, a fresh variable store). GRUB exits
#   boot services before entering a Multiboot 2 kernel that lacks the EFI
#   boot services tag, and passes the EFI system table (tag 12) and EFI
#   memory map (tag 17) all the same.
mb_grub_boot() {
	platform=$1 cmds=$2
	shift 2
	files_before "$@"
	shift "$files_n"
	first=${files# }
	grub_cfg "$WORK/grub.cfg" "${first%%=*}" "$cmds"
	if [ "$platform" = bios ]; then
		# shellcheck disable=SC2086
		"$TOOLS/mkgrubiso.sh" "$WORK/grub.iso" "$WORK/grub.cfg" $files
		BIOS=1 run_qemu "" -cdrom "$WORK/grub.iso" "$@"
		rm -f "$WORK/grub.iso"
		boot_took "GRUB for BIOS"
	else
		"$TOOLS/mkgrubefi.sh" "$WORK/grubx64.efi" "$WORK/grub.cfg"
		# shellcheck disable=SC2086
		EFIKEXEC=$WORK/grubx64.efi firmware_boot $files -- "$@"
		rm -f "$WORK/disk.img" "$WORK/grubx64.efi"
		boot_took "GRUB for UEFI"
	fi
}

# mb_kexec_boot "KEXEC ARGS" NAME=FILE... -- QEMU_ARGS...: kexec-tools from
# a running Debian kernel (cloud-amd64, or KEXEC_KERNEL=FLAVOUR), booted
# by QEMU's -kernel under SeaBIOS with the test initramfs: after its
# report (the first kernel's efikexec-probe lines) its init runs
# "kexec -l KEXEC ARGS && kexec -e" (test/tools/mkkexecinitramfs.sh) with
# each FILE at /NAME, e.g.
#     mb_kexec_boot '/payload --type multiboot2-x86 --command-line="a b"
#         --module "/m1.bin x"' payload=P m1.bin=M -- -smp 2 -m 1024
# kexec-tools 2.0.25 passes "/payload a b" as the command line (its path
# first, even with --command-line) and "/m1.bin x" as the module's string.
mb_kexec_boot() {
	kargs=$1
	shift
	files_before "$@"
	shift "$files_n"
	kvmlinuz=$(kernel "${KEXEC_KERNEL:-cloud-amd64}")
	# shellcheck disable=SC2086
	"$TOOLS/mkkexecinitramfs.sh" "$WORK/kexec-initrd.img" "$kargs" $files
	BIOS=1 run_qemu "" -kernel "$kvmlinuz" -initrd "$WORK/kexec-initrd.img" \
		-append "console=ttyS0 quiet" "$@"
	rm -f "$WORK/kexec-initrd.img"
	boot_took "kexec-tools from Linux"
}

# crc32 FILE: the file's CRC-32 in hex, as the probe kernels print it
# (gzip's trailer holds it)
crc32() {
	printf '%x' "$(gzip -c "$1" | tail -c 8 | od -An -tu4 -N4 | tr -d ' ')"
}

# probe KEY: what the booted initramfs reported as KEY
probe() {
	sed -n "s/^efikexec-probe: $1=//p" "$WORK/serial.txt" | head -n 1
}

expect_probe() { # expect_probe KEY WANT
	got=$(probe "$1")
	if [ "$got" = "$2" ]; then pass "$1=$2"; else fail "$1: got '$got', want '$2'"; fi
}

# expect_probe_passed: a probe kernel (test/probe) ended QEMU through
# isa-debug-exit with 99, its "every check passed"; else the failed checks
expect_probe_passed() {
	if [ "$QEMU_STATUS" = 99 ]; then
		pass "the probe passed every check (exit status 99)"
	else
		fail "the probe ended with status $QEMU_STATUS: $(grep -a -e '^probe: FAIL' -e '^efikexec: error' "$WORK/serial.txt" | head -5 | tr '\n' ' ')"
	fi
}

# expect_probe_failed_only CHECK...: a probe kernel ran to its end and
# failed exactly the named checks (the text after "probe: FAIL: "), no
# other: what a loader's known deviation from its protocol costs
expect_probe_failed_only() {
	got=$(sed -n 's/^probe: FAIL: //p' "$WORK/serial.txt")
	want=$(printf '%s\n' "$@")
	if [ "$QEMU_STATUS" != 99 ] && [ "$got" = "$want" ] &&
		grep -q "^probe: FAIL ($# checks failed)" "$WORK/serial.txt"; then
		pass "the probe failed only: $(printf '%s; ' "$@")"
	else
		fail "the probe ended with status $QEMU_STATUS, failed '$(printf '%s' "$got" | tr '\n' ';')', want only '$(printf '%s;' "$@")'"
	fi
}

expect_log() { # expect_log FIXED-STRING: the serial log contains it
	if grep -qF -- "$1" "$WORK/serial.txt"; then pass "log has '$1'"; else fail "log lacks '$1'"; fi
}

expect_no_log() { # expect_no_log FIXED-STRING: the serial log does not contain it
	if grep -qF -- "$1" "$WORK/serial.txt"; then fail "log has '$(grep -F -m1 -- "$1" "$WORK/serial.txt")'"; else pass "log has no '$1'"; fi
}

# park_boot SMP "QEMU ARGS" "EFIKEXEC OPTIONS": boots Debian's cloud kernel
# through efikexec with SMP CPUs
park_boot() {
	vmlinuz=$(kernel cloud-amd64)
	"$TOOLS/mkinitramfs.sh" "$WORK/initrd.img"
	startup "fs0:" \
		"efikexec.efi $3 --initrd \\initrd.img \\vmlinuz console=ttyS0" \
		"echo efikexec returned %lasterror%"
	# shellcheck disable=SC2086
	boot vmlinuz="$vmlinuz" initrd.img="$WORK/initrd.img" -- -smp "$1" -m 1024 $2
}

# expect_parking SMP FLAGS AP_STATE: the kernel brought every CPU online
# and received the flags word and, for each AP (APIC IDs 1..SMP-1), the
# state (cpu/cpus.h: 2 = parked, 6 = parked and flushed)
expect_parking() {
	expect_probe cpus_online "0-$(($1 - 1))"
	expect_probe handoff_flags "$2"
	want="0:1"
	i=1
	while [ "$i" -lt "$1" ]; do
		want="$want $i:$3"
		i=$((i + 1))
	done
	expect_probe handoff_cpus "$want"
	expect_log "efikexec: parked $(($1 - 1))/$(($1 - 1))"
}

# add_case NAME ARGS...: runs efikexec between markers that record its status
add_case() {
	name=$1
	shift
	startup_add "echo case-begin $name" "efikexec.efi $*" \
		"echo case-end $name status=%lasterror%"
}
# block NAME: what the shell printed between the case's markers
block() {
	sed -n "/^case-begin $1\$/,/^case-end $1 /p" "$WORK/serial.txt"
}
# expect_error NAME TEXT: one error line containing TEXT (a fixed string),
# and a non-zero status
# expect_block NAME WHAT PATTERN...: passes (saying WHAT) when case NAME's
# block has a line matching each PATTERN (grep's basic regular
# expressions), and fails showing the block when one is missing
expect_block() {
	b=$(block "$1")
	what=$2
	shift 2
	for pattern in "$@"; do
		if ! printf '%s\n' "$b" | grep -q -- "$pattern"; then
			fail "$what: no line matches '$pattern' in: $b"
			return
		fi
	done
	pass "$what"
}

# ended_well NAME: the pattern of case NAME's end when its command
# succeeded (the shell prints %lasterror% as 0 or 0x0)
ended_well() {
	printf '^case-end %s status=0\\(x0\\)\\{0,1\\}$' "$1"
}

expect_error() {
	b=$(block "$1")
	status=$(printf '%s\n' "$b" | sed -n "s/^case-end $1 status=//p")
	errors=$(printf '%s\n' "$b" | grep -c '^efikexec: error: ' || true)
	if [ "$errors" = 1 ] && printf '%s\n' "$b" | grep '^efikexec: error: ' | grep -qF -- "$2"; then
		pass "$1: $(printf '%s\n' "$b" | grep '^efikexec: error: ')"
	else
		fail "$1: want one 'efikexec: error: ...$2...' line, got: $b"
	fi
	case "$status" in
	"" | 0 | 0x0) fail "$1: status '$status', want non-zero" ;;
	*) pass "$1: status $status" ;;
	esac
}

finish() {
	if [ "$FAILURES" -gt 0 ]; then
		echo "  serial log: $LOG"
		exit 1
	fi
}
