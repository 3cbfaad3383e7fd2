#!/usr/bin/env python3
"""Builds the zip archives that disagree with themselves (see README.md here).

Each starts as a real archive written by Python's zipfile (stored, fixed
dates, so the bytes are the same on every run) and is then edited byte by
byte where zipfile cannot write the inconsistency itself. Run from anywhere:
    python3 testdata/zip-inconsistent/make.py
"""

import os
import struct
import zipfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
DATE = (2024, 1, 2, 3, 4, 4)


def stored(name, data):
    info = zipfile.ZipInfo(name, DATE)
    info.compress_type = zipfile.ZIP_STORED
    info.create_system = 3
    info.external_attr = (0o100644 << 16) if not name.endswith("/") else ((0o40755 << 16) | 0x10)
    return info, data


def build(entries):
    """A zip of (ZipInfo, data) pairs, as bytes."""
    import io

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for info, data in entries:
            archive.writestr(info, data)
    return out.getvalue()


def parts(blob):
    """(local section, central records, end record) of a zip with no comment."""
    eocd = blob.rindex(b"PK\x05\x06")
    cd_size, cd_offset = struct.unpack("<II", blob[eocd + 12 : eocd + 20])
    return blob[:cd_offset], blob[cd_offset : cd_offset + cd_size], blob[eocd:]


def central_records(central):
    records, at = [], 0
    while at < len(central):
        n, m, k = struct.unpack("<HHH", central[at + 28 : at + 34])
        end = at + 46 + n + m + k
        records.append(central[at:end])
        at = end
    return records


def with_offset(record, offset):
    return record[:42] + struct.pack("<I", offset) + record[46:]


def assemble(local, records):
    central = b"".join(records)
    end = b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, len(records), len(records), len(central), len(local), 0)
    return local + central + end


def write(name, blob):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(blob)


# overlap.zip: the "better zip bomb" shape. outer.bin's stored data is a
# whole second archive member (inner.txt's local header and data); the
# central directory lists both, so inner.txt's bytes are also outer.bin's.
inner_local, inner_central, _ = parts(build([stored("inner.txt", b"counted twice\n" * 64)]))
outer_data = b"header: " + inner_local
blob = build([stored("outer.bin", outer_data)])
local, central, _ = parts(blob)
outer_record = central_records(central)[0]
inner_offset = 30 + len("outer.bin") + len(b"header: ")
inner_record = with_offset(central_records(inner_central)[0], inner_offset)
write("overlap.zip", assemble(local, [outer_record, inner_record]))

# shared-header.zip: two central entries, one.txt and two.txt, both
# pointing at one.txt's local header (the central record of two.txt is
# one.txt's with its name changed; sizes and CRC are one.txt's).
local, central, _ = parts(build([stored("one.txt", b"one set of bytes\n")]))
one = central_records(central)[0]
two = one[:46] + b"two.txt" + one[46 + len("one.txt") :]
write("shared-header.zip", assemble(local, [one, two]))

# local-name.zip: the central directory lists setup.exe, the local header
# in front of its data names ../../evil.txt (same data, CRC and sizes).
evil_local, _, _ = parts(build([stored("../../evil.txt", b"MZ not really\n")]))
_, setup_central, _ = parts(build([stored("setup.exe", b"MZ not really\n")]))
write("local-name.zip", assemble(evil_local, central_records(setup_central)))

# folder-with-data.zip: a folder entry docs/ that carries 12 bytes, then a
# file docs/readme.txt. zipfile writes the data it is given.
write(
    "folder-with-data.zip",
    build([stored("docs/", b"hidden bytes"), stored("docs/readme.txt", b"read me\n")]),
)

# file-and-folder.zip: docs is a file, and docs/readme.txt needs docs to
# be a folder.
write("file-and-folder.zip", build([stored("docs", b"a file\n"), stored("docs/readme.txt", b"read me\n")]))

for name in sorted(os.listdir(HERE)):
    if name.endswith(".zip"):
        print(name, os.path.getsize(os.path.join(HERE, name)), zlib.crc32(open(os.path.join(HERE, name), "rb").read()))
