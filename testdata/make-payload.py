#!/usr/bin/env python3
"""Deterministic payload tree for airlock's archive fixtures.

Usage:
    python3 make-payload.py OUTDIR EXPECTED_TSV   # write the tree into OUTDIR (must not exist or be empty)
                                                  # and its manifest to EXPECTED_TSV (outside the tree)
    python3 make-payload.py --stub FILE           # write the 4096-byte fake PE stub used for the
                                                  # sfx-spanned fixtures

The tree imitates the vendor payload (same layout as the Inno Setup fixtures, smaller sizes):

    setup.exe                              300000  "MZ" + fake PE header, then x86-like code (E8 rel32 calls
                                                   to a fixed set of targets, prologues, int3 padding) mixed
                                                   with random bytes: compressible, and BCJ/BCJ2 helps on it
    SQLSERVER2017/SQLEXPR_x64_ENU.box      700000  random (incompressible, like a cab)
    SQLSERVER2017/x64/Setup/sqlsetup.msi   200000  random
    SQLSERVER2017/x64/setup.log.txt        400000  compressible log text lines
    SQLSERVER2017/ConfigurationFile.ini    small   INI text
    docs/empty.dat                              0
    docs/資料說明.txt                        5000  UTF-8 text (CJK file name)
    docs/empty-folder/                             empty directory (not in EXPECTED.tsv)

EXPECTED_TSV has one line per regular file: `path<TAB>size<TAB>sha256` with `/`-separated paths relative
to OUTDIR, sorted by path in UTF-8 byte order (same as `LC_ALL=C sort`). Directories are not listed.

Everything is derived from random.Random(<fixed string seed>).randbytes / .randrange (one generator per
file, seeded with SEED + ":" + path), so the output is byte-identical on every run (Python >= 3.9).
All files get mode 0644, all directories 0755, and every mtime is set to MTIME (2024-01-02 03:04:04 UTC)
so that archives built from the tree are reproducible.
"""

import hashlib
import os
import random
import struct
import sys

SEED = "airlock-testdata-v1"
MTIME = 1704164644  # 2024-01-02T03:04:04Z (even seconds: exact in a DOS date/time)

SEVENZ_SIG = b"7z\xbc\xaf\x27\x1c"
FORBIDDEN_IN_STUB = [SEVENZ_SIG, b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06", b"PK\x06\x06",
                     b"PK\x06\x07", b"idska32\x1a", b"zlb\x1a"]


def rng(name):
    return random.Random(f"{SEED}:{name}")


def pe_header(r, machine=0x014C, nsections=3):
    """A plausible (not runnable) MZ/PE32 header, 0x400 bytes."""
    dos = bytearray(0x80)
    dos[0:2] = b"MZ"
    struct.pack_into("<HHHHHHHHHHHHHH", dos, 2, 0x90, 3, 0, 4, 0, 0xFFFF, 0, 0xB8, 0, 0, 0, 0x40, 0, 0)
    struct.pack_into("<I", dos, 0x3C, 0x80)  # e_lfanew
    stub_code = bytes.fromhex("0e1fba0e00b409cd21b8014ccd21")
    dos[0x40:0x40 + len(stub_code)] = stub_code
    msg = b"This program cannot be run in DOS mode.\r\r\n$"
    dos[0x4E:0x4E + len(msg)] = msg
    pe = bytearray()
    pe += b"PE\0\0"
    # COFF header: Machine, NumberOfSections, TimeDateStamp, PtrSymTab, NumSyms, SizeOfOptHdr, Characteristics
    pe += struct.pack("<HHIIIHH", machine, nsections, 0x5E0B1E00, 0, 0, 0xE0, 0x0102)
    # PE32 optional header (0xE0 bytes incl. 16 data directories)
    opt = bytearray(0xE0)
    struct.pack_into("<HBBIIIIII", opt, 0, 0x10B, 14, 0, 0x40000, 0x10000, 0, 0x1000, 0x1000, 0x41000)
    struct.pack_into("<IIIHHHHHHIIIIHHIIIIII", opt, 28,
                     0x400000, 0x1000, 0x200, 6, 0, 0, 0, 6, 0, 0,
                     0x60000, 0x400, 0, 2, 0x8140, 0x100000, 0x1000, 0x100000, 0x1000, 0, 16)
    pe += opt
    names = [b".text\0\0\0", b".rdata\0\0", b".data\0\0\0", b".rsrc\0\0\0"]
    chars = [0x60000020, 0x40000040, 0xC0000040, 0x40000040]
    va, raw = 0x1000, 0x400
    for i in range(nsections):
        pe += names[i] + struct.pack("<IIIIIIHHI", 0x10000, va, 0x10000, raw, 0, 0, 0, 0, chars[i])
        va += 0x10000
        raw += 0x10000
    hdr = bytes(dos) + bytes(pe)
    return hdr + b"\0" * (0x400 - len(hdr))


