#!/usr/bin/env python3
"""Host tests of tools/elf_to_pe.py, tools/check_base_relocs.sh,
tools/check_nx.sh and the SBAT tools (tools/gen_sbat.sh,
tools/check_sbat.sh): small
shared objects linked as efikexec.efi is (linker.ld), written as PE
images, then loaded at another base with the PE's base relocations
applied by this file's own reading of the PE/COFF format, not the tool's.
Ends with "N passed, N failed", as the C unit tests do.

usage: test_elf_to_pe.py WORKDIR"""
import os
import struct
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOOL = os.path.join(ROOT, "tools", "elf_to_pe.py")
CHECK = os.path.join(ROOT, "tools", "check_base_relocs.sh")
CHECK_NX = os.path.join(ROOT, "tools", "check_nx.sh")
GEN_SBAT = os.path.join(ROOT, "tools", "gen_sbat.sh")
CHECK_SBAT = os.path.join(ROOT, "tools", "check_sbat.sh")
SBAT_LINE = "sbat,1,SBAT Version,sbat,1,https://github.com/rhboot/shim/blob/main/SBAT.md\n"
# the link of efikexec.so (Makefile), for code like efikexec's
CFLAGS = ["-Oz", "-fpic", "-ffreestanding", "-fvisibility=hidden",
          "-nostdlib", "-shared", "-Wl,-Bsymbolic,--build-id=none,-T," +
          os.path.join(ROOT, "linker.ld")]
# a 64 KiB-aligned base far from the image's own 0
LOAD_BASE = 0x7F1234560000

POINTERS = r"""
static const char *const names[] = { "alpha", "beta" };
static char buffer[64];
char *in_bss = buffer + 3;
static int answer(void) { return 42; }
int (*function)(void) = answer;
struct entry { const char *key; int value; };
const struct entry table[] = { { "one", 1 }, { "two", 2 } };
__attribute__((used)) const char *efi_main(int i)
{
	return names[i] + (in_bss - buffer) + function() + table[i].value;
}
"""

work = None
results = {"passed": 0, "failed": 0}


def check(ok, what):
    if not ok:
        print("FAIL: %s" % what)
    return ok


def build(name, source, options=()):
    """The shared object and the tool's run on it, with the tool's
    options: (so, efi, result)."""
    c = os.path.join(work, name + ".c")
    so = os.path.join(work, name + ".so")
    efi = os.path.join(work, name + ".efi")
    with open(c, "w") as f:
        f.write(source)
    subprocess.run(["gcc"] + CFLAGS + ["-o", so, c], check=True,
                   stderr=subprocess.DEVNULL)
    if os.path.exists(efi):
        os.remove(efi)
    run = subprocess.run([sys.executable, TOOL] + list(options) + [so, efi],
                         capture_output=True, text=True)
    return so, efi, run


def symbols(so):
    out = subprocess.run(["nm", so], capture_output=True, text=True,
                         check=True).stdout
    return {f[2]: int(f[0], 16) for f in (l.split() for l in out.splitlines())
            if len(f) == 3}


def load(efi, base):
    """The image as a PE loader maps it at base, relocations applied:
    (memory, file header characteristics, entry point RVA, section names,
    base relocation directory); load.sections: name -> (RVA, size,
    characteristics, offset of the section header in the file);
    load.dll: DllCharacteristics and its offset; load.alignment:
    SectionAlignment; load.headers: SizeOfHeaders."""
    pe = open(efi, "rb").read()
    at, = struct.unpack_from("<I", pe, 0x3C)
    assert pe[at:at + 4] == b"PE\0\0"
    nsec, optsize, chars = struct.unpack_from("<H12xHH", pe, at + 6)
    opt = at + 24
    magic, entry, image_base, load.alignment, size_of_image = struct.unpack_from(
        "<H14xI4xQI20xI", pe, opt)
    assert magic == 0x20B
    load.dll = (struct.unpack_from("<H", pe, opt + 70)[0], opt + 70)
    load.headers, = struct.unpack_from("<I", pe, opt + 60)
    reloc_rva, reloc_size = struct.unpack_from("<II", pe, opt + 112 + 5 * 8)
    memory = bytearray(size_of_image)
    names = []
    load.sections = {}
    for i in range(nsec):
        header = opt + optsize + 40 * i
        name, vsize, rva, raw_size, raw_at, chars_ = struct.unpack_from(
            "<8sIIII12xI", pe, header)
        names.append(name.rstrip(b"\0").decode())
        load.sections[names[-1]] = (rva, vsize, chars_, header)
        n = min(vsize, raw_size)
        memory[rva:rva + n] = pe[raw_at:raw_at + n]
    delta = (base - image_base) & (2**64 - 1)
    at = reloc_rva
    while at < reloc_rva + reloc_size:
        page, block = struct.unpack_from("<II", memory, at)
        for e, in struct.iter_unpack("<H", memory[at + 8:at + block]):
            if e >> 12 == 10:           # IMAGE_REL_BASED_DIR64
                slot = page + (e & 0xFFF)
                v, = struct.unpack_from("<Q", memory, slot)
                struct.pack_into("<Q", memory, slot, (v + delta) & (2**64 - 1))
            else:
                assert e >> 12 == 0, "base relocation type %d" % (e >> 12)
        at += block
    return memory, chars, entry, names, (reloc_rva, reloc_size)


