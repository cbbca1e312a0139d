#!/usr/bin/env python3
"""Writes efikexec.efi, a PE32+ EFI application, from the ELF shared object
the linker made of it (linker.ld), with the ELF's dynamic relocations as
the PE's base relocations (docs/architecture.md, "Relocations").

Every allocated section of the ELF becomes a PE section at the same
address (the image is linked at 0, its ImageBase), except those only an
ELF dynamic loader reads: the dynamic table, the symbols, the hash tables
and the relocations themselves; zeroed data (.bss) becomes the tail of
the data section before it, which the loader zero-fills. A section's
characteristics follow its ELF flags. The relocations become a .reloc section: blocks of DIR64
entries, one block per 4 KiB page, which the PE loader (firmware or shim)
applies before it calls the entry point.

With --sbat, the file's bytes become a .sbat section: efikexec's SBAT
metadata, which shim checks against its revocation list before it starts
the image (tools/gen_sbat.sh writes it, docs/secure-boot.md).

The image is marked NX_COMPAT: firmware may map its code read-only and
everything else no-execute (docs/secure-boot.md, "NX"). So the tool
fails, and writes nothing, on a section that would be both writable and
executable (code or data in an input section of the wrong kind, gathered
into .text or .data by linker.ld).

It fails, and writes nothing, on what a PE base relocation cannot say:
a relocation of any type but R_X86_64_RELATIVE (only "add the load
address" exists on the PE side), or one outside the writable, initialised
data (the code stays position-independent and nothing is written to it).

With --driver, the image is an EFI boot service driver instead: what the
tests build of test/driver/ for efikexec to load as systemd-boot does.

usage: elf_to_pe.py [--driver] [--sbat CSV] ELF PE"""
import struct
import sys

# ELF: System V ABI, with its AMD64 supplement for the relocation types
SHT_RELA = 4
SHT_HASH = 5
SHT_DYNAMIC = 6
SHT_NOBITS = 8
SHT_REL = 9
SHT_DYNSYM = 11
SHT_STRTAB = 3
SHT_GNU_HASH = 0x6FFFFFF6
LOADER_ONLY = {SHT_RELA, SHT_HASH, SHT_DYNAMIC, SHT_REL, SHT_DYNSYM,
               SHT_STRTAB, SHT_GNU_HASH}
SHF_WRITE = 0x1
SHF_ALLOC = 0x2
SHF_EXECINSTR = 0x4
R_X86_64_RELATIVE = 8
RELOCATION_NAMES = {1: "R_X86_64_64", 2: "R_X86_64_PC32",
                    6: "R_X86_64_GLOB_DAT", 7: "R_X86_64_JUMP_SLOT",
                    8: "R_X86_64_RELATIVE", 10: "R_X86_64_32",
                    16: "R_X86_64_DTPMOD64", 18: "R_X86_64_TPOFF64",
                    37: "R_X86_64_IRELATIVE"}

# PE/COFF specification
FILE_ALIGNMENT = 0x200
SECTION_ALIGNMENT = 0x1000
IMAGE_BASE = 0
IMAGE_FILE_MACHINE_AMD64 = 0x8664
IMAGE_FILE_EXECUTABLE_IMAGE = 0x0002
IMAGE_FILE_LARGE_ADDRESS_AWARE = 0x0020
IMAGE_SUBSYSTEM_EFI_APPLICATION = 10
IMAGE_SUBSYSTEM_EFI_BOOT_SERVICE_DRIVER = 11
IMAGE_DLLCHARACTERISTICS_DYNAMIC_BASE = 0x0040
IMAGE_DLLCHARACTERISTICS_NX_COMPAT = 0x0100
IMAGE_SCN_CNT_CODE = 0x00000020
IMAGE_SCN_CNT_INITIALIZED_DATA = 0x00000040
IMAGE_SCN_CNT_UNINITIALIZED_DATA = 0x00000080
IMAGE_SCN_MEM_DISCARDABLE = 0x02000000
IMAGE_SCN_MEM_EXECUTE = 0x20000000
IMAGE_SCN_MEM_READ = 0x40000000
IMAGE_SCN_MEM_WRITE = 0x80000000
IMAGE_REL_BASED_ABSOLUTE = 0
IMAGE_REL_BASED_DIR64 = 10
IMAGE_DIRECTORY_ENTRY_BASERELOC = 5
DATA_DIRECTORIES = 16
DOS_HEADER = 64
COFF_HEADER = 20
OPTIONAL_HEADER = 112 + 8 * DATA_DIRECTORIES
SECTION_HEADER = 40


