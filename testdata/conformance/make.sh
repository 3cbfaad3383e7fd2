#!/bin/sh
# Builds the payload conformance fixtures (see README.md) with the real tools.
# Stored (no compression), so a flipped data byte is a checksum mismatch, never a decoder error.
set -eu
cd "$(dirname "$0")"
tree=$(mktemp -d)
python3 - "$tree" <<'PY'
import os, random, sys
root = sys.argv[1]
rng = random.Random("airlock-conformance-v1")
open(os.path.join(root, "hello.txt"), "w").write("hello from the conformance suite\n" * 30)
open(os.path.join(root, "data.bin"), "wb").write(bytes(rng.getrandbits(8) for _ in range(20000)))
open(os.path.join(root, "empty.dat"), "wb").close()
os.mkdir(os.path.join(root, "empty-folder"))
for path in ["hello.txt", "data.bin", "empty.dat", "empty-folder", ""]:
    os.utime(os.path.join(root, path), (1704164644, 1704164644))
PY
rm -f conformance.7z conformance.zip
(cd "$tree" && 7zz a -mx=0 -bso0 "$OLDPWD/conformance.7z" hello.txt data.bin empty.dat empty-folder)
(cd "$tree" && zip -0 -X -q -r "$OLDPWD/conformance.zip" hello.txt data.bin empty.dat empty-folder)
(cd "$tree" && sha256sum hello.txt data.bin empty.dat) > EXPECTED.sha256
rm -rf "$tree"