def pointer(memory, rva):
    return struct.unpack_from("<Q", memory, rva)[0]


def string(memory, base, ptr):
    at = ptr - base
    return memory[at:memory.index(b"\0", at)].decode()


def test_pointers_relocated():
    so, efi, run = build("pointers", POINTERS)
    if not check(run.returncode == 0, "elf_to_pe.py failed: " + run.stderr):
        return False
    sym = symbols(so)
    memory, chars, entry, names, reloc = load(efi, LOAD_BASE)
    # the zeroed data (buffer) is .data's tail, without file bytes, and
    # with three section headers the headers take one FILE_ALIGNMENT
    ok = check(names == [".text", ".data", ".reloc"], "sections %s" % names)
    data_rva, data_size, _, data_header = load.sections[".data"]
    ok &= check(data_rva <= sym["buffer"] and
                sym["buffer"] + 64 <= data_rva + data_size,
                ".data 0x%x+0x%x does not hold buffer at 0x%x" %
                (data_rva, data_size, sym["buffer"]))
    raw_size, = struct.unpack_from("<I", open(efi, "rb").read(), data_header + 16)
    ok &= check(raw_size < data_size, ".data has file bytes for its zeroed tail")
    ok &= check(memory[sym["buffer"]:sym["buffer"] + 64] == bytes(64),
                "buffer not zero")
    ok &= check(load.headers == 0x200, "SizeOfHeaders 0x%x" % load.headers)
    ok &= check(not chars & 1, "IMAGE_FILE_RELOCS_STRIPPED is set")
    ok &= check(reloc[1] > 0, "no base relocation directory")
    ok &= check(entry == sym["efi_main"], "entry point 0x%x" % entry)
    names_at = sym["names"]
    ok &= check(string(memory, LOAD_BASE, pointer(memory, names_at)) == "alpha",
                "names[0]")
    ok &= check(string(memory, LOAD_BASE, pointer(memory, names_at + 8)) == "beta",
                "names[1]")
    ok &= check(pointer(memory, sym["in_bss"]) == LOAD_BASE + sym["buffer"] + 3,
                "in_bss")
    ok &= check(pointer(memory, sym["function"]) == LOAD_BASE + sym["answer"],
                "function")
    ok &= check(string(memory, LOAD_BASE, pointer(memory, sym["table"] + 16)) == "two",
                "table[1].key")
    ok &= check(struct.unpack_from("<i", memory, sym["table"] + 24)[0] == 2,
                "table[1].value")
    return ok


def test_no_pointers_no_reloc_section():
    _, efi, run = build("plain", "__attribute__((used)) int efi_main(int i) "
                        "{ static const char s[] = \"abc\"; return s[i]; }\n")
    if not check(run.returncode == 0, "elf_to_pe.py failed: " + run.stderr):
        return False
    _, chars, _, names, reloc = load(efi, LOAD_BASE)
    return check(names == [".text", ".data"], "sections %s" % names) & \
        check(reloc == (0, 0), "base relocation directory %s" % (reloc,)) & \
        check(not chars & 1, "IMAGE_FILE_RELOCS_STRIPPED is set")


def test_refuses_symbol_relocation():
    _, efi, run = build("symbol", "extern int elsewhere;\n"
                        "int *p = &elsewhere;\n"
                        "__attribute__((used)) int efi_main(void) { return *p; }\n")
    return check(run.returncode != 0, "a relocation against a symbol passed") & \
        check("R_X86_64_64" in run.stderr and "'elsewhere'" in run.stderr,
              "message: " + run.stderr) & \
        check(not os.path.exists(efi), "an image was written")


def test_refuses_relocation_in_code():
    _, efi, run = build("code", "__attribute__((used)) int efi_main(void) "
                        "{ return 0; }\n__asm__(\".text\\n.quad efi_main\\n\");\n")
    return check(run.returncode != 0, "a relocation in .text passed") & \
        check("R_X86_64_RELATIVE" in run.stderr and "writable" in run.stderr,
              "message: " + run.stderr) & \
        check(not os.path.exists(efi), "an image was written")


