#!/bin/sh
# End-to-end demo: a site key, a prepared stick, one live collection by the
# Windows 7 collector under wine plus the 13 device archetypes replayed
# with --snapshot, an import of the whole stick, the fleet table and one
# device, and the reports in English and Japanese; then an activation
# round (docs/activation.md) for one more machine, replayed: worklist, CIDs
# typed into its CSV, return file, the collector applying it, the proof
# imported, the CID history. Output: demo-out/.
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
# run runs a command with its stdout in $work/run.txt, shown if it fails:
# piped into sed or tail, its exit status would be lost to set -e (sh has
# no pipefail).
run() {
  "$@" > "$work/run.txt" || { status=$?; cat "$work/run.txt"; return $status; }
}

say "importer keygen: the site key stays on this workstation"
"$importer" keygen --out "$out/site-key.txt" > "$out/recipient.txt"
recipient=$(cat "$out/recipient.txt")
echo "   recipient: $recipient"

say "importer stick: what the field engineer carries (no private key)"
run "$importer" stick "$out/stick" --recipient "$recipient" --site Nagoya --lines L1,L2,L3 --engineer E-1042 --dist "$top/dist"
sed 's/^/   /' "$work/run.txt"

say "a live collection: the Windows 7 collector on the stick, under wine"
live=
if command -v wine >/dev/null 2>&1; then
  if WINEPREFIX="$work/wine" WINEDEBUG=-all wine "$out/stick/collector-win7-amd64.exe" --no-prompt --line L1 --asset WINE-01 2>/dev/null > "$work/live.txt"; then
    live=1
  else
    echo "   (wine run failed: exit $?)"
  fi
  sed 's/^/   /' "$work/live.txt"
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
run "$importer" import -i "$out/site-key.txt" --db "$out/fleet.db" "$out/stick"
tail -2 "$work/run.txt"
run "$importer" import -i "$out/site-key.txt" --db "$out/fleet.db" "$out/stick"
tail -1 "$work/run.txt"

say "importer devices --as-of 2026-11-02"
"$importer" devices --db "$out/fleet.db" --as-of 2026-11-02

say "importer show NG-L2-011"
"$importer" show --db "$out/fleet.db" --as-of 2026-11-02 NG-L2-011

if [ -n "$live" ]; then
  # The archetypes were collected on 2026-11-02 and the views above are
  # pinned to that day, so that the demo reads the same on any day; the
  # live collection is today's, so it shows as of today.
  say "importer show WINE-01: the live collection, as of today"
  "$importer" show --db "$out/fleet.db" WINE-01
fi

say "importer report (English and Japanese, as of 2026-11-02: the archetypes)"
"$importer" report --db "$out/fleet.db" --out "$out/reports" --as-of 2026-11-02
"$importer" report --db "$out/fleet.db" --out "$out/reports-ja" --as-of 2026-11-02 --lang ja

# The activation round of docs/activation.md, on one machine whose
# Windows 7 (MAK) and Office 2010 wait for activation, replayed with
# --snapshot: the collector applies the return file to a simulation of it.
snap="$top/testdata/activation/win7-mak-office2010.json"
replay() {
  "$work/collector" --config "$out/stick/actcourier.conf" --out "$out/stick/bundles" --return "$out/stick/return" \
    --no-prompt --snapshot "$snap" "$@"
}
csv="$out/worklist/activation-worklist.csv"

say "activation, first visit: NG-L2-012 replayed onto the stick; its bundle holds each product's IID"
replay > "$work/visit1.txt"
grep -E '^  (Windows|Office):' "$work/visit1.txt" | sed 's/^/ /'
run "$importer" import -i "$out/site-key.txt" --db "$out/fleet.db" "$out/stick"
tail -2 "$work/run.txt" | sed 's/^/   /'

say "importer activation worklist --site Nagoya: the IIDs that need a CID"
run "$importer" activation worklist --db "$out/fleet.db" --site Nagoya --out "$out/worklist"
sed 's/^/   /' "$work/run.txt"

say "a CID typed into the ConfirmationId column of each needs-cid row of activation-worklist.csv, as with a text editor (in Excel: the .xlsx)"
echo "   demo CIDs, the ones the collector's simulation accepts; a real CID comes from ActivationWs,"
echo "   VAMT or Microsoft's portal or phone line, for the IID and the Extended PID of the row"
( cd "$top" && go build -o "$work/democid" ./.ci/democid )
# Host, InstallationId, ExtendedProductId, ConfirmationId come first,
# unquoted (a host name holds no comma); a CID is typed in groups of six
# digits, as it is read out.
for iid in $(awk -F, '/,needs-cid,/ { print $2 }' "$csv"); do
  cid=$("$work/democid" "$iid")
  cid=$(echo "$cid" | sed 's/....../&-/g; s/-$//')
  sed "s/^\([^,]*,$iid,[^,]*\),,/\1,$cid,/" "$csv" > "$work/filled.csv"
  cat "$work/filled.csv" > "$csv"
  echo "   IID …${iid#"${iid%??????}"}: $cid"
done

say "importer activation cids: the filled-in CSV (a workbook filled in in Excel is read alike)"
run "$importer" activation cids --db "$out/fleet.db" --by yamada "$csv"
sed 's/^/   /' "$work/run.txt"

say "importer activation stick: the return file, encrypted to a passphrase read from a file (never a flag)"
( umask 077 && echo "told by phone, never on the stick" > "$work/passphrase.txt" )
run "$importer" activation stick "$out/stick" --db "$out/fleet.db" --site Nagoya --by yamada --passphrase-file "$work/passphrase.txt"
sed 's/^/   /' "$work/run.txt"

say "activation, second visit: the collector applies it (--apply, the passphrase in ACTCOURIER_RETURN_PASSPHRASE)"
(
  ACTCOURIER_RETURN_PASSPHRASE=$(head -n 1 "$work/passphrase.txt")
  export ACTCOURIER_RETURN_PASSPHRASE
  replay --apply
) > "$work/visit2.txt"
sed -n '/^Activation/,/^$/p' "$work/visit2.txt" | sed '/^$/d; s/^/   /'

say "importer import: the proof bundle; the worklist says applied"
run "$importer" import -i "$out/site-key.txt" --db "$out/fleet.db" "$out/stick"
tail -2 "$work/run.txt" | sed 's/^/   /'
run "$importer" activation worklist --db "$out/fleet.db" --site Nagoya --out "$out/worklist"
sed 's/^/   /' "$work/run.txt"
# The collector says an item failed on screen and still exits 0: its
# bundle carries the failure. Only the worklist tells the demo.
if ! grep -q ' 2 applied' "$work/run.txt"; then
  echo "demo: error: the return file's two CIDs were not applied" >&2
  exit 1
fi

say "importer activation history: each CID imported, when (this workstation's clock), by whom, from which row"
run "$importer" activation history --db "$out/fleet.db"
sed 's/^/   /' "$work/run.txt"

say "done: open demo-out/reports/index.html (or reports-ja/index.html), demo-out/worklist/activation-worklist.html"
