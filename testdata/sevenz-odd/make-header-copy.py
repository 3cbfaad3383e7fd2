#!/usr/bin/env python3
"""Rewrites a 7z whose header is plain (kHeader) into the same archive whose
header is packed (kEncodedHeader) with the Copy method: the header's bytes
become one more packed stream after the archive's own, and the next header
is a StreamsInfo with one folder of one Copy coder, its size and CRC-32. 7-Zip
reads such headers (its reader takes any coder for the header); its writer
always compresses them with LZMA, so this writes one by hand.

    python3 make-header-copy.py IN.7z OUT.7z
"""
import struct, zlib, sys
src = open(sys.argv[1],'rb').read()
off, size, crc = struct.unpack('<QQI', src[12:32])
hdr = src[32+off:32+off+size]
assert hdr[0] == 1, "needs a plain header"
body = src[32:32+off]          # packed streams
pack_pos = len(body)           # header stored right after them, with Copy
def num(n):  # 7z UINT64 encoding
    if n < 0x80: return bytes([n])
    if n < 0x4000: return bytes([0x80 | (n >> 8), n & 0xff])
    if n < 0x200000: return bytes([0xc0 | (n >> 16), n & 0xff, (n >> 8) & 0xff])
    raise ValueError
enc = bytes([0x17])
enc += bytes([0x06]) + num(pack_pos) + num(1) + bytes([0x09]) + num(len(hdr)) + bytes([0x00])  # PackInfo
enc += bytes([0x07, 0x0b]) + num(1) + bytes([0x00])  # UnpackInfo, Folder, 1 folder, not external
enc += num(1) + bytes([0x01, 0x00])                  # 1 coder: id size 1, simple, id 0x00 (Copy)
enc += bytes([0x0c]) + num(len(hdr))                 # CodersUnpackSize
enc += bytes([0x0a, 0x01]) + struct.pack('<I', zlib.crc32(hdr))  # UnpackDigests, all defined
enc += bytes([0x00])                                 # end of UnpackInfo
enc += bytes([0x00])                                 # end of StreamsInfo
newbody = body + hdr
start = struct.pack('<QQI', len(newbody), len(enc), zlib.crc32(enc))
out = src[:8] + struct.pack('<I', zlib.crc32(start)) + start + newbody + enc
open(sys.argv[2],'wb').write(out)