def test_count_check():
    so, efi, run = build("pointers", POINTERS)
    fewer_so, fewer_efi, fewer = build("fewer", POINTERS.replace(
        "int (*function)(void) = answer;", "int (*function)(void);"))
    if not check(run.returncode == 0 and fewer.returncode == 0, "elf_to_pe.py failed"):
        return False
    same = subprocess.run([CHECK, so, efi], capture_output=True, text=True)
    other = subprocess.run([CHECK, so, fewer_efi], capture_output=True, text=True)
    return check(same.returncode == 0, "check failed: " + same.stderr) & \
        check(other.returncode != 0, "check passed with a relocation missing") & \
        check("base relocations for the" in other.stderr, "message: " + other.stderr)


IMAGE_SCN_MEM_EXECUTE = 0x20000000
IMAGE_SCN_MEM_WRITE = 0x80000000
NX_COMPAT = 0x0100


def test_subsystem():
    """An EFI application, or with --driver a boot service driver."""
    ok = True
    for options, want in (((), 10), (("--driver",), 11)):
        _, efi, run = build("subsystem", POINTERS, options)
        if not check(run.returncode == 0, "elf_to_pe.py failed: " + run.stderr):
            return False
        load(efi, LOAD_BASE)
        pe = open(efi, "rb").read()
        ok &= check(struct.unpack_from("<H", pe, load.dll[1] - 2)[0] == want,
                    "Subsystem with %s" % (options,))
    return ok


def test_nx_compat():
    """NX_COMPAT set, 4 KiB sections, none writable and executable; and
    check_nx.sh refuses an image that lost any of it."""
    _, efi, run = build("nx", POINTERS)
    if not check(run.returncode == 0, "elf_to_pe.py failed: " + run.stderr):
        return False
    load(efi, LOAD_BASE)
    ok = check(bool(load.dll[0] & NX_COMPAT), "DllCharacteristics 0x%x" % load.dll[0])
    ok &= check(load.alignment == 0x1000, "SectionAlignment 0x%x" % load.alignment)
    for name, (rva, _, chars, _) in load.sections.items():
        ok &= check(rva % 0x1000 == 0, "%s at 0x%x" % (name, rva))
        ok &= check(not (chars & IMAGE_SCN_MEM_WRITE and chars & IMAGE_SCN_MEM_EXECUTE),
                    "%s: characteristics 0x%x" % (name, chars))
    good = subprocess.run([CHECK_NX, efi], capture_output=True, text=True)
    ok &= check(good.returncode == 0, "check_nx.sh failed: " + good.stderr)
    pe = open(efi, "rb").read()
    text = load.sections[".text"][3]
    data = load.sections[".data"][3]

    def patched(name, at, fmt, value):
        out = bytearray(pe)
        struct.pack_into(fmt, out, at, value)
        path = os.path.join(work, "nx-" + name + ".efi")
        with open(path, "wb") as f:
            f.write(out)
        return path

    text_chars = load.sections[".text"][2]
    data_chars = load.sections[".data"][2]
    cases = [
        (patched("compat", load.dll[1], "<H", load.dll[0] & ~NX_COMPAT), "NX_COMPAT"),
        (patched("text", text + 36, "<I", text_chars | IMAGE_SCN_MEM_WRITE),
         ".text is both writable and executable"),
        (patched("data", data + 36, "<I", data_chars | IMAGE_SCN_MEM_EXECUTE),
         ".data is both writable and executable"),
        (patched("align", data + 12, "<I", load.sections[".data"][0] + 0x200),
         "not at a 4 KiB boundary"),
    ]
    for path, message in cases:
        refused = subprocess.run([CHECK_NX, path], capture_output=True, text=True)
        ok &= check(refused.returncode != 0 and message in refused.stderr,
                    "check_nx.sh on %s: %d %s" % (path, refused.returncode,
                                                  refused.stderr))
    return ok


def test_refuses_writable_code():
    """Code in a writable input section, which linker.ld gathers into
    .data: the image would need a section both writable and executable."""
    _, efi, run = build("wx", "__attribute__((used)) int efi_main(void) "
                        "{ return 0; }\n__asm__(\".section .data.code,\\\"awx\\\"\\n"
                        "nop\\n.previous\\n\");\n")
    return check(run.returncode != 0, "an executable .data passed") & \
        check("both writable and executable" in run.stderr, "message: " + run.stderr) & \
        check(not os.path.exists(efi), "an image was written")


def sbat_csv(name, text):
    path = os.path.join(work, name + ".csv")
    with open(path, "w") as f:
        f.write(text)
    return path


def check_sbat(efi, version="0.1"):
    return subprocess.run([CHECK_SBAT, efi, version], capture_output=True, text=True)


