#!/bin/sh
# Plots what the benchmarks wrote (build/bench/*.dat) into
# build/bench/bench.png: boot time by way, the handoff against plan size,
# parking against CPU count. Panels whose data is missing are left out.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/helpers.sh"
plots=""

if [ -s "$out/boot.dat" ]; then
	for way in $(awk '!seen[$1]++ { print $1 }' "$out/boot.dat"); do
		echo "$way $(awk -v w="$way" '$1 == w { print $3 * 1000 }' "$out/boot.dat" | median)"
	done | awk '{ print NR - 1, $1, $2 / 1000 }' > "$out/boot-median.dat"
	plots="$plots
set title 'Shell to initramfs (median, ms)'
set style fill solid 0.5
set boxwidth 0.6
set yrange [0:*]
set xrange [-0.5:*]
plot '$out/boot-median.dat' using 1:3:xtic(2) with boxes notitle, \
     '' using 1:3:(sprintf('%.0f', \$3)) with labels offset 0,1 notitle
set xrange [*:*]
set xtics autofreq"
fi
if [ -s "$out/relocate.dat" ]; then
	plots="$plots
set title 'Handoff (ExitBootServices to jump) vs plan size'
set logscale x 2
set xlabel 'MiB'
set ylabel 'ms'
set key top left
set style data linespoints
plot '< grep ^initrd $out/relocate.dat' using 2:(\$4/1000) title 'initrd, read into place', \
     '< grep ^elf64 $out/relocate.dat' using 2:(\$4/1000) title 'ELF64, copied', \
     '< grep ^elf64 $out/relocate.dat | grep -v \" -$\"' using 2:(\$5/1000) title 'memcpy in the VM'
unset logscale x
unset xlabel
unset ylabel"
fi
if [ -s "$out/park.dat" ]; then
	plots="$plots
set title 'Parking the APs (median, us)'
set xlabel 'vCPUs'
set key top left
set yrange [0:*]
set style data linespoints
plot '$out/park.dat' using 1:2 title 'default CPU', '' using 1:3 title '-cpu max,-hypervisor (WBINVD)'
unset xlabel"
fi
[ -n "$plots" ] || { echo "plot.sh: no data in $out" >&2; exit 1; }
n=$(printf '%s\n' "$plots" | grep -c "^plot ")
gnuplot <<GP
set terminal pngcairo size 640,$((360 * n)) font ',10'
set output '$out/bench.png'
set multiplot layout $n,1
$plots
unset multiplot
GP
echo "plot.sh: wrote $out/bench.png"
