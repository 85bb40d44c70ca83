#!/usr/bin/env bash
# Installs what the project needs from Debian's packages, or says exactly what is missing.
# Usage: scripts/ensure-deps.sh [runtime|bench]   (runtime is the default)
#   runtime: libsecp256k1-1 (the native BIP340 library every node and test uses)
#   bench:   also libsecp256k1-dev and gcc, for the C reference loop in the crypto benchmark
set -euo pipefail

want=(libsecp256k1-1)
if [ "${1:-runtime}" = bench ]; then want+=(libsecp256k1-dev gcc); fi

missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done

if ! command -v dotnet >/dev/null 2>&1; then
  echo "error: the .NET 10 SDK is required (dotnet was not found on PATH)" >&2
  exit 1
fi

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "error: missing Debian packages: ${missing[*]}. Install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi

echo "installing ${missing[*]} ..." >&2
export DEBIAN_FRONTEND=noninteractive
# A fresh machine has no package lists; a failed update is retried once before giving up.
apt-get update -qq >/dev/null 2>&1 || apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