def test_sbat_section():
    csv = SBAT_LINE + "efikexec,3,efikexec,efikexec,0.1,https://example.org/\n"
    _, efi, run = build("sbat", POINTERS, ["--sbat", sbat_csv("good", csv)])
    if not check(run.returncode == 0, "elf_to_pe.py failed: " + run.stderr):
        return False
    memory, _, _, names, _ = load(efi, LOAD_BASE)
    rva, size, chars, _ = load.sections.get(".sbat", (0, 0, 0, 0))
    ok = check(names == [".text", ".data", ".sbat", ".reloc"],
               "sections %s" % names)
    ok &= check(bytes(memory[rva:rva + size]) == csv.encode(), ".sbat contents")
    # initialised, readable, neither writable nor executable
    ok &= check(chars == 0x40000040, ".sbat characteristics 0x%x" % chars)
    good = check_sbat(efi)
    ok &= check(good.returncode == 0, "check_sbat.sh failed: " + good.stderr)
    other = check_sbat(efi, "0.2")
    return ok & check(other.returncode != 0 and '"0.1", not "0.2"' in other.stderr,
                      "check_sbat.sh passed another version: " + other.stderr)


def test_sbat_check_refuses():
    """Each image is refused by check_sbat.sh, with the message's part."""
    cases = [
        ("none", None, "0 .sbat sections"),
        ("fields", SBAT_LINE + "efikexec,1,efikexec,0.1,https://example.org/\n",
         "line 2 has 5 fields"),
        ("empty", SBAT_LINE + "efikexec,1,,efikexec,0.1,https://example.org/\n",
         "empty field 3"),
        ("generation", SBAT_LINE + "efikexec,one,efikexec,efikexec,0.1,u\n",
         'generation "one"'),
        ("zero", SBAT_LINE + "efikexec,0,efikexec,efikexec,0.1,u\n", 'generation "0"'),
        ("header", "efikexec,1,efikexec,efikexec,0.1,u\n", "first line"),
        ("mine", SBAT_LINE, "0 efikexec lines"),
        ("nul", SBAT_LINE + "efikexec,1,efikexec,efikexec,0.1,u\n\0x\n",
         "after its first NUL"),
    ]
    ok = True
    for name, csv, message in cases:
        options = ["--sbat", sbat_csv(name, csv)] if csv is not None else []
        _, efi, run = build("sbat-" + name, POINTERS, options)
        if not check(run.returncode == 0, "elf_to_pe.py failed: " + run.stderr):
            return False
        refused = check_sbat(efi)
        ok &= check(refused.returncode != 0 and message in refused.stderr,
                    "%s: check_sbat.sh: %d %s" % (name, refused.returncode,
                                                  refused.stderr))
    return ok


def test_gen_sbat():
    version_h = os.path.join(work, "version.h")
    with open(version_h, "w") as f:
        f.write('#define EFIKEXEC_VERSION "7.2"\n')

    def gen(text):
        path = os.path.join(work, "sbat.txt")
        with open(path, "w") as f:
            f.write(text)
        return subprocess.run([GEN_SBAT, path, version_h], capture_output=True,
                              text=True)

    good = gen("# comment\ngeneration 12\nurl https://example.org/x\n")
    ok = check(good.returncode == 0 and good.stdout == SBAT_LINE +
               "efikexec,12,efikexec,efikexec,7.2,https://example.org/x\n",
               "gen_sbat.sh: " + good.stdout + good.stderr)
    for bad in ("generation 0\nurl u\n", "generation 1a\nurl u\n",
                "url u\n", "generation 1\n", "generation 1\nurl a,b\n"):
        run = gen(bad)
        ok &= check(run.returncode != 0 and not run.stdout,
                    "gen_sbat.sh took %r: %s" % (bad, run.stdout))
    # the tree's own file makes a section the check takes
    tree = subprocess.run([GEN_SBAT, os.path.join(ROOT, "efi", "sbat.txt"),
                           os.path.join(ROOT, "lib", "version.h")],
                          capture_output=True, text=True)
    return ok & check(tree.returncode == 0 and tree.stdout.startswith(SBAT_LINE),
                      "efi/sbat.txt: " + tree.stderr)


def main():
    global work
    if len(sys.argv) != 2:
        sys.exit("usage: test_elf_to_pe.py WORKDIR")
    work = sys.argv[1]
    os.makedirs(work, exist_ok=True)
    for name, fn in sorted(globals().items()):
        if name.startswith("test_"):
            if fn():
                results["passed"] += 1
            else:
                print("FAIL %s" % name)
                results["failed"] += 1
    print("%d passed, %d failed" % (results["passed"], results["failed"]))
    sys.exit(1 if results["failed"] else 0)


if __name__ == "__main__":
    main()
