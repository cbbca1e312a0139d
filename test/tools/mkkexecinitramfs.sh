#!/bin/sh
# mkkexecinitramfs.sh OUT "KEXEC ARGS" [NAME=FILE...]
#
# A test initramfs (mkinitramfs.sh) whose init, after its report, loads the
# next kernel with Debian's kexec-tools and boots it: it runs
#     kexec -l KEXEC ARGS && kexec -e
# from /kexec.sh. KEXEC ARGS is shell text, quotes and all, e.g.
#     /payload --type multiboot2-x86 --command-line="a b" --module "/m1.bin x"
# NAME=FILE puts the payload and its modules at /NAME. /sbin/kexec is the
# host's (package kexec-tools), with the shared libraries ldd lists and the
# dynamic loader at their own paths. If kexec fails, the init says
# "efikexec-probe: kexec=failed" and powers off.
set -eu
out=$1
args=$2
shift 2
kexec=/usr/sbin/kexec
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

libs=""
for lib in $(ldd "$kexec" | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^\//) print $i }'); do
	libs="$libs ${lib#/}=$lib"
done
cat > "$tmp/kexec.sh" <<END
# sourced by /init (test/initramfs/init) after its report
cat <<'ARGS'
efikexec-probe: kexec -l $args
ARGS
if /sbin/kexec -l $args; then
	echo "efikexec-probe: kexec=loaded"
	/sbin/kexec -e
fi
echo "efikexec-probe: kexec=failed"
END
# shellcheck disable=SC2086
"$(dirname "$0")/mkinitramfs.sh" "$out" sbin/kexec="$kexec" \
	kexec.sh="$tmp/kexec.sh" $libs "$@"
