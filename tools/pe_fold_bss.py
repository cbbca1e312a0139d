#!/usr/bin/env python3
"""Folds the .bss section header of a PE32+ image into .data, in place.

objcopy gives efikexec.efi four section headers (.text, .reloc, .data,
.bss). With its 128-byte DOS stub the headers then take 552 bytes, which
the 512-byte file alignment rounds up to 1024: a whole block of padding.
Three headers fit in exactly 512 bytes. The zeroed data needs no header of
its own: a section whose VirtualSize is larger than its SizeOfRawData has
the rest zero-filled by the loader (PE/COFF specification, "Section Table":
"If this value is greater than SizeOfRawData, the section is zero-padded"),
and efi_main() clears its .bss itself anyway (linker.ld).

The .reloc placeholder stays a section of its own: shim and GRUB find the
relocation directory by a section named .reloc.

usage: pe_fold_bss.py IMAGE"""
import struct
import sys

FILE_ALIGN = 0x200
SECTION_HEADER = 40


def fail(msg):
    sys.exit("pe_fold_bss.py: %s" % msg)


def main(path):
    img = bytearray(open(path, "rb").read())
    pe = struct.unpack_from("<I", img, 0x3C)[0]
    if img[pe:pe + 4] != b"PE\0\0":
        fail("%s: no PE signature" % path)
    nsec, = struct.unpack_from("<H", img, pe + 6)
    optsz, = struct.unpack_from("<H", img, pe + 20)
    opt = pe + 24
    if struct.unpack_from("<H", img, opt)[0] != 0x20B:
        fail("%s: not PE32+" % path)
    sec = opt + optsz
    names = [bytes(img[sec + i * SECTION_HEADER:][:8]).rstrip(b"\0")
             for i in range(nsec)]
    if names[-2:] != [b".data", b".bss"]:
        fail("%s: expected .data then .bss last, found %s" % (path, names))
    data = sec + (nsec - 2) * SECTION_HEADER
    bss = data + SECTION_HEADER
    d_vsize, d_va, d_raw, d_ptr = struct.unpack_from("<IIII", img, data + 8)
    b_vsize, b_va, b_raw = struct.unpack_from("<III", img, bss + 8)
    salign, = struct.unpack_from("<I", img, opt + 32)
    if b_raw or b_va != (d_va + d_vsize + salign - 1) // salign * salign:
        fail("%s: .bss does not follow .data directly" % path)
    # .data now spans the zeroed data too
    struct.pack_into("<I", img, data + 8, b_va + b_vsize - d_va)
    img[bss:bss + SECTION_HEADER] = bytes(SECTION_HEADER)
    nsec -= 1
    struct.pack_into("<H", img, pe + 6, nsec)
    # SizeOfInitializedData / SizeOfUninitializedData: the loader ignores
    # them, but keep them true: no uninitialised section is left
    struct.pack_into("<I", img, opt + 12, 0)
    headers = sec + nsec * SECTION_HEADER
    old, = struct.unpack_from("<I", img, opt + 60)
    new = (headers + FILE_ALIGN - 1) // FILE_ALIGN * FILE_ALIGN
    if new < old:
        shift = old - new
        for i in range(nsec):
            at = sec + i * SECTION_HEADER + 20
            ptr, = struct.unpack_from("<I", img, at)
            if ptr:
                struct.pack_into("<I", img, at, ptr - shift)
        struct.pack_into("<I", img, opt + 60, new)
        img = img[:new] + img[old:]
    open(path, "wb").write(img)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        fail("usage: pe_fold_bss.py IMAGE")
    main(sys.argv[1])