class Failure(Exception):
    pass


def align(value, to):
    return (value + to - 1) // to * to


class Section:
    def __init__(self, name, addr, size, characteristics, data):
        self.name = name
        self.addr = addr
        self.size = size
        self.characteristics = characteristics
        self.data = data      # bytearray, None for zeroed data

    def holds(self, addr, size):
        return self.addr <= addr and addr + size <= self.addr + self.size


def read_elf(elf):
    """The entry point, all section headers (as dicts) and their names."""
    if elf[:4] != b"\x7fELF" or elf[4] != 2 or elf[5] != 1:
        raise Failure("not a 64-bit little-endian ELF file")
    (e_type, e_machine, _, e_entry, _, e_shoff, _, _, _, _, e_shentsize,
     e_shnum, e_shstrndx) = struct.unpack_from("<HHIQQQIHHHHHH", elf, 16)
    if e_type != 3 or e_machine != 62:
        raise Failure("not an x86-64 shared object (ET_DYN, EM_X86_64)")
    sections = []
    for i in range(e_shnum):
        (name, type_, flags, addr, offset, size, link, _, _,
         entsize) = struct.unpack_from("<IIQQQQIIQQ", elf, e_shoff + i * e_shentsize)
        sections.append(dict(name=name, type=type_, flags=flags, addr=addr,
                             offset=offset, size=size, link=link,
                             entsize=entsize))
    names = sections[e_shstrndx]
    for s in sections:
        s["name"] = c_string(elf, names["offset"] + s["name"])
    return e_entry, sections


def c_string(blob, at):
    return blob[at:blob.index(b"\0", at)].decode()


def image_sections(elf, sections):
    """The PE's sections: the ELF's allocated ones that are not the
    dynamic loader's, in address order."""
    out = []
    for s in sections:
        if not s["flags"] & SHF_ALLOC or s["type"] in LOADER_ONLY or not s["size"]:
            continue
        if len(s["name"]) > 8:
            raise Failure("section %s: a PE section name has at most 8 bytes"
                          % s["name"])
        chars = IMAGE_SCN_MEM_READ
        if s["flags"] & SHF_EXECINSTR:
            chars |= IMAGE_SCN_CNT_CODE | IMAGE_SCN_MEM_EXECUTE
        elif s["type"] == SHT_NOBITS:
            chars |= IMAGE_SCN_CNT_UNINITIALIZED_DATA
        else:
            chars |= IMAGE_SCN_CNT_INITIALIZED_DATA
        if s["flags"] & SHF_WRITE:
            chars |= IMAGE_SCN_MEM_WRITE
        if chars & IMAGE_SCN_MEM_WRITE and chars & IMAGE_SCN_MEM_EXECUTE:
            raise Failure("section %s is both writable and executable, which "
                          "an NX_COMPAT image may not be" % s["name"])
        data = None
        if s["type"] != SHT_NOBITS:
            data = bytearray(elf[s["offset"]:s["offset"] + s["size"]])
        out.append(Section(s["name"], s["addr"] - IMAGE_BASE, s["size"], chars, data))
    return with_zeroed_tails(sorted(out, key=lambda s: s.addr))


def with_zeroed_tails(sections):
    """Each section of zeroed data (.bss) that follows initialised data
    with the same access made the tail of that section instead: a section
    whose SizeOfRawData is less than its VirtualSize is zero-filled to its
    end by the loader (PE/COFF specification, "Section Table"), as the
    Microsoft linker merges .bss into .data. One section header less: with
    four, the headers fit in the file's first FILE_ALIGNMENT bytes."""
    access = IMAGE_SCN_MEM_READ | IMAGE_SCN_MEM_WRITE | IMAGE_SCN_MEM_EXECUTE
    out = []
    for s in sections:
        last = out[-1] if out else None
        if s.data is None and last is not None and last.data is not None and \
                not last.characteristics & IMAGE_SCN_CNT_CODE and \
                last.characteristics & access == s.characteristics & access:
            last.size = s.addr + s.size - last.addr
            continue
        out.append(s)
    return out


