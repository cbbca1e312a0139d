# Shared by the benchmarks (sourced; $root set).
tools=$root/test/tools
# what is fetched once (Debian's kernel), outside the tree
cache=$("$tools/cache-dir.sh")
bootclock=$root/build/tools/bootclock
# the results, and each part's own files (build/bench/boot for boot.sh)
out=$root/build/bench
work=$out/$(basename "$0" .sh)
# the command line of the boots to the initramfs (boot.sh, mb.sh)
cmdline="console=ttyS0 quiet panic=-1"

# median: the median of the numbers on standard input ("-" for none)
median() {
	sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else print int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

# ms US: microseconds as milliseconds with one decimal
ms() {
	awk -v t="$1" 'BEGIN { if (t == "-") print "-"; else printf "%.1f\n", t / 1000 }'
}

# ratio A B: A / B with three decimals
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.3f\n", a / b }'
}

# the kernel flavour of the boots: Debian's cloud kernel (LZ4) unless
# KERNEL= names another (amd64: the generic kernel, XZ)
flavour=${KERNEL:-cloud-amd64}

# debian_kernel: fetches that kernel once (into the fixture cache,
# test/tools/cache-dir.sh) and prints the path of its vmlinuz
debian_kernel() {
	"$tools/fetch-kernel.sh" "$flavour" "$cache/linux-$flavour" >&2
	echo "$cache/linux-$flavour/vmlinuz"
}

# debian_release: that kernel's release (6.1.0-57-cloud-amd64)
debian_release() {
	sed 's/^linux-image-//' "$cache/linux-$flavour/package"
}

# debian_vmlinux OUT: the kernel's uncompressed ELF, taken out of its
# bzImage (test/tools/extract-vmlinux.sh), into OUT
debian_vmlinux() {
	"$tools/extract-vmlinux.sh" "$(debian_kernel)" "$1" >&2 || {
		echo "no vmlinux in $(debian_kernel)" >&2
		exit 1
	}
}

# run_rounds KINDS SIZES: $rounds interleaved rounds of the caller's
# one_boot KIND SIZE over every size and kind, each result line into
# $work/samples (started empty), progress on standard error
run_rounds() {
	: > "$work/samples"
	for r in $(seq "$rounds"); do
		for n in $2; do
			for kind in $1; do
				if line=$(one_boot "$kind" "$n"); then
					echo "$line" >> "$work/samples"
					echo "$(basename "$0" .sh): round $r: $line" >&2
				else
					echo "$(basename "$0" .sh): round $r: $kind $n: no stamps (log: $work/serial-$kind-$n.log)" >&2
				fi
			done
		done
	done
}

# col WAY N: column N of WAY's lines in $work/samples ("WAY t1 t2 ...")
col() {
	awk -v w="$1" -v n="$2" '$1 == w { print $n }' "$work/samples"
}

# stage_table FILE: the median of each of efikexec's stages over FILE's
# lines ("entry:0 kernel_read:T ... jump:T", the handoff record as the
# test initramfs reports it), as a Markdown table: when the stage ended,
# in microseconds after efikexec started, and its own share
stage_table() {
	echo "| stage | ends at, us | takes, us |"
	echo "|---|---:|---:|"
	prev=0
	for stage in kernel_read modules_read planned exit_boot_services parked relocated jump; do
		t=$(stage_at "$stage" "$1")
		echo "| $stage | $t | $((t - prev)) |"
		prev=$t
	done
}

# stage_at STAGE FILE: the median of when STAGE ended over FILE's lines
stage_at() {
	tr ' ' '\n' < "$2" | sed -n "s/^$1://p" | median
}
