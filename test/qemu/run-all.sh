#!/bin/sh
# Runs every QEMU boot test (one at a time: TCG wants both cores) and ends
# with "N passed, N failed". Pass test names to run only those; CHECK=1
# runs a test's one boot for make check (lib.sh).
set -u
here=$(cd "$(dirname "$0")" && pwd)
passed=0
failed=0
names=$*
[ -n "$names" ] || names=$(cd "$here" && ls *.sh | grep -v -e '^lib.sh$' -e '^run-all.sh$' | sed 's/\.sh$//')
for t in $names; do
	start=$(date +%s)
	echo "== $t"
	if sh "$here/$t.sh"; then
		passed=$((passed + 1))
		echo "PASS $t ($(( $(date +%s) - start )) s)"
	else
		failed=$((failed + 1))
		echo "FAIL $t ($(( $(date +%s) - start )) s)"
	fi
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
