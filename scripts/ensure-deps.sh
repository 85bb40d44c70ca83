#!/usr/bin/env bash
# Installs what the project needs from the distribution's packages, or says exactly what is missing.
# Usage: scripts/ensure-deps.sh [runtime|bench]   (runtime is the default)
#   runtime: libsecp256k1 (the native BIP340 library every node and test uses)
#   bench:   also libsecp256k1-dev and gcc, for the C reference loop in the crypto benchmark
set -euo pipefail

if ! command -v dotnet >/dev/null 2>&1; then
  echo "error: the .NET 10 SDK is required (dotnet was not found on PATH)" >&2
  exit 1
fi

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
# Debian 12 and Ubuntu 24.04 ship soname 1; Debian 13 ships soname 2. The binding loads either.
have_runtime() { ldconfig -p 2>/dev/null | grep -qE 'libsecp256k1\.so\.[12] ' || installed libsecp256k1-1 || installed libsecp256k1-2; }

missing=()
have_runtime || missing+=(libsecp256k1-1)
if [ "${1:-runtime}" = bench ]; then
  installed libsecp256k1-dev || missing+=(libsecp256k1-dev)
  command -v gcc >/dev/null 2>&1 || missing+=(gcc)
fi
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
