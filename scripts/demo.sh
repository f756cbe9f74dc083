#!/bin/sh
# End-to-end demo of what exists so far: a site key, a bundle written with
# the standard tools exactly as bundle/SPEC.md describes, opened and checked
# by the importer; the Windows 7 collector started under wine.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
importer="$top/dist/importer-linux-amd64"

echo "== site key"
age-keygen -o "$work/site-key.txt" 2>&1 | sed 's/^/   /'
recipient=$(age-keygen -y "$work/site-key.txt")

echo "== a bundle made with tar | zstd | age (bundle/SPEC.md)"
mkdir -p "$work/m/slmgr" "$work/stick"
printf '{"os":"Microsoft Windows 7 Professional"}\n' > "$work/m/device.json"
printf 'Name: Windows(R) 7, Professional edition\r\nLicense Status: Licensed\r\n' > "$work/m/slmgr/dlv.txt"
id=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
(
  cd "$work/m"
  entry() { printf '{"name":"%s","size":%d,"sha256":"%s"}' "$1" "$(wc -c < "$1")" "$(sha256sum "$1" | cut -d' ' -f1)"; }
  printf '{"format":"actcourier-bundle","version":"1.0","bundle_id":"%s","created_at":"%s","collector":"demo.sh","members":[%s,%s]}\n' \
    "$id" "$(date +%Y-%m-%dT%H:%M:%S%:z)" "$(entry device.json)" "$(entry slmgr/dlv.txt)" > manifest.json
  tar -c --format=ustar manifest.json device.json slmgr/dlv.txt | zstd -q | age -r "$recipient" > "$work/stick/$id.tar.zst.age"
)
ls -l "$work/stick" | sed 's/^/   /'

echo "== importer inspect"
"$importer" inspect -i "$work/site-key.txt" "$work/stick/$id.tar.zst.age"

echo "== the same file with another key (expected to fail, exit 1)"
age-keygen -o "$work/other-key.txt" 2>/dev/null
"$importer" inspect -i "$work/other-key.txt" "$work/stick/$id.tar.zst.age" || echo "   exit status $?"

echo "== Windows 7 collector (Go 1.20.14 build) under wine"
if command -v wine >/dev/null 2>&1; then
  WINEPREFIX="$work/wine" WINEDEBUG=-all wine "$top/dist/collector-win7-amd64.exe" --version 2>/dev/null || true
fi
ls -l "$top"/dist | sed 's/^/   /'
