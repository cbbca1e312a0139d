#!/bin/sh
# Network boot against the UEFI shell's `http` command and against the ESP,
# on QEMU's user network (restrict=on) with test/tools/httpd.py on
# 127.0.0.1 reached through guestfwd, as test/qemu/netboot.sh does; ROUNDS
# (3) interleaved rounds of three boots:
#   fetch  from the shell, a SIZE MiB (64) file of random bytes fetched
#          by efikexec (`--dry-run --initrd URL`, into memory) and then
#          by the shell's `http` (into a file on the ESP, the only place
#          it can put it); per fetch, the relay between QEMU and the
#          server times the guest's request to the last byte handed to
#          the guest, the same clock for both
#   http   Debian's cloud kernel and the test initramfs over HTTP,
#          booted with `efikexec.efi -v`: efikexec's start to the jump
#          (handoff record, as the initramfs reports it), bringing the
#          network up (DHCP) included
#   esp    the same two files from the ESP
# efikexec goes first in each fetch boot: its DHCP leaves the interface
# configured for the shell's command, which does not configure one.
# Writes build/bench/net.md.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/helpers.sh"
rounds=${ROUNDS:-3}
size=${SIZE:-64}
srv=$work/srv
mkdir -p "$srv"

kernel=$(debian_kernel)
cp "$kernel" "$srv/vmlinuz"
"$tools/mkinitramfs.sh" "$srv/initrd.img"
head -c $((size * 1048576)) /dev/urandom > "$srv/big.img"
# room for the shell's copy: the ESP is made to fit its files, and this
# one is deleted before the shell's `http` writes its own
truncate -s $((size * 1048576 + 1048576)) "$work/room"

python3 "$tools/httpd.py" serve "$srv" "$work/httpd.port" "$work/httpd.log" \
	2> "$work/httpd.err" &
httpd=$!
trap 'kill $httpd 2>/dev/null' EXIT
i=0
while [ ! -s "$work/httpd.port" ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
[ -s "$work/httpd.port" ] || { echo "net.sh: the HTTP server did not start" >&2; exit 1; }

url=http://10.0.2.100/exact
esp_of() { # esp_of KIND: the ESP image of that kind of boot
	name=$1
	case $name in
	fetch) printf '%s\r\n' "fs0:" \
		"efikexec.efi --dry-run --initrd $url/big.img $url/vmlinuz $cmdline" \
		"rm room" "http $url/big.img big.img" "reset -s" > "$work/startup.nsh"
		set -- room="$work/room" ;;
	http) printf '%s\r\n' "fs0:" \
		"efikexec.efi -v --initrd $url/initrd.img $url/vmlinuz $cmdline" > "$work/startup.nsh"
		set -- ;;
	esp) printf '%s\r\n' "fs0:" \
		"efikexec.efi -v --initrd \\initrd.img \\vmlinuz $cmdline" > "$work/startup.nsh"
		set -- vmlinuz="$srv/vmlinuz" initrd.img="$srv/initrd.img" ;;
	esac
	"$tools/mkesp.sh" "$work/esp-$name.img" efikexec.efi="$root/build/efikexec.efi" \
		startup.nsh="$work/startup.nsh" "$@"
}
for kind in fetch http esp; do
	esp_of "$kind"
done

# one_boot KIND _: "fetch EFIKEXEC SHELL" (KiB/s), or "KIND
# KERNEL_READ MODULES_READ JUMP" (microseconds after efikexec started)
one_boot() {
	log=$work/serial-$1.log
	: > "$work/times"
	cp "$work/esp-$1.img" "$work/esp.img"
	TIMEOUT=300 "$tools/qemu.sh" "" "$log" -smp 2 -m 1024 \
		-drive if=none,id=esp,format=raw,file="$work/esp.img" \
		-device virtio-blk-pci,drive=esp,bootindex=0 \
		-netdev "user,id=net0,restrict=on,guestfwd=tcp:10.0.2.100:80-cmd:python3 $tools/httpd.py relay $work/httpd.port $work/times" \
		-device virtio-net-pci,netdev=net0,romfile= || true
	if [ "$1" = fetch ]; then
		# the transfers of the big file, efikexec's first
		awk -v want=$((size * 1048576)) '
			$1 > want { kibs[n++] = $1 / 1024 / $2 }
			END { if (n != 2) exit 1; printf "fetch %d %d\n", kibs[0], kibs[1] }' "$work/times"
	else
		tr -d '\r' < "$log" | sed -n 's/^efikexec-probe: handoff_stages_us=//p' |
			awk -v kind="$1" '{
				for (i = 1; i <= NF; i++) { split($i, kv, ":"); t[kv[1]] = kv[2] }
				if (t["jump"]) { print kind, t["kernel_read"], t["modules_read"], t["jump"]; found = 1 }
			} END { if (!found) exit 1 }'
	fi
}

run_rounds "fetch http esp" "_"

efikexec_kibs=$(col fetch 2 | median)
shell_kibs=$(col fetch 3 | median)
{
	echo "# Network boot (QEMU TCG, -smp 2 -m 1024, user network, $(nproc) host cores)"
	echo
	echo "Median of $rounds interleaved rounds. A $size MiB file over HTTP,"
	echo "the guest's request to the last byte handed to it (KiB/s, higher"
	echo "is better): efikexec fetching it into memory, the UEFI shell's"
	echo "\`http\` into a file on the ESP."
	echo
	echo "| efikexec, KiB/s | shell's http, KiB/s | efikexec / shell |"
	echo "|---:|---:|---:|"
	echo "| $efikexec_kibs | $shell_kibs | $(ratio "$efikexec_kibs" "$shell_kibs") |"
	echo
	echo "Debian's $(debian_release) and the test initramfs, booted with"
	echo "efikexec over HTTP and from the ESP: when each stage ended,"
	echo "microseconds after efikexec started (handoff record): the kernel"
	echo "read (over HTTP: the network brought up by DHCP first), the initrd"
	echo "read, the jump into the kernel."
	echo
	echo "| from | kernel read | initrd read | jump |"
	echo "|---|---:|---:|---:|"
	for kind in http esp; do
		echo "| $kind | $(col "$kind" 2 | median) | $(col "$kind" 3 | median) | $(col "$kind" 4 | median) |"
	done
	echo
	echo "Jump over HTTP / from the ESP: $(ratio "$(col http 4 | median)" "$(col esp 4 | median)")."
} > "$out/net.md"
cat "$out/net.md"
