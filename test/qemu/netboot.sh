#!/bin/sh
# Kernels and initrds over HTTP and TFTP, with QEMU's user networking
# (restrict=on: nothing leaves QEMU) on a virtio-net NIC that has no
# option ROM and no boot index, the ESP the only boot device. HTTP goes
# through guestfwd to test/tools/httpd.py on 127.0.0.1 (10.0.2.100:80 in
# the guest), TFTP to QEMU's own server (10.0.2.2). Two boots from the
# shell, one of efikexec fetched by the firmware's HTTP boot, then two
# from boot entries (below):
#
# HTTP: from the shell, a missing file (404), a kernel and an initrd cut
# short, a kernel whose body stalls, a wrong #sha256= pin and an https URL
# (no CA certificates given) each end in one error line naming the URL
# and a non-zero %lasterror%; a dry run whose initrd's first connection
# is dropped tries again and succeeds. Then the firmware itself fetches
# efikexec over HTTP (a Boot#### whose device path ends in a URI node,
# efikexec's command line its optional data), and efikexec boots Debian's
# kernel from a server that answers 503 first, pinned, its fetch showing
# a progress line, with an initrd redirected twice and sent chunked and a
# payload initrd the booted initramfs checksums; the booted system finds
# efikexec's own URL in LoaderDeviceURL.
#
# TFTP, with a TPM and a second NIC ahead of the first on a network of
# its own that answers nothing: DHCP gets its address on the other; a
# missing file and a host name with no DNS server each end in an error
# naming the URL; a dry run fetches a kernel and a
# chunked initrd over HTTPS (10.0.2.101:443, the server's certificate
# from a CA made for the run, which OVMF gets through fw_cfg), and the
# same server reached as 10.0.2.102 is refused, as is a server at
# 10.0.2.103 whose certificate comes from a second CA OVMF does not get,
# never asked by plain HTTP instead; then, the dead NIC given an address
# by hand (the shell's ifconfig) so that it is tried first and nothing
# answers there, the kernel, the initrd and the payload all over TFTP by
# the other NIC, the files measured into PCR 9 with their URLs in the
# events.
. "$(dirname "$0")/lib.sh"

vmlinuz=$(kernel cloud-amd64)
srv=$WORK/srv
mkdir -p "$srv"
cp "$vmlinuz" "$srv/vmlinuz"
"$TOOLS/mkinitramfs.sh" "$srv/initrd.img" "$CACHE/linux-cloud-amd64/efivarfs.ko"
# not a multiple of 4 bytes: the initrds' padding must not disturb it
sum=$("$TOOLS/mkpayload.sh" "$srv/payload.img" $((3 * 1048576 + 1)))
sha() { sha256sum "$1" | cut -c1-64; }
zeros=0000000000000000000000000000000000000000000000000000000000000000
cmdline="console=ttyS0 panic=-1"
http=http://10.0.2.100

# A CA and a certificate for 10.0.2.101 signed by it, made for this run;
# the CA as OVMF takes it through fw_cfg
tls=$WORK/tls
mkdir -p "$tls"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tls/ca.key" -out "$tls/ca.pem" \
	-days 2 -subj /CN=efikexec-test-ca 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout "$tls/server.key" -out "$tls/server.csr" \
	-subj /CN=10.0.2.101 2>/dev/null
printf 'subjectAltName=IP:10.0.2.101\n' > "$tls/ext"
openssl x509 -req -in "$tls/server.csr" -CA "$tls/ca.pem" -CAkey "$tls/ca.key" \
	-CAcreateserial -days 2 -extfile "$tls/ext" -out "$tls/server.pem" 2>/dev/null
python3 "$TOOLS/httpd.py" cacerts "$tls/ca.pem" "$tls/cacerts.bin"
# and a second CA, which OVMF is not given, and a certificate from it for
# 10.0.2.103
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tls/ca2.key" -out "$tls/ca2.pem" \
	-days 2 -subj /CN=efikexec-test-other-ca 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout "$tls/other.key" -out "$tls/other.csr" \
	-subj /CN=10.0.2.103 2>/dev/null
