#!/bin/sh
# tools/check-layers.sh on a copy of this tree: it passes as the tree is,
# fails on an include planted to look up, or sideways, naming the file and
# the line, fails on a directory docs/architecture.md does not place, and
# follows the table in docs/architecture.md when that changes.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
check=$top/tools/check-layers.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0

fail() {
	echo "FAIL check_layers: $*" >&2
	failures=$((failures + 1))
}

# The copy: the sources and the document, without build output. Each
# case changes it, and fresh undoes that from the tree's own files.
mkdir "$tmp/tree"
(cd "$top" && tar --exclude=./build --exclude=./.git -cf - .) |
	tar -C "$tmp/tree" -xf -
echo docs/architecture.md > "$tmp/changed"

fresh() {
	while read -r f; do
		cp "$top/$f" "$tmp/tree/$f"
	done < "$tmp/changed"
	rm -rf "$tmp/tree/net"
}

# plant FILE TEXT: appends the line, and prints FILE:LINE as the check
# must name it (in $(...): what it changed goes to a file)
plant() {
	echo "$1" >> "$tmp/changed"
	echo "$2" >> "$tmp/tree/$1"
	echo "$1:$(wc -l < "$tmp/tree/$1"):"
}

# expect_fail WHAT NEEDLE: the check must fail, saying NEEDLE
expect_fail() {
	if "$check" "$tmp/tree" > "$tmp/out" 2>&1; then
		fail "$1: passed"
	elif ! grep -qF "$2" "$tmp/out"; then
		fail "$1: no '$2' in:"
		cat "$tmp/out" >&2
	fi
}

expect_pass() {
	if ! "$check" "$tmp/tree" > "$tmp/out" 2>&1; then
		fail "$1: failed:"
		cat "$tmp/out" >&2
	fi
}

fresh
expect_pass "the tree as it is"

# lib/, the bottom, including core/
where=$(plant lib/mem.h '#include "core/machine.h"')
expect_fail "lib/ including core/" "$where includes \"core/machine.h\""

# cpu/ including mm/, in the same layer
fresh
where=$(plant cpu/lapic.c '#include "mm/memmap.h"')
expect_fail "cpu/ including mm/" "$where includes \"mm/memmap.h\""

# tools/ including test/, in the same layer, which the table and only
# the table can allow: with tools/ a layer higher
fresh
where=$(plant tools/gen_layout_inc.c '#include "test/unit/harness.h"')
expect_fail "tools/ including test/" "$where includes \"test/unit/harness.h\""
sed -i 's/^| 7 | test, tools, bench |/| 8 | tools |\n| 7 | test, bench |/' \
	"$tmp/tree/docs/architecture.md"
expect_pass "tools/ including test/, tools/ moved a layer up"

# an include from the front end in NASM's form
fresh
where=$(plant relocate/trampoline.asm '%include "efi/efi.h"')
expect_fail "relocate/ including efi/ (%include)" "$where includes \"efi/efi.h\""

# a directory nobody placed, and an include of it
fresh
mkdir "$tmp/tree/net"
echo '#include "lib/mem.h"' > "$tmp/tree/net/http.c"
expect_fail "a directory in no layer" "net/http.c: in no layer"
rm -r "$tmp/tree/net"
where=$(plant core/load.c '#include "net/http.h"')
expect_fail "an include of a directory in no layer" \
	"$where includes \"net/http.h\": net/ is in no layer"

# a document without the table checks nothing: that is an error
fresh
sed -i '/^| [0-9]/d' "$tmp/tree/docs/architecture.md"
expect_fail "no table" "no layers"

if [ "$failures" -ne 0 ]; then
	echo "check_layers: $failures failed" >&2
	exit 1
fi
echo "check_layers: passed"
