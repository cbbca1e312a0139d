#!/bin/sh
# make bench: every benchmark, one after the other (never in parallel: TCG
# wants both cores), then the plot and one report. Results in build/bench/:
# bench.md (all tables), bench.png, and each benchmark's own .md and .dat.
# ROUNDS=N sets every benchmark's rounds, SMPS= the CPU counts the boot
# benchmark runs at besides 2 ("1 4 8"); docs/bench.md explains them.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
out=$root/build/bench
mkdir -p "$out"
rm -f "$out"/*.dat
# at 2 CPUs for the plot (boot.md, boot.dat), and at 1, 4 and 8 (how the
# kernel's own start depends on what it is handed at each count)
"$root/bench/boot.sh"
for smp in ${SMPS:-1 4 8}; do
	SMP=$smp NAME=boot-smp$smp "$root/bench/boot.sh"
done
# an uncompressed vmlinux entered without its decompressor, against the
# EFI stub with the bzImage (the LZ4 cloud kernel and the XZ generic
# one), and efikexec.mb with it against QEMU's own PVH entry; at 2 and 4
# CPUs
for smp in 2 4; do
	for kernel in cloud-amd64 amd64; do
		KERNEL=$kernel SMP=$smp WAYS="stub vmlinux" NAME=vmlinux-$kernel-smp$smp \
			"$root/bench/boot.sh"
	done
	SMP=$smp WAYS="pvh vmlinux.mb" NAME=mb-vmlinux-smp$smp "$root/bench/mb.sh"
done
"$root/bench/relocate.sh"
"$root/bench/kernel.sh"
"$root/bench/owntime.sh"
"$root/bench/park.sh"
"$root/bench/mb.sh"
"$root/bench/net.sh"
"$root/bench/plot.sh"
{
	echo "# efikexec benchmarks, $(date -u +%Y-%m-%d), commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
	echo
	echo "build/efikexec.efi: $(stat -c %s "$root/build/efikexec.efi") bytes, build/efikexec.mb: $(stat -c %s "$root/build/efikexec.mb") bytes."
	echo "Host: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1); QEMU $(qemu-system-x86_64 --version | sed -n '1s/.*version \([^ ]*\).*/\1/p'), TCG."
	for part in boot $(for smp in ${SMPS:-1 4 8}; do echo "boot-smp$smp"; done) \
		vmlinux-cloud-amd64-smp2 vmlinux-amd64-smp2 mb-vmlinux-smp2 \
		vmlinux-cloud-amd64-smp4 vmlinux-amd64-smp4 mb-vmlinux-smp4 \
		relocate kernel owntime park mb net; do
		echo
		sed 's/^# /## /' "$out/$part.md"
	done
	echo
	echo "![plots](bench.png)"
} > "$out/bench.md"
echo "bench: wrote $out/bench.md and $out/bench.png"