printf 'subjectAltName=IP:10.0.2.103\n' > "$tls/other-ext"
openssl x509 -req -in "$tls/other.csr" -CA "$tls/ca2.pem" -CAkey "$tls/ca2.key" \
	-CAcreateserial -days 2 -extfile "$tls/other-ext" -out "$tls/other.pem" 2>/dev/null

# The HTTP and HTTPS servers, on 127.0.0.1 only, for as long as the test runs
python3 "$TOOLS/httpd.py" serve "$srv" "$WORK/httpd.port" "$WORK/httpd.log" \
	2> "$WORK/httpd.err" &
httpd=$!
python3 "$TOOLS/httpd.py" serve "$srv" "$WORK/httpsd.port" "$WORK/httpsd.log" \
	"$tls/server.pem" "$tls/server.key" 2> "$WORK/httpsd.err" &
httpsd=$!
python3 "$TOOLS/httpd.py" serve "$srv" "$WORK/otherd.port" "$WORK/otherd.log" \
	"$tls/other.pem" "$tls/other.key" 2> "$WORK/otherd.err" &
otherd=$!
at_exit "kill $httpd $httpsd $otherd 2>/dev/null"
i=0
while { [ ! -s "$WORK/httpd.port" ] || [ ! -s "$WORK/httpsd.port" ] ||
	[ ! -s "$WORK/otherd.port" ]; } && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
[ -s "$WORK/httpd.port" ] && [ -s "$WORK/httpsd.port" ] && [ -s "$WORK/otherd.port" ] ||
	{ fail "the HTTP servers did not start"; finish; }

# netboot_qemu [QEMU ARGS...]: the ESP (bootindex=0) and the NIC (no ROM,
# no bootindex) on QEMU's user network, in PCI slot 16 (a NIC ahead of it
# has its interface found first)
netboot_qemu() {
	"$TOOLS/mkesp.sh" "$WORK/esp.img" efikexec.efi="$ROOT/build/efikexec.efi" \
		startup.nsh="$WORK/startup.nsh"
	run_qemu "" -drive if=none,id=esp,format=raw,file="$WORK/esp.img" \
		-device virtio-blk-pci,drive=esp,bootindex=0 \
		-netdev "user,id=net0,restrict=on,tftp=$srv,guestfwd=tcp:10.0.2.100:80-cmd:python3 $TOOLS/httpd.py relay $WORK/httpd.port,guestfwd=tcp:10.0.2.101:443-cmd:python3 $TOOLS/httpd.py relay $WORK/httpsd.port,guestfwd=tcp:10.0.2.102:443-cmd:python3 $TOOLS/httpd.py relay $WORK/httpsd.port,guestfwd=tcp:10.0.2.103:443-cmd:python3 $TOOLS/httpd.py relay $WORK/otherd.port" \
		-device virtio-net-pci,netdev=net0,romfile=,addr=0x10,mac=52:54:00:12:34:56 "$@"
}

# ---- HTTP ----
startup "fs0:"
add_case http-404 "$http/exact/nothing.img $cmdline"
add_case http-truncated "$http/truncated/vmlinuz $cmdline"
add_case http-truncated-initrd "--initrd $http/truncated/initrd.img $http/exact/vmlinuz $cmdline"
# a quarter of the kernel, then nothing: an error after the stall limit
add_case http-stalled "$http/stalled/vmlinuz $cmdline"
# (in the shell '#' starts a comment: '^' makes it a plain character)
add_case http-wrong-pin "$http/exact/vmlinuz^#sha256=$zeros $cmdline"
add_case https-no-ca "https://10.0.2.100/exact/vmlinuz $cmdline"
add_case http-dropped "--dry-run --initrd $http/drop/initrd.img $http/exact/vmlinuz $cmdline"
startup_add "echo shell-still-works" "reset -s"
netboot_qemu -smp 2 -m 1024