def relocations(elf, sections, image):
    """The addresses the loader must add the load address to, with the
    value each holds as linked; fails on what .reloc cannot say."""
    out = []
    for s in sections:
        if s["type"] == SHT_REL:
            raise Failure("%s: REL relocations (x86-64 uses RELA)" % s["name"])
        if s["type"] != SHT_RELA:
            continue
        symbols = sections[s["link"]] if s["link"] else None
        for at in range(s["offset"], s["offset"] + s["size"], 24):
            offset, info, addend = struct.unpack_from("<QQq", elf, at)
            type_, sym = info & 0xFFFFFFFF, info >> 32
            where = "relocation %s at 0x%x" % (
                RELOCATION_NAMES.get(type_, "type %d" % type_), offset)
            if sym and symbols:
                where += " against %s" % symbol_name(elf, sections, symbols, sym)
            if type_ != R_X86_64_RELATIVE or sym:
                raise Failure(where + ": a PE base relocation can only add "
                              "the load address (R_X86_64_RELATIVE)")
            home = [p for p in image if p.holds(offset - IMAGE_BASE, 8)]
            # (a zeroed tail, with_zeroed_tails(), has no file bytes)
            if not home or home[0].data is None or \
                    offset - IMAGE_BASE + 8 > home[0].addr + len(home[0].data) or \
                    not home[0].characteristics & IMAGE_SCN_MEM_WRITE or \
                    home[0].characteristics & IMAGE_SCN_MEM_EXECUTE:
                raise Failure(where + " is not in writable initialised data "
                              "(a pointer in code or read-only data?)")
            out.append((home[0], offset - IMAGE_BASE, IMAGE_BASE + addend))
    return out


def symbol_name(elf, sections, symbols, index):
    name, = struct.unpack_from("<I", elf, symbols["offset"] + index * 24)
    return "'%s'" % c_string(elf, sections[symbols["link"]]["offset"] + name)


def base_relocation_blocks(rvas):
    """.reloc's contents: per 4 KiB page, its RVA, the block's size and a
    DIR64 entry per address, padded to 32 bits with an ABSOLUTE one."""
    pages = {}
    for rva in sorted(rvas):
        pages.setdefault(rva & ~0xFFF, []).append(rva & 0xFFF)
    out = bytearray()
    for page, offsets in sorted(pages.items()):
        entries = [IMAGE_REL_BASED_DIR64 << 12 | o for o in offsets]
        if len(entries) % 2:
            entries.append(IMAGE_REL_BASED_ABSOLUTE << 12)
        out += struct.pack("<II", page, 8 + 2 * len(entries))
        out += struct.pack("<%dH" % len(entries), *entries)
    return out


