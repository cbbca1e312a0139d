#!/bin/sh
# The malformed-kernel corpus (test/malformed/cases.txt, built by
# test/tools/mkmalformed.sh from Debian's kernel and the probe kernels,
# plus truncations of each at many offsets) in one boot with -m 256:
# every image is refused with one "efikexec: error:" line (with the text
# the case expects) and a non-zero %lasterror%, and the shell still runs
# the next command after all of them.
. "$(dirname "$0")/lib.sh"

vmlinuz=$(kernel cloud-amd64)
"$TOOLS/mkmalformed.sh" "$WORK/m" "$ROOT/test/malformed/cases.txt" "$vmlinuz" \
	"$ROOT/build/probe"
# larger than the machine's memory (-m 256)
truncate -s 320M "$WORK/big.img"

startup "fs0:"
files="big.img=$WORK/big.img"
while IFS='|' read -r name args expect; do
	add_case "$name" "$args \\m\\$name"
	files="$files m/$name=$WORK/m/$name"
done < "$WORK/m/cases.list"
startup_add "echo shell-still-works" "reset -s"
# shellcheck disable=SC2086
boot $files -- -smp 2 -m 256

n=0
while IFS='|' read -r name args expect; do
	expect_error "$name" "$expect"
	n=$((n + 1))
done < "$WORK/m/cases.list"
echo "  $n malformed images"
expect_log "shell-still-works"
finish