expect_error http-404 "cannot fetch kernel '$http/exact/nothing.img': HTTP status 404"
size=$(stat -c %s "$srv/vmlinuz")
isize=$(stat -c %s "$srv/initrd.img")
expect_error http-truncated "cannot fetch kernel '$http/truncated/vmlinuz': receiving the body: the connection ended after $((size / 2)) of $size bytes"
expect_error http-truncated-initrd "cannot fetch initrd '$http/truncated/initrd.img': receiving the body: the connection ended after $((isize / 2)) of $isize bytes"
expect_error http-stalled "cannot fetch kernel '$http/stalled/vmlinuz': receiving the body: no data for 5 s after $((size / 4)) of $size bytes"
expect_error http-wrong-pin "kernel '$http/exact/vmlinuz' does not match its pin: its sha256 is $(sha "$vmlinuz"), #sha256=$zeros"
expect_error https-no-ca "cannot fetch kernel 'https://10.0.2.100/exact/vmlinuz': https needs CA certificates to check the server with, and the firmware has none (no TlsCaCertificate variable"
expect_block http-dropped "a dropped connection is tried again" \
	"^efikexec: initrd '$http/drop/initrd.img': .*; trying again in 1 s" \
	'^efikexec: dry run: plan is valid' \
	"$(ended_well http-dropped)"
expect_log "shell-still-works"

# The firmware's HTTP boot: Boot0200, BootNext, on a fresh variable store;
# no disk. The load option names the NIC as the firmware's own HTTP boot
# option does, with a URI node that is not empty: EDK2 fetches that URL
# (after its own DHCP) rather than one a DHCP offer names, and starts
# efikexec on the NIC's handle, whose device path ends in that URI node.
cp "$ROOT/build/efikexec.efi" "$srv/efikexec.efi"
global=8be4df61-93ca-11d2-aa0d-00e098032b8c
cp /usr/share/OVMF/OVMF_VARS_4M.fd "$WORK/vars-http.fd"
"$TOOLS/ovmf-setvar.py" "$WORK/vars-http.fd" Boot0200 "$global" 7 http-load-option \
	"efikexec over HTTP" 0x10 52:54:00:12:34:56 "$http/exact/efikexec.efi" \
	"--initrd $http/moved/initrd.img --initrd $http/exact/payload.img#sha256=$(sha "$srv/payload.img") $http/flaky503/vmlinuz#sha256=$(sha "$vmlinuz") $cmdline"
"$TOOLS/ovmf-setvar.py" "$WORK/vars-http.fd" BootNext "$global" 7 u16 0x200
VARS=$WORK/vars-http.fd TIMEOUT=120 run_qemu "" -smp 2 -m 1024 \
	-netdev "user,id=net0,restrict=on,guestfwd=tcp:10.0.2.100:80-cmd:python3 $TOOLS/httpd.py relay $WORK/httpd.port" \
	-device virtio-net-pci,netdev=net0,romfile=,addr=0x10,mac=52:54:00:12:34:56
printf '  the HTTP-booted efikexec: QEMU ran %d s\n' $((QEMU_MS / 1000))
expect_log "BdsDxe: starting Boot0200 \"efikexec over HTTP\""
expect_probe "bli LoaderDeviceURL" "$http/exact/efikexec.efi"
expect_log "efikexec: kernel '$http/flaky503/vmlinuz': HTTP status 503; trying again in 1 s"
expect_log "efikexec: initrd '$http/moved/initrd.img': HTTP 301, fetching '$http/redirect/initrd.img'"
expect_log "efikexec: initrd '$http/redirect/initrd.img': HTTP 307, fetching '$http/chunked/initrd.img'"
# the Debian kernel's fetch takes over a second: its progress line,
# written over itself at most twice a second, ends with all of it
progress="efikexec: fetching kernel '$http/flaky503/vmlinuz': "
tenths=$(((size >> 10) * 10 >> 10))
expect_log "$progress$((tenths / 10)).$((tenths % 10)) of $((tenths / 10)).$((tenths % 10)) MiB (100%), "
lines=$(grep -oF -- "$progress" "$WORK/serial.txt" | wc -l)
if [ "$lines" -ge 1 ] && [ "$lines" -le $((QEMU_MS / 500 + 1)) ]; then
	pass "progress line written $lines times in $((QEMU_MS / 1000)) s"
else
	fail "progress line written $lines times in $((QEMU_MS / 1000)) s"
