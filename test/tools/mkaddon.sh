#!/bin/sh
# mkaddon.sh OUT.efi CMDLINE [SECTION=FILE]...
#
# A systemd-stub add-on made as ukify makes one: the add-on stub STUB
# (addonx64.efi.stub, from systemd-boot-efi 254 on) with the command line
# CMDLINE (the text itself) and any more SECTION=FILE given (.uname=...)
# added as sections (add-sections.sh).
set -eu
out=$1
printf '%s' "$2" > "$out.cmdline"
shift 2

"$(dirname "$0")/add-sections.sh" "$STUB" "$out" .cmdline="$out.cmdline" "$@"
