#!/usr/bin/env bash
# Makes the Authenticode test fixtures in testdata/authenticode/ and records
# osslsigncode's verdict on each (ORACLE.tsv), which the tests hold airlock to.
#
# Needs: openssl, osslsigncode (Debian: apt-get install osslsigncode), 7zz, python3.
# Offline: timestamps come from a local test TSA (-TSA-certs/-TSA-key/-TSA-time).
# Running it again makes new keys, so every signed file changes; commit them
# together with ORACLE.tsv.
#
# Inputs (committed):
#   real/isunzlib.dll                       a small real PE (signature stripped, then re-signed here)
#   ../inno/inno-6.4.1-lzma2-solid-spanned  a real Inno Setup 6.4 set (SHA-256 file checksums)
#   ../inno/inno-5.5.9-lzma-solid-spanned   a real Inno Setup 5.5 set (SHA-1 file checksums)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Fixed times (Unix seconds) so verdicts do not depend on when this runs.
T_SIGN=1717200000      # 2024-06-01: signing and timestamp time of the valid fixtures
T_OLD=1593561600       # 2020-07-01: inside the expired certificate's validity
mkdir -p pki pe inno

# ---- a test PKI --------------------------------------------------------------
cat > "$work/ca.cnf" <<'EOF'
[ ca ]
default_ca = test_ca
[ test_ca ]
dir = .
database = $dir/index.txt
new_certs_dir = $dir/new
serial = $dir/serial
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
[ any ]
commonName = supplied
organizationName = optional
[ req ]
distinguished_name = dn
prompt = no
[ dn ]
CN = placeholder
[ root ]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ signer ]
basicConstraints = CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = codeSigning
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ tsa ]
basicConstraints = CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = critical, timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EOF

# ca NAME SUBJECT ISSUER EXT START END: key NAME.key, certificate NAME.pem.
ca() {
  local name=$1 subject=$2 issuer=$3 ext=$4 start=$5 end=$6
  (
    cd "$work"
    mkdir -p "ca-$issuer/new"
    touch "ca-$issuer/index.txt"
    [ -f "ca-$issuer/serial" ] || openssl rand -hex 16 > "ca-$issuer/serial"
    openssl genrsa -out "$name.key" 2048 2>/dev/null
    openssl req -new -config ca.cnf -key "$name.key" -subj "$subject" -out "$name.csr"
    cd "ca-$issuer"
    if [ "$issuer" = "$name" ]; then
      openssl ca -batch -config ../ca.cnf -notext -selfsign -keyfile "../$name.key" \
        -in "../$name.csr" -out "../$name.pem" -extensions "$ext" -startdate "$start" -enddate "$end" 2>/dev/null
    else
      openssl ca -batch -config ../ca.cnf -notext -cert "../$issuer.pem" -keyfile "../$issuer.key" \
        -in "../$name.csr" -out "../$name.pem" -extensions "$ext" -startdate "$start" -enddate "$end" 2>/dev/null
    fi
  )
}

ca root   "/O=Airlock Test PKI/CN=Airlock Test Root CA" root root 20200101000000Z 20450101000000Z
ca signer "/O=Airlock Test Vendor Ltd/CN=Airlock Test Vendor" root signer 20200101000000Z 20400101000000Z
ca expired "/O=Airlock Test Vendor Ltd/CN=Airlock Test Vendor" root signer 20200101000000Z 20210101000000Z
ca tsa    "/O=Airlock Test PKI/CN=Airlock Test TSA" root tsa 20200101000000Z 20450101000000Z
# Same names, another key: what an impostor can make without the vendor's root key.
ca other  "/O=Airlock Test PKI/CN=Airlock Test Root CA" other root 20200101000000Z 20450101000000Z
ca impostor "/O=Airlock Test Vendor Ltd/CN=Airlock Test Vendor" other signer 20200101000000Z 20400101000000Z

cp "$work/root.pem" pki/root.pem
cp "$work/other.pem" pki/other-root.pem
cat "$work/signer.pem" "$work/root.pem" > "$work/signer-chain.pem"
cat "$work/expired.pem" "$work/root.pem" > "$work/expired-chain.pem"
cat "$work/impostor.pem" "$work/other.pem" > "$work/impostor-chain.pem"
cat "$work/tsa.pem" "$work/root.pem" > "$work/tsa-chain.pem"

# sign IN OUT CHAIN KEY [TSA_TIME]: SHA-256 Authenticode signature, timestamped when TSA_TIME is given.
sign() {
  local in=$1 out=$2 chain=$3 key=$4 tsa_time=${5:-}
  local stamp=()
  [ -n "$tsa_time" ] && stamp=(-TSA-certs "$work/tsa-chain.pem" -TSA-key "$work/tsa.key" -TSA-time "$tsa_time")
  rm -f "$out"
  osslsigncode sign -h sha256 -n "airlock test fixture" -i "https://example.invalid/" \
    -certs "$chain" -key "$key" -time "${tsa_time:-$T_SIGN}" "${stamp[@]}" -in "$in" -out "$out" >/dev/null
}