def write_pe(entry, sections, subsystem):
    headers = DOS_HEADER + 4 + COFF_HEADER + OPTIONAL_HEADER + \
        SECTION_HEADER * len(sections)
    size_of_headers = align(headers, FILE_ALIGNMENT)
    next_rva = align(size_of_headers, SECTION_ALIGNMENT)
    raw = size_of_headers
    for s in sections:
        if s.addr != next_rva:
            raise Failure("section %s at 0x%x: PE sections follow each other "
                          "at %d-byte alignment from 0x%x (linker.ld)" %
                          (s.name, s.addr, SECTION_ALIGNMENT, next_rva))
        next_rva = align(s.addr + s.size, SECTION_ALIGNMENT)
        s.raw_size = align(len(s.data), FILE_ALIGNMENT) if s.data is not None else 0
        s.raw_at = raw if s.raw_size else 0
        raw += s.raw_size

    def total(flag):
        return sum(s.raw_size if s.data is not None else s.size
                   for s in sections if s.characteristics & flag)

    code = [s for s in sections if s.characteristics & IMAGE_SCN_CNT_CODE]
    reloc = [s for s in sections if s.name == ".reloc"]
    directories = [(0, 0)] * DATA_DIRECTORIES
    if reloc:
        directories[IMAGE_DIRECTORY_ENTRY_BASERELOC] = (reloc[0].addr, reloc[0].size)

    image = bytearray(raw)
    image[0:2] = b"MZ"
    struct.pack_into("<I", image, 0x3C, DOS_HEADER)
    at = DOS_HEADER
    image[at:at + 4] = b"PE\0\0"
    # RELOCS_STRIPPED is clear: the image may be loaded anywhere
    struct.pack_into("<HHIIIHH", image, at + 4, IMAGE_FILE_MACHINE_AMD64,
                     len(sections), 0, 0, 0, OPTIONAL_HEADER,
                     IMAGE_FILE_EXECUTABLE_IMAGE | IMAGE_FILE_LARGE_ADDRESS_AWARE)
    at += 4 + COFF_HEADER
    struct.pack_into("<HBB5IQ2I6H4I2H4Q2I", image, at,
                     0x20B, 0, 0,
                     total(IMAGE_SCN_CNT_CODE),
                     total(IMAGE_SCN_CNT_INITIALIZED_DATA),
                     total(IMAGE_SCN_CNT_UNINITIALIZED_DATA),
                     entry - IMAGE_BASE, code[0].addr if code else 0,
                     IMAGE_BASE, SECTION_ALIGNMENT, FILE_ALIGNMENT,
                     0, 0, 0, 0, 0, 0,
                     0, next_rva, size_of_headers, 0,
                     subsystem,
                     IMAGE_DLLCHARACTERISTICS_DYNAMIC_BASE |
                     IMAGE_DLLCHARACTERISTICS_NX_COMPAT,
                     0, 0, 0, 0, 0, DATA_DIRECTORIES)
    at += 112
    for rva, size in directories:
        struct.pack_into("<II", image, at, rva, size)
        at += 8
    for s in sections:
        struct.pack_into("<8s6I2HI", image, at, s.name.encode(), s.size, s.addr,
                         s.raw_size, s.raw_at, 0, 0, 0, 0, s.characteristics)
        at += SECTION_HEADER
        if s.data is not None:
            image[s.raw_at:s.raw_at + len(s.data)] = s.data
    return image


def add_section(sections, name, data, characteristics):
    """A section of initialised data after the last one."""
    last = sections[-1]
    sections.append(Section(name, align(last.addr + last.size, SECTION_ALIGNMENT),
                            len(data), characteristics, bytearray(data)))


def convert(elf, sbat=None, subsystem=IMAGE_SUBSYSTEM_EFI_APPLICATION):
    entry, elf_sections = read_elf(elf)
    sections = image_sections(elf, elf_sections)
    if not sections:
        raise Failure("no sections to load")
    # read-only, never relocated, and its raw size (rounded up to
    # FILE_ALIGNMENT) at least its size: what shim reads it from
    if sbat is not None:
        add_section(sections, ".sbat", sbat,
                    IMAGE_SCN_CNT_INITIALIZED_DATA | IMAGE_SCN_MEM_READ)
    slots = relocations(elf, elf_sections, sections)
    # what the loader adds the load address to is the value as linked,
    # the relocation's addend (the linker need not have written it)
    for home, rva, value in slots:
        struct.pack_into("<Q", home.data, rva - home.addr, value)
    if slots:
        add_section(sections, ".reloc",
                    base_relocation_blocks(rva for _, rva, _ in slots),
                    IMAGE_SCN_CNT_INITIALIZED_DATA | IMAGE_SCN_MEM_READ |
                    IMAGE_SCN_MEM_DISCARDABLE)
    return write_pe(entry, sections, subsystem)


def main(argv):
    sbat = None
    subsystem = IMAGE_SUBSYSTEM_EFI_APPLICATION
    if len(argv) > 1 and argv[1] == "--driver":
        subsystem = IMAGE_SUBSYSTEM_EFI_BOOT_SERVICE_DRIVER
        argv = argv[:1] + argv[2:]
    if len(argv) == 5 and argv[1] == "--sbat":
        with open(argv[2], "rb") as f:
            sbat = f.read()
        argv = argv[:1] + argv[3:]
    if len(argv) != 3:
        sys.exit("usage: elf_to_pe.py [--driver] [--sbat CSV] ELF PE")
    try:
        with open(argv[1], "rb") as f:
            image = convert(f.read(), sbat, subsystem)
    except Failure as e:
        sys.exit("elf_to_pe.py: %s: %s" % (argv[1], e))
    with open(argv[2], "wb") as f:
        f.write(image)


if __name__ == "__main__":
    main(sys.argv)
