#!/usr/bin/env python3
"""mkextracpio.py DIR DIR_MODE FILE_MODE NAME=FILE... > ARCHIVE

An archive of files under DIR as systemd-stub packs one for the initrd
(its cpio.c, systemd 252 to 258), written here from that description
alone, so that a test can check the digest the stub measures: newc
headers of lowercase hex fields, inodes from 1, a record for each
directory of DIR (its parents 0555, DIR itself DIR_MODE, octal), then
each file (FILE_MODE) in the order of the names' bytes, every record and
every file's bytes padded to 4 bytes, then the trailer, whose name size
the stub spells "0000000B"."""
import sys


def header(inode, mode, size, name):
    fields = [inode, mode, 0, 0, 1, 0, size, 0, 0, 0, 0, len(name) + 1, 0]
    return b"070701" + b"".join(b"%08x" % f for f in fields) + name + b"\0"


def pad(out):
    out += b"\0" * (-len(out) % 4)


def main():
    top, dir_mode, file_mode = sys.argv[1], int(sys.argv[2], 8), int(sys.argv[3], 8)
    files = sorted(arg.split("=", 1) for arg in sys.argv[4:])
    out = bytearray()
    inode = 1
    parts = top.split("/")
    for i in range(1, len(parts) + 1):
        mode = dir_mode if i == len(parts) else 0o555
        out += header(inode, 0o040000 | mode, 0, "/".join(parts[:i]).encode())
        pad(out)
        inode += 1
    for name, path in files:
        with open(path, "rb") as f:
            data = f.read()
        out += header(inode, 0o100000 | file_mode, len(data), f"{top}/{name}".encode())
        pad(out)
        out += data
        pad(out)
        inode += 1
    trailer = header(0, 0, 0, b"TRAILER!!!")
    out += trailer[:6 + 11 * 8] + b"0000000B" + trailer[6 + 12 * 8:]
    pad(out)
    sys.stdout.buffer.write(out)


main()
