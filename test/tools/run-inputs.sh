# Sourced by make run and make run-mb (test/run-linux*.sh) with $work set:
# sets root, tools and cache, and KERNEL and INITRD unless given: Debian's
# cloud kernel (fetched once) and the test initramfs with its efivarfs
# module, built in $work.
root=$(cd "$(dirname "$0")/.." && pwd)
tools=$root/test/tools
cache=$("$tools/cache-dir.sh")
mkdir -p "$work"

if [ -z "${KERNEL:-}" ]; then
	"$tools/fetch-kernel.sh" cloud-amd64 "$cache/linux-cloud-amd64"
	KERNEL=$cache/linux-cloud-amd64/vmlinuz
	modules=$cache/linux-cloud-amd64/efivarfs.ko
fi
if [ -z "${INITRD:-}" ]; then
	"$tools/mkinitramfs.sh" "$work/initrd.img.new" ${modules:-}
	mv "$work/initrd.img.new" "$work/initrd.img"
	INITRD=$work/initrd.img
fi
