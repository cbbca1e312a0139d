#!/bin/sh
# run-fuzzers.sh NAME...: runs build/fuzz/fuzz_NAME for FUZZ_SECONDS (default 60)
# each, or, when FUZZ_RUNS is set, until it has run that many inputs with no
# time limit (a campaign that must reach a count, e.g. FUZZ_RUNS=10000000),
# on a corpus kept in build/fuzz/corpus/NAME and seeded from
# test/fuzz/seeds/NAME, the probe kernels (for the formats) or a small
# generated event log (tcg_log). Prints executions per fuzzer and in all;
# fails if any fuzzer found a crash, leak, overflow or hang (the input is
# saved as build/fuzz/artifacts/NAME-*).
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
out=$root/build/fuzz
seconds=${FUZZ_SECONDS:-60}
runs=${FUZZ_RUNS:--1}
[ "$runs" = -1 ] || seconds=0
total=0
failed=0
mkdir -p "$out/artifacts"

# an event log with a Spec ID event (SHA-1, SHA-256) and one event
tcg_seed() {
	z20='\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0'
	printf '\0\0\0\0\3\0\0\0'"$z20"'\055\0\0\0Spec ID Event03\0\0\0\0\0\0\2\0\2\2\0\0\0\4\0\024\0\013\0\040\0\0'
	printf '\011\0\0\0\015\0\0\0\2\0\0\0\4\0'"$z20"'\013\0'"$z20$z20"
	printf '\0\0\0\0\0\0\0\0\0\0\0\0\006\0\0\0/linux'
}

printf '%-12s %14s %10s  %s\n' fuzzer executions "exec/s" result
for name in "$@"; do
	corpus=$out/corpus/$name
	mkdir -p "$corpus"
	[ -d "$root/test/fuzz/seeds/$name" ] && cp "$root/test/fuzz/seeds/$name"/* "$corpus/"
	case $name in
	linux) cp "$root/build/probe/linux.bzImage" "$corpus/probe" ;;
	multiboot1 | multiboot2 | elf64) cp "$root/build/probe/$name.elf" "$corpus/probe" ;;
	tcg_log) tcg_seed > "$corpus/seed" ;;
	# the probe kernel in Debian's systemd-stub, when it is installed
	uki) printf 'ID=probe\n' > "$out/osrel"
		"$root/test/tools/mkuki.sh" "$out/uki-probe" "$root/build/probe/linux.bzImage" \
			"$out/osrel" "console=ttyS0" "$out/osrel" 2>/dev/null &&
			cp "$out/uki-probe" "$corpus/probe" ;;
	esac
	log=$out/$name.log
	"$out/fuzz_$name" -max_total_time="$seconds" -runs="$runs" -timeout=10 -rss_limit_mb=2560 \
		-print_final_stats=1 -artifact_prefix="$out/artifacts/$name-" \
		"$corpus" > "$log" 2>&1
	status=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
	total=$((total + ${execs:-0}))
	if [ "$status" = 0 ]; then
		result=ok
	else
		result="FAILED (status $status, see $log)"
		failed=$((failed + 1))
	fi
	printf '%-12s %14s %10s  %s\n' "$name" "${execs:-?}" "${rate:-?}" "$result"
done
printf '%-12s %14s\n' total "$total"
[ "$failed" = 0 ]
