#!/usr/bin/env bash
# The main job. Until the multi-validator devnet lands, this runs the local ledger demonstration:
# fresh keys sign a short chain of blocks that four validators commit, checked as a peer would.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

scripts/ensure-deps.sh
dotnet build src/Exchange.Node -c Release -nologo -v quiet
exec dotnet src/Exchange.Node/bin/Release/net10.0/exchange.dll demo "$@"
