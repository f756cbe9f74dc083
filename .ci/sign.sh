#!/bin/sh
# Usage: .ci/sign.sh FILE.exe...   (make build runs it when asked to sign)
#
# Signs Windows programs in place with osslsigncode (Authenticode,
# SHA-256), then verifies each signature. The signer comes from the
# environment (make passes its variables of these names), never from a
# command line:
#   SIGN_CERT + SIGN_KEY  PEM certificate (with its chain) and private key, or
#   SIGN_PFX              a PKCS#12 file with both;
#   SIGN_PASS_FILE        a file whose first line is the key's password, or
#   SIGN_PASS             the password itself, as an environment variable
#                         (a CI secret), never as an argument;
#   SIGN_TIMESTAMP        an RFC 3161 time-stamp server URL (optional): the
#                         signature then stays valid after the certificate
#                         expires;
#   SIGN_CAFILE           the CA certificates verification trusts (default:
#                         the system's; the CI test passes its own
#                         self-signed certificate).
set -eu
if [ -z "${SIGN_PFX:-}" ] && { [ -z "${SIGN_CERT:-}" ] || [ -z "${SIGN_KEY:-}" ]; }; then
  echo "sign: set SIGN_CERT and SIGN_KEY (PEM), or SIGN_PFX" >&2
  exit 2
fi
if ! command -v osslsigncode >/dev/null; then
  echo "sign: osslsigncode is not installed: run make deps" >&2
  exit 2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passfile=${SIGN_PASS_FILE:-}
if [ -z "$passfile" ] && [ -n "${SIGN_PASS:-}" ]; then
  # osslsigncode reads a password from a file (-readpass); this one is
  # private to us and removed on exit.
  passfile=$work/pass
  (umask 077 && printf '%s\n' "$SIGN_PASS" > "$passfile")
fi

osign() {
  if [ -n "${SIGN_PFX:-}" ]; then
    osslsigncode sign -pkcs12 "$SIGN_PFX" "$@"
  else
    osslsigncode sign -certs "$SIGN_CERT" -key "$SIGN_KEY" "$@"
  fi
}

for f in "$@"; do
  set -- -h sha256 -n ActCourier -in "$f" -out "$work/signed.exe"
  [ -n "$passfile" ] && set -- "$@" -readpass "$passfile"
  [ -n "${SIGN_TIMESTAMP:-}" ] && set -- "$@" -ts "$SIGN_TIMESTAMP"
  osign "$@" >/dev/null
  if [ -n "${SIGN_CAFILE:-}" ]; then
    osslsigncode verify -CAfile "$SIGN_CAFILE" -in "$work/signed.exe" >/dev/null
  else
    osslsigncode verify -in "$work/signed.exe" >/dev/null
  fi
  # Replace the file only with a signature that verifies (cp onto it
  # keeps its mode).
  cp "$work/signed.exe" "$f"
  rm "$work/signed.exe"
  echo "signed and verified: $f"
done