def x86_like(r, n, base):
    """Compressible x86-ish code: functions with prologues, E8 rel32 calls to a fixed set of
    targets (the rel32 changes with position; BCJ/BCJ2 turn it into a repeating absolute address),
    mov/test/jcc snippets, a little random data, int3 padding."""
    targets = [0x1000 + r.randrange(0, 0x3F000) for _ in range(48)]
    snippets = [
        bytes.fromhex("8b4508"), bytes.fromhex("8b4d0c"), bytes.fromhex("85c0"), bytes.fromhex("7405"),
        bytes.fromhex("33c0"), bytes.fromhex("50"), bytes.fromhex("51"), bytes.fromhex("56"),
        bytes.fromhex("57"), bytes.fromhex("8bf0"), bytes.fromhex("83c404"), bytes.fromhex("c745fc00000000"),
        bytes.fromhex("8d45f8"), bytes.fromhex("ff7508"), bytes.fromhex("6a00"), bytes.fromhex("5e"),
    ]
    out = bytearray()
    while len(out) < n:
        out += bytes.fromhex("558bec83ec")  # push ebp; mov ebp,esp; sub esp,imm8
        out.append(r.choice([0x08, 0x10, 0x18, 0x20, 0x40]))
        for _ in range(r.randrange(4, 20)):
            k = r.randrange(10)
            if k < 4:  # call rel32
                t = r.choice(targets)
                rel = (t - (base + len(out) + 5)) & 0xFFFFFFFF
                out += b"\xE8" + struct.pack("<I", rel)
            elif k < 9:
                out += r.choice(snippets)
            else:  # some random immediate data
                out += b"\x68" + r.randbytes(4)  # push imm32
        out += bytes.fromhex("8be55dc3")  # mov esp,ebp; pop ebp; ret
        out += b"\xCC" * r.randrange(0, 12)
        if r.randrange(8) == 0:
            out += r.randbytes(r.randrange(8, 64))  # embedded data / jump table
    return bytes(out[:n])


def make_setup_exe(size=300000):
    r = rng("setup.exe")
    hdr = pe_header(r)
    return hdr + x86_like(r, size - len(hdr), 0x1000)


def make_stub(size=4096):
    """The fake self-extractor stub put in front of the sfx-spanned archives."""
    r = rng("stub.exe")
    hdr = pe_header(r, nsections=2)
    data = hdr + x86_like(r, size - len(hdr), 0x1000)
    for bad in FORBIDDEN_IN_STUB:
        assert bad not in data, f"stub contains {bad!r}"
    assert len(data) == size and data[:2] == b"MZ"
    return data


