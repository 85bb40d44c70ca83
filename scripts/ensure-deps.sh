#!/usr/bin/env bash
# Installs what the project needs from the distribution's packages, or says exactly what is missing.
# Usage: scripts/ensure-deps.sh [runtime|bench|postgres]...   (runtime is the default; modes add up)
#   runtime:  libsecp256k1 (the native BIP340 library every node and test uses)
#   bench:    also libsecp256k1-dev and gcc, for the C reference loop in the crypto benchmark
#   postgres: also the PostgreSQL server binaries (initdb, pg_ctl) for the ledger's journal tests, which start
#             a throw-away cluster of their own; as root also runuser (util-linux), since the server refuses root
set -euo pipefail

if ! command -v dotnet >/dev/null 2>&1; then
  echo "error: the .NET 10 SDK is required (dotnet was not found on PATH)" >&2
  exit 1
fi

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
# Debian 12 and Ubuntu 24.04 ship soname 1; Debian 13 ships soname 2. The binding loads either.
have_runtime() { ldconfig -p 2>/dev/null | grep -qE 'libsecp256k1\.so\.[12] ' || installed libsecp256k1-1 || installed libsecp256k1-2; }
# The tests look in /usr/lib/postgresql/<version>/bin first (where Debian puts them), then on PATH.
have_postgres() {
  for bin in /usr/lib/postgresql/*/bin; do
    [ -x "$bin/initdb" ] && [ -x "$bin/pg_ctl" ] && return 0
  done
  command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1
}

missing=()
have_runtime || missing+=(libsecp256k1-1)
for mode in "${@:-runtime}"; do
  case "$mode" in
    runtime) ;;
    bench)
      installed libsecp256k1-dev || missing+=(libsecp256k1-dev)
      command -v gcc >/dev/null 2>&1 || missing+=(gcc)
      ;;
    postgres)
      have_postgres || missing+=(postgresql)
      if [ "$(id -u)" -eq 0 ] && ! command -v runuser >/dev/null 2>&1; then missing+=(util-linux); fi
      ;;
    *)
      echo "error: unknown mode '$mode' (runtime, bench or postgres)" >&2
      exit 2
      ;;
  esac
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "error: missing packages: ${missing[*]}. Install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi

echo "installing ${missing[*]} ..." >&2
export DEBIAN_FRONTEND=noninteractive
# A fresh machine has no package lists; a failed update is retried once before giving up.
apt-get update -qq >/dev/null 2>&1 || apt-get update -qq >/dev/null
if ! apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
  # Newer distributions name the runtime package after soname 2.
  apt-get install -y -qq --no-install-recommends "${missing[@]/libsecp256k1-1/libsecp256k1-2}" >/dev/null
fi
have_runtime || { echo "error: libsecp256k1 is still missing after installing ${missing[*]}" >&2; exit 1; }
if [[ " ${missing[*]} " == *" postgresql "* ]]; then
  have_postgres || { echo "error: initdb and pg_ctl are still missing after installing postgresql" >&2; exit 1; }
fi
