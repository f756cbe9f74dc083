#!/bin/sh
# End-to-end demo: a site key, a prepared stick, one live collection by the
# Windows 7 collector under wine plus the 13 device archetypes replayed
# with --snapshot, an import of the whole stick, the fleet table and one
# device, and the reports in English and Japanese. Output: demo-out/.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
out="$top/demo-out"
rm -rf "$out"
mkdir -p "$out"
work=$(mktemp -d)
# The wineserver of the live collection lingers a few seconds and saves
# its registry into the prefix: stop it before the prefix is removed.
trap 'WINEPREFIX="$work/wine" wineserver -k 2>/dev/null || true; rm -rf "$work"' EXIT
importer="$top/dist/importer-linux-amd64"
say() { printf '\n== %s\n' "$*"; }

say "importer keygen: the site key stays on this workstation"
"$importer" keygen --out "$out/site-key.txt" > "$out/recipient.txt"
recipient=$(cat "$out/recipient.txt")
echo "   recipient: $recipient"

say "importer stick: what the field engineer carries (no private key)"
"$importer" stick "$out/stick" --recipient "$recipient" --site Nagoya --lines L1,L2,L3 --engineer E-1042 --dist "$top/dist" | sed 's/^/   /'

say "a live collection: the Windows 7 collector on the stick, under wine"
if command -v wine >/dev/null 2>&1; then
  WINEPREFIX="$work/wine" WINEDEBUG=-all wine "$out/stick/collector-win7-amd64.exe" --no-prompt --line L1 --asset WINE-01 2>/dev/null | sed 's/^/   /' \
    || echo "   (wine run failed: exit $?)"
else
  echo "   wine is not installed; skipped (make deps installs it)"
fi

say "13 device archetypes replayed onto the stick with --snapshot"
( cd "$top" && go build -o "$work/collector" ./collector )
for f in "$top"/testdata/snapshots/*.json; do
  "$work/collector" --config "$out/stick/actcourier.conf" --out "$out/stick/bundles" --no-prompt --snapshot "$f" > /dev/null
  printf '   %s\n' "$(basename "$f" .json)"
done
echo "   on the stick: $(ls "$out/stick/bundles" | wc -l) bundles, named only by random IDs"

say "importer import: the whole stick (then again: nothing changes)"
"$importer" import -i "$out/site-key.txt" --db "$out/fleet.db" "$out/stick" | tail -2
"$importer" import -i "$out/site-key.txt" --db "$out/fleet.db" "$out/stick" | tail -1

say "importer devices --as-of 2026-11-02"
"$importer" devices --db "$out/fleet.db" --as-of 2026-11-02

say "importer show NG-L2-011"
"$importer" show --db "$out/fleet.db" --as-of 2026-11-02 NG-L2-011

say "importer report (English and Japanese)"
"$importer" report --db "$out/fleet.db" --out "$out/reports" --as-of 2026-11-02
"$importer" report --db "$out/fleet.db" --out "$out/reports-ja" --as-of 2026-11-02 --lang ja

say "done: open demo-out/reports/index.html (or reports-ja/index.html)"