def make_log(size=400000):
    r = rng("SQLSERVER2017/x64/setup.log.txt")
    comps = ["Slp", "Setup", "SqlEngine", "Bootstrap", "MsiInstaller", "FeatureTree", "Rules"]
    msgs = [
        "Running rule '{}' : passed",
        "Checking prerequisite {} ... OK",
        "Loading extension assembly Microsoft.SqlServer.Configuration.{}",
        "Setting property '{}' to value 'True'",
        "Completed action: {}, returned 0",
        "Sco: Attempting to get registry value {}",
        "Invoking MSI action {} with command line",
    ]
    words = ["SqlEngineConfig", "ClusterResource", "FullText", "AgentService", "SsmsPath", "InstallShared",
             "SQLTELSVCACCT", "Browser", "RepairBoot", "UpgradeCheck", "DotNetFramework48", "PowerShell"]
    out = bytearray()
    t = 0
    while len(out) < size:
        t += r.randrange(1, 900)
        line = "(%02d) 2017-10-0%d %02d:%02d:%02d %s: %s\n" % (
            r.randrange(1, 8), 1 + (t // 86400000) % 9, (t // 3600000) % 24, (t // 60000) % 60, (t // 1000) % 60,
            r.choice(comps), r.choice(msgs).format(r.choice(words)))
        out += line.encode("ascii")
    return bytes(out[:size - 1]) + b"\n"


def make_cjk_text(size=5000):
    r = rng("docs/資料說明.txt")
    lines = ["資料說明 — 測試用檔案", "本檔案用於驗證含有非 ASCII 檔名的解壓縮。", "安裝程式資料", "備份伺服器",
             "Backup Server fixture: UTF-8 text with a CJK file name.", "資料庫、檔案、設定值。"]
    out = bytearray()
    while True:
        line = (r.choice(lines) + "\n").encode("utf-8")
        if len(out) + len(line) > size - 1:
            break
        out += line
    out += b"." * (size - 1 - len(out)) + b"\n"
    assert len(out) == size
    return bytes(out)


INI = (
    "; SQL Server 2017 Configuration File (fixture)\n"
    "[OPTIONS]\n"
    "ACTION=\"Install\"\n"
    "FEATURES=SQLENGINE\n"
    "INSTANCENAME=\"MSDPM2012\"\n"
    "SQLSVCACCOUNT=\"NT AUTHORITY\\SYSTEM\"\n"
    "QUIET=\"True\"\n"
).encode("ascii")


def files():
    """(relative path, bytes) in generation order."""
    return [
        ("setup.exe", make_setup_exe()),
        ("SQLSERVER2017/SQLEXPR_x64_ENU.box", rng("SQLSERVER2017/SQLEXPR_x64_ENU.box").randbytes(700000)),
        ("SQLSERVER2017/x64/Setup/sqlsetup.msi", rng("SQLSERVER2017/x64/Setup/sqlsetup.msi").randbytes(200000)),
        ("SQLSERVER2017/x64/setup.log.txt", make_log()),
        ("SQLSERVER2017/ConfigurationFile.ini", INI),
        ("docs/empty.dat", b""),
        ("docs/資料說明.txt", make_cjk_text()),
    ]


EMPTY_DIRS = ["docs/empty-folder"]


def write_tree(outdir, expected_path):
    os.makedirs(outdir, exist_ok=True)
    if os.listdir(outdir):
        sys.exit(f"{outdir} is not empty")
    rows = []
    dirs = set()
    for rel, data in files():
        p = os.path.join(outdir, *rel.split("/"))
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "wb") as f:
            f.write(data)
        os.chmod(p, 0o644)
        os.utime(p, (MTIME, MTIME))
        rows.append((rel, len(data), hashlib.sha256(data).hexdigest()))
        parts = rel.split("/")[:-1]
        for i in range(1, len(parts) + 1):
            dirs.add("/".join(parts[:i]))
    for d in EMPTY_DIRS:
        os.makedirs(os.path.join(outdir, *d.split("/")), exist_ok=True)
        dirs.add(d)
    # directories last, deepest first, so creating children does not bump a parent's mtime afterwards
    for d in sorted(dirs, key=lambda s: -s.count("/")):
        p = os.path.join(outdir, *d.split("/"))
        os.chmod(p, 0o755)
        os.utime(p, (MTIME, MTIME))
    rows.sort(key=lambda row: row[0].encode("utf-8"))
    with open(expected_path, "w", encoding="utf-8", newline="\n") as f:
        for rel, size, digest in rows:
            f.write(f"{rel}\t{size}\t{digest}\n")


def main(argv):
    if len(argv) == 3 and argv[1] == "--stub":
        with open(argv[2], "wb") as f:
            f.write(make_stub())
        return
    if len(argv) != 3:
        sys.exit(__doc__)
    write_tree(argv[1], argv[2])


if __name__ == "__main__":
    main(sys.argv)
