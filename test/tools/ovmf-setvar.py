#!/usr/bin/env python3
"""Adds a UEFI variable to an OVMF variable store file (OVMF_VARS*.fd)
before a boot, as a firmware that was given it by an earlier boot would
hold it: for a variable the running OS cannot write, such as shim's
MokList (non-volatile, boot services only).

The store is edk2's authenticated variable store (MdeModulePkg's
VariableFormat.h, AuthenticatedVariableFormat.h) after the firmware
volume header: variable headers, each followed by the name (UTF-16, with
its NUL) and the data, each header 4-byte aligned, the free space all
0xFF bytes. The variable is written into the free space, as the
firmware appends one; the firmware reclaims space itself when it needs
to.

usage: ovmf-setvar.py VARS NAME GUID ATTRIBUTES KIND ARG...
ATTRIBUTES is a number (3: non-volatile and boot services; 7: and
runtime). KIND says what the data is:
  file FILE       the bytes of FILE;
  x509 CERT.der   an EFI_SIGNATURE_LIST of one X.509 certificate (UEFI
                  2.10 §32.4.1), the form of db and of shim's MokList;
  u16 NUMBER      a 16-bit number (BootNext);
  load-option DESCRIPTION PARTUUID START SECTORS PATH OPTIONS
                  an EFI_LOAD_OPTION (UEFI 2.10 §3.1.3, a Boot####) that
                  starts \PATH on the GPT partition PARTUUID (first on its
                  disk, at sector START, SECTORS long) with OPTIONS as its
                  load options (UTF-16, with a NUL);
  http-load-option DESCRIPTION PCI_DEVICE MAC URL OPTIONS
                  an EFI_LOAD_OPTION that has the firmware's HTTP boot
                  fetch URL on the NIC at PCI_DEVICE (a number, bus 0)
                  whose address is MAC (aa:bb:cc:dd:ee:ff), its address
                  from DHCP, and start it with OPTIONS as its load
                  options.
Fails, changing nothing, when the variable exists already or does not
fit."""
import struct
import sys
import uuid

AUTHENTICATED_VARIABLE_GUID = uuid.UUID("aaf32c78-947b-439a-a180-2e144ec37792")
CERT_X509_GUID = uuid.UUID("a5c059a1-94e4-4aa7-87b5-ab155c2bf072")
# the owner of the certificate in the list: any GUID, this test's own
OWNER_GUID = uuid.UUID("5f0d7c1e-8a61-4b8e-9a55-e1f1c0ffee02")
START_ID = 0x55AA
VAR_ADDED = 0x3F
# StartId, State, Reserved, Attributes, MonotonicCount, TimeStamp (EFI_TIME),
# PubKeyIndex, NameSize, DataSize, VendorGuid
HEADER = struct.Struct("<HBBIQ16sIII16s")


def variables(store, first):
    """(offset, state, name, guid, size) of each variable, then the offset
    of the free space."""
    at = first
    while at + HEADER.size <= len(store):
        (start, state, _, _, _, _, _, name_size, data_size,
         guid) = HEADER.unpack_from(store, at)
        if start != START_ID:
            break
        name = store[at + HEADER.size:at + HEADER.size + name_size]
        yield at, state, name.decode("utf-16-le").rstrip("\0"), \
            uuid.UUID(bytes_le=guid)
        at = (at + HEADER.size + name_size + data_size + 3) & ~3
    yield at, None, None, None