fi
expect_log "efikexec: handoff format=linux"
expect_probe cmdline "$cmdline"
expect_probe "payload random.bin sha256" "$sum"
expect_log "efikexec-probe: done"
# what the server saw: every answer the cases above were to get
for want in "HEAD /exact/efikexec.efi 200" "GET /exact/efikexec.efi 200" \
	"GET /exact/nothing.img 404" "GET /truncated/vmlinuz 200 truncated" \
	"GET /truncated/initrd.img 200 truncated" "GET /stalled/vmlinuz 200 stalled" \
	"GET /stalled/vmlinuz stalled, closed by the client" \
	"GET /drop/initrd.img dropped" "GET /flaky503/vmlinuz 503" \
	"GET /flaky503/vmlinuz 200" "GET /moved/initrd.img 301" \
	"GET /redirect/initrd.img 307" "GET /chunked/initrd.img 200 chunked"; do
	if grep -q "^$want" "$WORK/httpd.log"; then pass "server log: $want"; else fail "server log lacks '$want'"; fi
done

# ---- TFTP ----
startup "fs0:"
add_case tftp-missing "tftp://10.0.2.2/nothing.img $cmdline"
add_case tftp-no-dns "tftp://boot.invalid/vmlinuz $cmdline"
add_case https "--dry-run --initrd https://10.0.2.101/chunked/initrd.img https://10.0.2.101/exact/vmlinuz $cmdline"
# the same server as 10.0.2.102: its certificate is for another host
add_case https-wrong-host "https://10.0.2.102/exact/vmlinuz $cmdline"
# a certificate for the right host, from a CA OVMF was not given
add_case https-wrong-ca "https://10.0.2.103/exact/vmlinuz $cmdline"
# eth0, the dead NIC (slot 15), gets an address by hand: tried first
startup_add "ifconfig -s eth0 static 10.0.2.16 255.255.255.0 10.0.2.2" "echo case-begin tftp-boot" \
	"efikexec.efi --initrd tftp://10.0.2.2/initrd.img --initrd tftp://10.0.2.2/payload.img tftp://10.0.2.2/vmlinuz $cmdline" \
	"echo efikexec returned %lasterror%"
http_requests=$(wc -l < "$WORK/httpd.log")
# shellcheck disable=SC2046
netboot_qemu -smp 2 -m 1024 $(tpm_args) \
	-fw_cfg name=etc/edk2/https/cacerts,file="$tls/cacerts.bin" \
	-netdev hubport,id=dead,hubid=7 \
	-device virtio-net-pci,netdev=dead,romfile=,addr=0xf,mac=52:54:00:00:de:ad

expect_error tftp-missing "cannot fetch kernel 'tftp://10.0.2.2/nothing.img': TFTP error 1: "
# the first run: DHCP on both NICs, the one that answers taken
if block tftp-missing | grep -qxF "efikexec: network: 10.0.2.15/24 by DHCP on 52:54:00:12:34:56"; then
	pass "DHCP: the address from the NIC whose network answers"
else
	fail "DHCP with a dead NIC: $(block tftp-missing)"
fi
expect_error tftp-no-dns "cannot fetch kernel 'tftp://boot.invalid/vmlinuz': cannot look up 'boot.invalid': DHCP named no DNS server"
expect_block https "https with the CA given through fw_cfg" \
	'^efikexec: dry run: plan is valid' \
	"$(ended_well https)"
expect_error https-wrong-host "cannot fetch kernel 'https://10.0.2.102/exact/vmlinuz': the TLS handshake failed"
expect_error https-wrong-ca "cannot fetch kernel 'https://10.0.2.103/exact/vmlinuz': the TLS handshake failed"
if grep -q '^TLS handshake failed' "$WORK/otherd.log" && ! grep -q '^GET' "$WORK/otherd.log"; then
	pass "the server with the other CA's certificate: handshake refused, nothing asked"
else
	fail "the server with the other CA's certificate saw: $(cat "$WORK/otherd.log")"
fi
# this boot asks nothing by plain HTTP: an https URL that failed never is
if [ "$(wc -l < "$WORK/httpd.log")" = "$http_requests" ]; then
	pass "no plain HTTP request after the https ones"
else
	fail "plain HTTP requests in the TFTP boot: $(tail -n +$((http_requests + 1)) "$WORK/httpd.log")"
