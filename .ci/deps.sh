#!/bin/sh
# Installs the Debian packages the tests and the demo need, if missing:
# wine64 (runs the Windows collector), age and zstd (interop tests),
# chromium (renders the HTML reports headless).
set -eu
pkgs="wine64 age zstd chromium"
missing=""
for p in $pkgs; do
  dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "installing:$missing" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq $missing >/dev/null