def set_variable(vars_file, name, guid, attributes, data):
    with open(vars_file, "rb") as f:
        image = bytearray(f.read())
    if image[0x28:0x2C] != b"_FVH":
        sys.exit("%s: no firmware volume header" % vars_file)
    header_length, = struct.unpack_from("<H", image, 0x30)
    signature = uuid.UUID(bytes_le=bytes(image[header_length:header_length + 16]))
    store_size, = struct.unpack_from("<I", image, header_length + 16)
    if signature != AUTHENTICATED_VARIABLE_GUID:
        sys.exit("%s: not an authenticated variable store" % vars_file)
    end = header_length + store_size
    for at, state, var_name, var_guid in variables(image[:end], header_length + 28):
        if state is None:
            free = at
        elif state == VAR_ADDED and var_name == name and var_guid == guid:
            sys.exit("%s: %s-%s exists already" % (vars_file, name, guid))
    encoded = (name + "\0").encode("utf-16-le")
    record = HEADER.pack(START_ID, VAR_ADDED, 0, attributes, 0, bytes(16), 0,
                         len(encoded), len(data), guid.bytes_le) + encoded + data
    if free + len(record) > end or any(b != 0xFF for b in image[free:free + len(record)]):
        sys.exit("%s: no room for %d bytes" % (vars_file, len(record)))
    image[free:free + len(record)] = record
    with open(vars_file, "wb") as f:
        f.write(image)


def x509_signature_list(der):
    entry = OWNER_GUID.bytes_le + der
    return CERT_X509_GUID.bytes_le + struct.pack("<III", 28 + len(entry), 0,
                                                 len(entry)) + entry


def utf16(text):
    return (text + "\0").encode("utf-16-le")


def active_load_option(description, device_path, options):
    """LOAD_OPTION_ACTIVE, the device path (its end node added) and the
    options."""
    device_path += struct.pack("<BBH", 0x7F, 0xFF, 4)
    return struct.pack("<IH", 1, len(device_path)) + utf16(description) + \
        device_path + utf16(options)


def load_option(description, partuuid, start, sectors, path, options):
    """A short-form device path (UEFI 2.10 §10.3.6.1, the hard drive media
    node, which the boot manager expands to the disk that has the
    partition, then the file path node)."""
    hard_drive = struct.pack("<BBHIQQ16sBB", 4, 1, 42, 1, int(start), int(sectors),
                             uuid.UUID(partuuid).bytes_le, 2, 2)
    name = utf16(path)
    file_path = struct.pack("<BBH", 4, 4, 4 + len(name)) + name
    return active_load_option(description, hard_drive + file_path, options)


def http_load_option(description, pci_device, mac, url, options):
    """The NIC's path as the firmware's own HTTP boot option names it (UEFI
    2.10 §10.3.4): PciRoot(0x0)/Pci(DEVICE,0x0)/MAC(MAC,0x1)/IPv4(0.0.0.0)
    with StaticIpAddress 0 (DHCP), then a URI node that is not empty: the
    file to fetch instead of the one a DHCP offer would name (EDK2's
    HttpBootDxe, HttpBootParseFilePath())."""
    pci_root = struct.pack("<BBHII", 2, 1, 12, 0x0A0341D0, 0)  # PNP0A03, UID 0
    pci = struct.pack("<BBHBB", 1, 1, 6, 0, int(pci_device, 0))
    address = bytes(int(b, 16) for b in mac.split(":"))
    mac_node = struct.pack("<BBH32sB", 3, 11, 37, address, 1)  # IfType 1: Ethernet
    ipv4 = struct.pack("<BBH4s4sHHHB4s4s", 3, 12, 27, bytes(4), bytes(4), 0, 0, 0, 0,
                       bytes(4), bytes(4))
    uri = struct.pack("<BBH", 3, 24, 4 + len(url)) + url.encode("ascii")
    return active_load_option(description, pci_root + pci + mac_node + ipv4 + uri,
                              options)


def main(argv):
    kinds = {"file": 1, "x509": 1, "u16": 1, "load-option": 6, "http-load-option": 5}
    if len(argv) < 6 or argv[5] not in kinds or len(argv) != 6 + kinds[argv[5]]:
        sys.exit(__doc__[__doc__.index("usage:"):])
    kind, args = argv[5], argv[6:]
    if kind == "u16":
        data = struct.pack("<H", int(args[0], 0))
    elif kind == "load-option":
        data = load_option(*args)
    elif kind == "http-load-option":
        data = http_load_option(*args)
    else:
        with open(args[0], "rb") as f:
            data = f.read()
        if kind == "x509":
            data = x509_signature_list(data)
    set_variable(argv[1], argv[2], uuid.UUID(argv[3]), int(argv[4], 0), data)


if __name__ == "__main__":
    main(sys.argv)