fi
# the dead NIC first, nothing answering there, then the other
boot=$(sed -n '/^case-begin tftp-boot$/,$p' "$WORK/serial.txt")
if printf '%s\n' "$boot" | grep -qxF "efikexec: network: 10.0.2.16/24 as set before on 52:54:00:00:de:ad" &&
	printf '%s\n' "$boot" | grep -q "^efikexec: [a-z]* 'tftp://10.0.2.2/[a-z.]*': reading it: .*; trying the next network interface$" &&
	printf '%s\n' "$boot" | grep -qxF "efikexec: network: 10.0.2.15/24 as set before on 52:54:00:12:34:56"; then
	pass "a fetch nothing answers on one NIC is made on the next"
else
	fail "NIC fallback: $(printf '%s\n' "$boot" | grep '^efikexec: ' | head -20)"
fi
expect_log "efikexec: handoff format=linux"
expect_probe "payload random.bin sha256" "$sum"
expect_no_log "efikexec returned"
# measured as files from a volume are, the URL where the path would be
tcglog=$ROOT/build/tools/tcglog
probe tpm_log | base64 -d > "$WORK/tpm.log"
"$tcglog" events "$WORK/tpm.log" > "$WORK/tpm-events.txt" ||
	fail "Linux's copy of the event log does not parse"
for f in vmlinuz initrd.img payload.img; do
	want="pcr=9 type=0xd sha256=$(sha "$srv/$f") data=tftp://10.0.2.2/$f"
	if grep -qxF -- "$want" "$WORK/tpm-events.txt"; then pass "event log: $want"; else fail "event log lacks '$want'"; fi
done
expect_probe pcr9 "$("$tcglog" extend "$(sha "$srv/vmlinuz")" "$(sha "$srv/initrd.img")" "$(sha "$srv/payload.img")")"
expect_log "efikexec-probe: done"

# ---- Boot entries with URLs, from the firmware's boot manager ----
# efikexec as \EFI\BOOT\BOOTX64.EFI (no shell) reads its entries from the
# ESP: an `efi` entry for Debian's bare systemd-stub over HTTP (started;
# it returns an error, and efikexec counts down to the next), an entry
# whose `linux` and `initrd` lines are URLs over HTTP and TFTP (pinned),
# which boots, and a `uki-url :NAME` entry, left out since efikexec was
# not fetched over the network. Then, under Secure Boot (signed efikexec,
# the CA through fw_cfg), two `uki-url` entries over HTTPS: an unsigned
# UKI, refused, then one signed with the snakeoil key, which boots.

# entries_boot ENTRY... -- QEMU_ARGS...: boots the disk firmware_disk()
# makes with these files in \loader\entries (bootindex=0) beside the NIC;
# a 1 s timeout, so that the menu counts down 1 s after a failed entry
printf '%s\n' "timeout 1" > "$WORK/loader.conf"
entries_boot() {
	files="loader/loader.conf=$WORK/loader.conf"
	while [ "$1" != "--" ]; do
		files="$files loader/entries/$(basename "$1")=$1"
		shift
	done
	shift
	# shellcheck disable=SC2086
	firmware_disk $files
	run_qemu "" -drive if=none,id=disk,format=raw,file="$WORK/disk.img" \
		-device virtio-blk-pci,drive=disk,bootindex=0 \
		-netdev "user,id=net0,restrict=on,tftp=$srv,guestfwd=tcp:10.0.2.100:80-cmd:python3 $TOOLS/httpd.py relay $WORK/httpd.port,guestfwd=tcp:10.0.2.101:443-cmd:python3 $TOOLS/httpd.py relay $WORK/httpsd.port" \
		-device virtio-net-pci,netdev=net0,romfile= "$@"
}

cp /usr/lib/systemd/boot/efi/linuxx64.efi.stub "$srv/stub.efi"
e=$WORK/entries
mkdir -p "$e"
printf '%s\n' "title Bare stub over HTTP" "efi $http/exact/stub.efi" > "$e/3-stub.conf"
printf '%s\n' "title Debian over HTTP and TFTP" \
	"linux $http/exact/vmlinuz#sha256=$(sha "$vmlinuz")" \
	"initrd $http/exact/initrd.img" \
	"initrd tftp://10.0.2.2/payload.img#sha256=$(sha "$srv/payload.img")" \
	"options $cmdline efikexec.entry=url" > "$e/2-url.conf"
