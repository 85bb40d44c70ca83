#!/usr/bin/env bash
# Builds everything in Release and runs every test project; ends with "N passed, N failed[, N skipped]".
set -uo pipefail
cd "$(dirname "$0")"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# The ledger tests start a PostgreSQL server of their own; its binaries come from the distribution.
scripts/ensure-deps.sh runtime postgres || { echo "0 passed, 1 failed"; exit 1; }

if ! dotnet build Exchange.sln -c Release -nologo -v quiet; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
# One test assembly at a time: run side by side on two cores, the CPU-bound simulator runs starve the cluster
# tests' processes and turn their liveness waits into flakes.
status=0
for project in tests/*/*.Tests.csproj; do
  dotnet test "$project" -c Release --no-build -nologo 2>&1 | tee -a "$log"
  [ "${PIPESTATUS[0]}" -ne 0 ] && status=1
done

# Each test assembly prints one summary: "Passed!  - Failed: 0, Passed: 76, Skipped: 0, Total: 76, ...".
sum() { grep -oE "$1: +[0-9]+" "$log" | awk '{s += $2} END {print s + 0}'; }
passed=$(sum Passed)
failed=$(sum Failed)
skipped=$(sum Skipped)
# A test host that crashed prints no summary of its own; never let that pass as green.
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "dotnet test exited with status $status (a test host aborted?)"
  failed=1
fi

line="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
echo "$line"
[ "$failed" -eq 0 ] && [ "$status" -eq 0 ]
