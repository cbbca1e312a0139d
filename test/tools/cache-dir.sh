#!/bin/sh
# cache-dir.sh: prints (and makes) the directory where the tests and
# benchmarks keep what they fetch or build once: Debian's kernels, stubs,
# shim, Xen and the Debian disk image. Outside the tree, so a clean clone,
# `make clean` and `git clean` keep it and nothing fetched can be committed:
# $EFIKEXEC_CACHE, else ${XDG_CACHE_HOME:-~/.cache}/efikexec-test.
set -eu
dir=${EFIKEXEC_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/efikexec-test}
mkdir -p "$dir"
printf '%s\n' "$dir"