printf '%s\n' "title Beside efikexec" "uki-url :uki.efi" > "$e/1-beside.conf"
entries_boot "$e/3-stub.conf" "$e/2-url.conf" "$e/1-beside.conf" -- -smp 2 -m 1024
expect_log "efikexec: starting EFI application '$http/exact/stub.efi'"
expect_log "efikexec: error: \\loader\\entries\\3-stub.conf: EFI application '$http/exact/stub.efi' returned "
expect_log "efikexec: booting 'Debian over HTTP and TFTP' from \\loader\\entries\\2-url.conf"
expect_probe cmdline "$cmdline efikexec.entry=url"
expect_probe "payload random.bin sha256" "$sum"
expect_probe "bli LoaderEntries" "3-stub.conf|2-url.conf|auto-reboot-to-firmware-setup"
expect_probe "bli LoaderEntrySelected" "2-url.conf"
# the menu came up (its 1 s countdown) between efikexec's start and its end
init=$(probe "bli LoaderTimeInitUSec")
menu=$(probe "bli LoaderTimeMenuUSec")
exec=$(probe "bli LoaderTimeExecUSec")
if [ "${init:-0}" -gt 0 ] && [ "${menu:-0}" -gt "${init:-0}" ] &&
	[ "${exec:-0}" -gt "${menu:-0}" ]; then
	pass "LoaderTimeInitUSec $init < LoaderTimeMenuUSec $menu < LoaderTimeExecUSec $exec"
else
	fail "LoaderTimeInitUSec '$init', LoaderTimeMenuUSec '$menu', LoaderTimeExecUSec '$exec'"
fi
expect_no_log "Shell>"
expect_log "efikexec-probe: done"

# Secure Boot: what the firmware trusts is what boots, fetched or not
openssl pkey -in /usr/share/ovmf/PkKek-1-snakeoil.key -passin pass:snakeoil \
	-out "$WORK/snakeoil.key"
sign() {
	sbsign --key "$WORK/snakeoil.key" --cert /usr/share/ovmf/PkKek-1-snakeoil.pem \
		--output "$2" "$1" 2>/dev/null
}
sign "$ROOT/build/efikexec.efi" "$WORK/efikexec-signed.efi"
printf '%s\n' 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"' ID=debian > "$WORK/os-release"
"$TOOLS/mkuki.sh" "$srv/uki.efi" "$vmlinuz" "$srv/initrd.img" \
	"$cmdline efikexec.uki=signed" "$WORK/os-release"
sign "$srv/uki.efi" "$srv/uki-signed.efi"
# the unsigned one around the probe kernel: refused all the same, and
# small (TLS under TCG takes about 15 s for Debian's kernel)
"$TOOLS/mkuki.sh" "$srv/uki-unsigned.efi" "$ROOT/build/probe/linux.bzImage" \
	"$WORK/os-release" "$cmdline" "$WORK/os-release"
rm -f "$e"/*.conf
printf '%s\n' "uki-url https://10.0.2.101/exact/uki-unsigned.efi" > "$e/2-unsigned.conf"
printf '%s\n' "uki-url https://10.0.2.101/exact/uki-signed.efi" > "$e/1-signed.conf"
VARS=$WORK/vars-sb.fd EFIKEXEC=$WORK/efikexec-signed.efi SECURE_BOOT=1 TIMEOUT=400 \
	entries_boot "$e/2-unsigned.conf" "$e/1-signed.conf" -- -smp 2 -m 1024 \
	-fw_cfg name=etc/edk2/https/cacerts,file="$tls/cacerts.bin"
expect_log "efikexec: error: \\loader\\entries\\2-unsigned.conf: Secure Boot is on, and kernel 'https://10.0.2.101/exact/uki-unsigned.efi' is not signed by a key the firmware trusts"
expect_probe cmdline "$cmdline efikexec.uki=signed"
expect_probe secureboot "Secure boot enabled"
expect_probe "bli LoaderEntrySelected" "1-signed.conf"
for want in "GET /exact/uki-unsigned.efi 200" "GET /exact/uki-signed.efi 200"; do
	if grep -q "^$want" "$WORK/httpsd.log"; then pass "server log: $want"; else fail "server log lacks '$want'"; fi
done
expect_log "efikexec-probe: done"
finish
