#!/bin/sh
# The layer check: every #include "dir/file" (and NASM %include) of the C,
# header and assembly sources under ROOT (default: this checkout) must
# name a file of its own directory or of a lower layer. The layers are
# read from the table in ROOT/docs/architecture.md, "## Layers", and
# nowhere else, so that the document and the check cannot disagree.
#
#   tools/check-layers.sh [ROOT]
#
# Prints each include that looks up or sideways as FILE:LINE: and exits 1;
# a source in a directory the table does not place fails too, and so does
# a table that cannot be read.
set -eu

root=${1:-$(dirname "$0")/..}
doc=$root/docs/architecture.md

if [ ! -r "$doc" ]; then
	echo "check-layers: no $doc to read the layers from" >&2
	exit 1
fi

# A quoted include names "dir/file" from the top of the tree (-I.): its
# first directory is the one whose layer counts. One without a slash is
# the including file's own directory's (or generated, in build/gen/).
cd "$root"
set -- $(find . -path ./build -prune -o -path './.*' -prune -o -type f \
	\( -name '*.c' -o -name '*.h' -o -name '*.asm' -o -name '*.inc' \) \
	-print | sed 's|^\./||' | LC_ALL=C sort)
awk -v doc="docs/architecture.md" '
function fail(msg) {
	print msg > "/dev/stderr"
	bad++
}

BEGIN {
	# the table rows of the "## Layers" section: | N | dir, dir | ... |
	while ((getline line < doc) > 0) {
		if (line ~ /^## /)
			in_layers = (line ~ /^## Layers[ \t]*$/)
		if (!in_layers || line !~ /^\|[ \t]*[0-9]+[ \t]*\|/)
			continue
		split(line, cell, "|")
		n = cell[2] + 0
		gsub(/[` \t]/, "", cell[3])
		ndirs = split(cell[3], dirs, ",")
		for (i = 1; i <= ndirs; i++) {
			if (dirs[i] in layer) {
				fail(doc ": " dirs[i] " is in two layers")
				continue
			}
			layer[dirs[i]] = n
			placed_dirs++
		}
	}
	if (!placed_dirs) {
		fail(doc ": no layers (a \"## Layers\" section with rows | N | dir, ... |)")
		exit
	}
}

FNR == 1 {
	dir = FILENAME
	sub(/\/.*/, "", dir)
	placed = dir != FILENAME && (dir in layer)
	if (!placed)
		fail(FILENAME ": in no layer: place its directory in " doc)
	files++
}

placed && /^[ \t]*[#%][ \t]*include[ \t]*"/ {
	target = $0
	sub(/^[^"]*"/, "", target)
	sub(/".*/, "", target)
	if (target !~ /\//)
		next
	to = target
	sub(/\/.*/, "", to)
	if (to == dir)
		next
	where = FILENAME ":" FNR ": includes \"" target "\": "
	if (!(to in layer))
		fail(where to "/ is in no layer of " doc)
	else if (layer[to] >= layer[dir])
		fail(where dir "/ (layer " layer[dir] ") may not include " \
		     to "/ (layer " layer[to] "): " doc ", \"Layers\"")
}

END {
	if (bad)
		exit 1
	printf "check-layers: %d files, every include looks down (%s)\n", files, doc
}
' "$@" < /dev/null
