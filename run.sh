#!/usr/bin/env bash
# The main job: a local devnet of 4 validator processes and 1 full node on loopback, with SQLite under ./devnet,
# and a live table of every node (height, round, tx/s, peers, app hash) until Ctrl-C stops them all. Running it
# again continues the stored chain; remove ./devnet for a fresh genesis. Options pass through to `exchange devnet`.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

scripts/ensure-deps.sh
dotnet build src/Exchange.Node -c Release -nologo -v quiet
exec dotnet src/Exchange.Node/bin/Release/net10.0/exchange.dll devnet --validators 4 --fullnodes 1 --data-dir devnet "$@"
