# Shared by the benchmarks (sourced; $root set).
bootclock=$root/build/tools/bootclock

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
