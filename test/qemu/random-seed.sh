#!/bin/sh
# The random seed (docs/bls.md). The firmware starts efikexec, which
# boots Debian's kernel from a Boot Loader Specification entry. TCG's
# qemu64 CPU has no RDRAND, so the kernel has nothing to credit at its
# start but what the boot loader hands it: with the seed table it lists
# it among the configuration tables ("RNG=0x...") and its RNG is ready at
# once ("crng init done" at time 0).
# 1. A 64-byte \loader\random-seed and a virtio-rng device (OVMF's
#    EFI_RNG_PROTOCOL): the table, and afterwards the ESP holds a new seed,
#    the first 32 bytes replaced, the rest zeroed, the size kept (as
#    systemd-boot leaves it).
# 2. The file without an RNG and without LoaderSystemToken: nothing is
#    used, nothing written (systemd-boot's rule against golden images).
# 3. The RNG without the file: the table all the same, as Linux's EFI
#    stub, which efikexec does not run, would have made it.
# 4. The RNG and a seed file of 16 bytes, too short: a warning, the file
#    left alone, the table from the RNG.
. "$(dirname "$0")/lib.sh"

vmlinuz=$(kernel cloud-amd64)
"$TOOLS/mkinitramfs.sh" "$WORK/initrd.img"
printf '%s\n' "timeout 0" > "$WORK/loader.conf"
printf '%s\n' "title Debian" "linux /vmlinuz" "initrd /initrd.img" \
	"options console=ttyS0 panic=-1" > "$WORK/debian.conf"
head -c 64 /dev/urandom > "$WORK/seed.old"
WARNS=""

# seed_boot [SEED] -- QEMU_ARGS...: boots the entry, with SEED as
# \loader\random-seed if given; no warning expected unless WARNS is set
seed_boot() {
	seed=""
	[ "$1" = -- ] || { seed=loader/random-seed=$1; shift; }
	shift
	# shellcheck disable=SC2086
	firmware_boot vmlinuz="$vmlinuz" initrd.img="$WORK/initrd.img" \
		loader/loader.conf="$WORK/loader.conf" \
		loader/entries/debian.conf="$WORK/debian.conf" $seed \
		-- -smp 1 -m 1024 "$@"
	expect_no_log "efikexec: error"
	[ -n "$WARNS" ] || expect_no_log "efikexec: warning"
	expect_probe cmdline "console=ttyS0 panic=-1"
}

# expect_seeded yes|no: whether the kernel found the seed table and was
# seeded at its start (random.trust_bootloader credits it at once)
expect_seeded() {
	table=$(grep -m1 '^\[ *[0-9.]*\] efi: .*ACPI=' "$WORK/serial.txt" || true)
	crng=$(grep -m1 'random: crng init done' "$WORK/serial.txt" || true)
	case $1:$table in
	yes:*" RNG=0x"*) pass "the kernel found the seed table: $table" ;;
	no:*" RNG=0x"*) fail "the kernel found a seed table: $table" ;;
	yes:*) fail "the kernel found no seed table: $table" ;;
	no:*) pass "the kernel found no seed table: $table" ;;
	esac
	case $1:$crng in
	"yes:[    0.000000] random: crng init done") pass "its RNG was ready at its start" ;;
	"no:[    0.000000] random: crng init done") fail "its RNG was ready at its start" ;;
	yes:*) fail "its RNG was not ready at its start: '$crng'" ;;
	no:*) pass "its RNG was not ready at its start: '$crng'" ;;
	esac
}

# seed_file: the seed file as the boot left it, in hex
seed_file() {
	mcopy -n -i "$WORK/disk.img@@1M" ::/loader/random-seed "$WORK/seed.new"
	od -An -tx1 -v "$WORK/seed.new" | tr -d ' \n'
}

old=$(od -An -tx1 -v "$WORK/seed.old" | tr -d ' \n')
zeros=$(printf '%064d' 0)

echo "  -- the seed file and the RNG"
seed_boot "$WORK/seed.old" -- -device virtio-rng-pci
expect_seeded yes
new=$(seed_file)
if [ "${#new}" = 128 ]; then pass "the seed file is still 64 bytes"; else fail "the seed file is $((${#new} / 2)) bytes, not 64"; fi
head_old=$(printf '%s' "$old" | cut -c1-64)
head_new=$(printf '%s' "$new" | cut -c1-64)
if [ "$head_new" != "$head_old" ] && [ "$head_new" != "$zeros" ]; then
	pass "a new seed in its first 32 bytes: $head_new (was $head_old)"
else
	fail "its first 32 bytes are $head_new (were $head_old)"
fi
tail_new=$(printf '%s' "$new" | cut -c65-)
if [ "$tail_new" = "$zeros" ]; then pass "zeros after it"; else fail "its last 32 bytes are $tail_new, not zeros"; fi

echo "  -- the seed file, no RNG, no system token"
seed_boot "$WORK/seed.old" --
expect_seeded no
if [ "$(seed_file)" = "$old" ]; then pass "the seed file was left alone"; else fail "the seed file changed: $(seed_file)"; fi

echo "  -- the RNG, no seed file"
seed_boot -- -device virtio-rng-pci
expect_seeded yes
if mdir -i "$WORK/disk.img@@1M" ::/loader/random-seed > /dev/null 2>&1; then
	fail "a seed file was made"
else
	pass "no seed file was made"
fi

echo "  -- the RNG, a seed file of 16 bytes"
head -c 16 /dev/urandom > "$WORK/seed.short"
WARNS=1
seed_boot "$WORK/seed.short" -- -device virtio-rng-pci
expect_log "efikexec: warning: random seed '\\loader\\random-seed' is 0x10 bytes, not 0x20 to 0x8000; it is not used"
expect_seeded yes
if [ "$(seed_file)" = "$(od -An -tx1 -v "$WORK/seed.short" | tr -d ' \n')" ]; then
	pass "the seed file was left alone"
else
	fail "the seed file changed: $(seed_file)"
fi
finish
