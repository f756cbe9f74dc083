#!/bin/sh
# Installs the Debian packages the tests and the demo need, if missing:
# wine64 (runs the Windows collector and the importer's tests), age and
# zstd (interop tests), chromium (renders the HTML reports headless),
# osslsigncode and openssl (the signed-build test), fonts-ipafont-gothic
# (a small Japanese font, so screenshots of Japanese reports show text,
# not boxes), postgresql (the server binaries: the tests start their own
# throwaway server, pkg/pgtest; the system's cluster is not used).
#
# Then tries wine32 (Debian's 32-bit Wine, i386), which the 32-bit
# collector's Wine test needs. It is never an error not to get it: the test
# is then skipped, and this script says why in a line "SKIPPED: wine32 …"
# (make test's summary lists it). See docs/reliability.md for the causes
# seen and the workaround tried.
set -eu
pkgs="wine64 age zstd chromium osslsigncode openssl fonts-ipafont-gothic postgresql"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
missing=""
for p in $pkgs; do
  dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "installing:$missing" >&2
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq $missing >/dev/null
fi

# wine32 ---------------------------------------------------------------
skip() {
  echo "SKIPPED: wine32 is not installed: $*; the 32-bit collector's Wine test will be skipped"
  exit 0
}
[ -x /usr/lib/wine/wine ] && { echo "wine32: installed"; exit 0; }
[ "$(dpkg --print-architecture)" = amd64 ] || skip "not an amd64 machine"

work=$(mktemp -d)
added_i386=""
cleanup() {
  # Leave apt as it was: a foreign architecture whose index cannot be
  # fetched makes every later apt-get update fail.
  if [ -n "$added_i386" ] && [ -z "$(dpkg-query -W -f '${Architecture}\n' 2>/dev/null | grep -x i386)" ]; then
    $SUDO dpkg --remove-architecture i386 && $SUDO apt-get update -qq >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# Wine's 32-bit loader is a 32-bit Linux program: without the kernel's
# 32-bit support it cannot start, whatever apt installs.
if command -v go >/dev/null 2>&1; then
  printf 'package main\n\nfunc main() {}\n' > "$work/main.go"
  if (cd "$work" && GOOS=linux GOARCH=386 GOFLAGS= GO111MODULE=off go build -o probe main.go) >/dev/null 2>&1 \
    && ! "$work/probe" 2>/dev/null; then
    [ -n "${ACTCOURIER_WINE32_TRY:-}" ] \
      || skip "this kernel does not run 32-bit programs (its 32-bit emulation is off: boot option ia32_emulation), so 32-bit Wine cannot start"
  fi
fi

echo "wine32: adding the i386 architecture and installing wine32:i386" >&2
if ! dpkg --print-foreign-architectures | grep -qx i386; then
  $SUDO dpkg --add-architecture i386
  added_i386=1
fi
$SUDO apt-get update -qq > "$work/update.log" 2>&1 || true
if $SUDO apt-get install -y -qq wine32:i386 > "$work/install.log" 2>&1; then
  added_i386=""
  echo "wine32: installed" >&2
  exit 0
fi
why=$(grep -m1 -E '^E: Failed to fetch .*i386' "$work/update.log" || true)
[ -n "$why" ] && echo "wine32: the i386 index failed: $why" >&2

# Workaround: take i386 from the main suites only, without the security
# suite whose i386 index fails (only for this install: the system's apt
# sources are not changed). wine32's libraries must then match the
# amd64 ones version for version (Multi-Arch: same); apt is not allowed to
# downgrade an amd64 library that has a security update to get there.
echo "wine32: retrying with i386 from the main suites only" >&2
mkdir -p "$work/sources.list.d"
for f in /etc/apt/sources.list.d/*.sources; do
  [ -f "$f" ] || continue
  # deb822: a stanza whose suite ends in -security keeps amd64 only.
  awk -v RS= -v ORS='\n\n' '/Suites:[^\n]*-security/ && !/Architectures:/ { $0 = $0 "\nArchitectures: amd64" } { print }' "$f" \
    > "$work/sources.list.d/$(basename "$f")"
done
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
  [ -f "$f" ] || continue
  sed -E '/^deb .*-security/ s/^deb (\[[^]]*\] )?/deb [arch=amd64] /' "$f" > "$work/sources.list.d/$(basename "$f").list"
done
apt_main() {
  $SUDO apt-get -o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts="$work/sources.list.d" \
    -o APT::Get::List-Cleanup=false "$@"
}
apt_main update -qq > "$work/update2.log" 2>&1 || true
if apt_main install -y -qq --no-install-recommends wine32:i386 > "$work/install2.log" 2>&1; then
  added_i386=""
  echo "wine32: installed from the main suites" >&2
  exit 0
fi
sed 's/^/wine32: apt: /' "$work/install2.log" | tail -4 >&2
unmet=$(grep -m1 -E '^E: ' "$work/install2.log" | sed 's/^ *//' || true)
skip "the i386 index of bookworm-security could not be fetched (${why:-see apt-get update}), and from the main suites alone apt cannot match wine32's i386 libraries to the amd64 ones without downgrading a security update (${unmet:-see apt-get install wine32:i386})"
