#!/usr/bin/env python3
"""Takes out of a PE32+ image what costs file space and holds nothing, in
place: the .bss section header and the relocation placeholder.

The image is efikexec.efi as objcopy writes it from an ELF with no
relocations at all (the Makefile checks): .text, .data and .bss, and
objcopy, since no .reloc section is given to it, marks the file
IMAGE_FILE_RELOCS_STRIPPED.

- The relocations: there are none to apply, and an image without base
  relocations is still relocatable as long as RELOCS_STRIPPED is clear
  (PE/COFF specification, "Characteristics": the flag says the image
  "must therefore be loaded at its preferred base address"; EDK2's
  PeCoffLoaderRelocateImage() refuses to move an image only when it is
  set, and skips an empty relocation directory; shim and GRUB apply
  relocations only when the directory has a size and a .reloc section).
  systemd's elf2efi builds systemd-boot the same way. A placeholder .reloc
  section would take a whole 512-byte block of the file for 12 bytes.
- The .bss header: a section whose VirtualSize is larger than its
  SizeOfRawData is zero-filled by the loader beyond the raw data (PE/COFF
  specification, "Section Table"), so .data can span the zeroed data too;
  efi_main() clears its .bss itself anyway (linker.ld). With two section
  headers behind the 128-byte DOS stub, the headers fit in one 512-byte
  block where four took two.

usage: pe_compact.py IMAGE"""
import struct
import sys

FILE_ALIGN = 0x200
SECTION_HEADER = 40
RELOCS_STRIPPED = 0x0001
DIR_BASERELOC = 5


def fail(msg):
    sys.exit("pe_compact.py: %s" % msg)


def main(path):
    img = bytearray(open(path, "rb").read())
    pe = struct.unpack_from("<I", img, 0x3C)[0]
    if img[pe:pe + 4] != b"PE\0\0":
        fail("%s: no PE signature" % path)
    nsec, = struct.unpack_from("<H", img, pe + 6)
    chars, = struct.unpack_from("<H", img, pe + 22)
    optsz, = struct.unpack_from("<H", img, pe + 20)
    opt = pe + 24
    if struct.unpack_from("<H", img, opt)[0] != 0x20B:
        fail("%s: not PE32+" % path)
    sec = opt + optsz
    names = [bytes(img[sec + i * SECTION_HEADER:][:8]).rstrip(b"\0")
             for i in range(nsec)]
    if names != [b".text", b".data", b".bss"]:
        fail("%s: expected sections .text, .data, .bss, found %s" %
             (path, names))
    reloc_dir = opt + 112 + 8 * DIR_BASERELOC
    if struct.unpack_from("<II", img, reloc_dir) != (0, 0):
        fail("%s: has a relocation directory" % path)
    struct.pack_into("<H", img, pe + 22, chars & ~RELOCS_STRIPPED)

    data = sec + SECTION_HEADER
    bss = data + SECTION_HEADER
    d_vsize, d_va = struct.unpack_from("<II", img, data + 8)
    b_vsize, b_va, b_raw = struct.unpack_from("<III", img, bss + 8)
    salign, = struct.unpack_from("<I", img, opt + 32)
    if b_raw or b_va != (d_va + d_vsize + salign - 1) // salign * salign:
        fail("%s: .bss does not follow .data directly" % path)
    struct.pack_into("<I", img, data + 8, b_va + b_vsize - d_va)
    img[bss:bss + SECTION_HEADER] = bytes(SECTION_HEADER)
    nsec -= 1
    struct.pack_into("<H", img, pe + 6, nsec)
    # SizeOfUninitializedData: no uninitialised section is left (the
    # loader ignores it; kept true)
    struct.pack_into("<I", img, opt + 12, 0)

    old, = struct.unpack_from("<I", img, opt + 60)
    new = (sec + nsec * SECTION_HEADER + FILE_ALIGN - 1) // FILE_ALIGN * FILE_ALIGN
    if new < old:
        for i in range(nsec):
            at = sec + i * SECTION_HEADER + 20
            ptr, = struct.unpack_from("<I", img, at)
            struct.pack_into("<I", img, at, ptr - (old - new))
        struct.pack_into("<I", img, opt + 60, new)
        img = img[:new] + img[old:]
    open(path, "wb").write(img)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        fail("usage: pe_compact.py IMAGE")
    main(sys.argv[1])
