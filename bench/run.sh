#!/bin/sh
# make bench: every benchmark, one after the other (never in parallel: TCG
# wants both cores). Results in build/bench/.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
"$here/park.sh"