# ---- small PEs: one per chain case -----------------------------------------------
rm -f pe/unsigned.dll
osslsigncode remove-signature -in real/isunzlib.dll -out pe/unsigned.dll >/dev/null
sign pe/unsigned.dll pe/valid.dll "$work/signer-chain.pem" "$work/signer.key" "$T_SIGN"
sign pe/unsigned.dll pe/impostor.dll "$work/impostor-chain.pem" "$work/impostor.key"
sign pe/unsigned.dll pe/expired-no-timestamp.dll "$work/expired-chain.pem" "$work/expired.key"
sign pe/unsigned.dll pe/expired-timestamped.dll "$work/expired-chain.pem" "$work/expired.key" "$T_OLD"

# Data appended after the certificate table (not covered by the signature).
{ cat pe/valid.dll; printf 'appended after signing'; } > pe/appended.dll

# CVE-2013-3900 style: 64 extra bytes inside the certificate entry, after the
# PKCS#7 DER; dwLength and the directory size grow to match. The signature
# stays valid (the entry is outside the digest); airlock never uses the bytes.
python3 - pe/valid.dll pe/cert-entry-blob.dll <<'EOF'
import struct, sys
data = bytearray(open(sys.argv[1], 'rb').read())
pe = struct.unpack_from('<I', data, 0x3c)[0]
magic = struct.unpack_from('<H', data, pe + 24)[0]
dirs = pe + 24 + (96 if magic == 0x10b else 112)
sec = dirs + 4 * 8
offset, size = struct.unpack_from('<II', data, sec)
length = struct.unpack_from('<I', data, offset)[0]
blob = b'EXTRA-BLOB-INSIDE-THE-CERTIFICATE-ENTRY-' + bytes(24)
assert offset + size == len(data)
pad = (-length) % 8
entry = data[offset:offset + length] + blob
struct.pack_into('<I', entry, 0, len(entry))
entry += bytes((-len(entry)) % 8)
data = data[:offset] + entry
struct.pack_into('<II', data, sec, offset, len(entry))
open(sys.argv[2], 'wb').write(data)
EOF

# ---- real Inno Setup sets, signed by the test vendor ---------------------------
sign ../inno/inno-6.4.1-lzma2-solid-spanned/MicrosoftAzureBackupInstaller.exe inno/inno-6.4.1-signed.exe \
  "$work/signer-chain.pem" "$work/signer.key" "$T_SIGN"
sign ../inno/inno-5.5.9-lzma-solid-spanned/MicrosoftAzureBackupInstaller.exe inno/inno-5.5.9-signed.exe \
  "$work/signer-chain.pem" "$work/signer.key" "$T_SIGN"

# ---- a 7z after a signed stub -------------------------------------------------------
# A small real PE (pe/unsigned.dll) as the stub, a small 7z archive (three
# text files from this repository) after it, signed as a whole: the signature
# covers the entire archive, and the certificate table follows it.
mkdir -p "$work/payload" sfx
cp ../inno/example-setup.iss "$work/payload/"
cp ../inno/README.md "$work/payload/inno-README.md"
cp ../README.md "$work/payload/testdata-README.md"
(cd "$work/payload" && 7zz a -bd -mx=9 "$work/payload.7z" . >/dev/null)
cp pe/unsigned.dll "$work/sfx.exe"
cat "$work/payload.7z" >> "$work/sfx.exe"
sign "$work/sfx.exe" sfx/sfx-7z-signed.exe "$work/signer-chain.pem" "$work/signer.key" "$T_SIGN"

# ---- osslsigncode's verdicts ------------------------------------------------------
# ORACLE.tsv: file, extra roots (comma-separated, relative to this folder),
# osslsigncode's verdict (valid|invalid|unsigned). Roots given to osslsigncode
# are airlock's built-in Microsoft roots plus the extra ones.
cat ../../src/authenticode/roots/*.pem > "$work/builtin.pem"
verdict() {
  local file=$1 roots=$2 cafile="$work/ca-$RANDOM.pem"
  cp "$work/builtin.pem" "$cafile"
  local r
  for r in ${roots//,/ }; do cat "$r" >> "$cafile"; done
  local out
  out=$(osslsigncode verify -in "$file" -CAfile "$cafile" -TSA-CAfile "$cafile" -ignore-crl 2>&1 || true)
  if grep -q "No signature found" <<<"$out"; then echo unsigned
  elif grep -q "^Succeeded" <<<"$out"; then echo valid
  else echo invalid
  fi
}
certum=real/certum-trusted-network-ca.pem,real/certum-trusted-network-ca-2.pem,real/usertrust-rsa-ca.pem
{
  printf 'file\troots\tosslsigncode\n'
  while IFS=$'\t' read -r file roots; do
    printf '%s\t%s\t%s\n' "$file" "$roots" "$(verdict "$file" "$roots")"
  done <<EOF
real/msvcp140_codecvt_ids.dll	
real/isunzlib.dll	$certum
real/ISCC.exe	$certum
real/isunzlib.dll	
pe/unsigned.dll	pki/root.pem
pe/valid.dll	pki/root.pem
pe/valid.dll	
pe/impostor.dll	pki/root.pem
pe/impostor.dll	pki/other-root.pem
pe/expired-no-timestamp.dll	pki/root.pem
pe/expired-timestamped.dll	pki/root.pem
pe/appended.dll	pki/root.pem
pe/cert-entry-blob.dll	pki/root.pem
inno/inno-6.4.1-signed.exe	pki/root.pem
inno/inno-5.5.9-signed.exe	pki/root.pem
sfx/sfx-7z-signed.exe	pki/root.pem
EOF
} > ORACLE.tsv
cat ORACLE.tsv
