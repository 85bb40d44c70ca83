#!/usr/bin/env bash
# Runs one benchmark suite in Release and leaves its figures in bench/results/<suite>.json.
# Usage: bench/run.sh <suite> [options passed to the suite]
#   crypto [--seconds N]   BIP340 sign/verify through the binding vs. the C loop (docs/benchmarks.md)
#   state [--blocks N] [--rounds N]   transactions/s through ExchangeState.Apply and the app hash's share
#   matching [--ops N] [--seed S]             one order book, one thread: ops/s and latency, fast vs. reference
#   matching-soak [--commands N] [--seed S]   10M generated commands through both order books
#   consensus [--seconds N] heights/s, messages and verifications per height in the zero-delay simulator
#   devnet [--seconds N] [--validators N] [--rate N] [--pin-cores auto|off]   signed orders through a devnet of validator processes: tx/s and latency
#   remote-floor [--seconds N] [--peers N]   Akka.Remote alone between processes: CPU per message, a height's floor
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

usage() {
  cat >&2 <<'USAGE'
usage: bench/run.sh <suite> [options]
suites:
  crypto [--seconds N]   BIP340 sign/verify through the binding vs. the C loop; writes bench/results/crypto.json
  state [--blocks N] [--rounds N]
                         transactions/s through ExchangeState.Apply, app hash share; writes bench/results/state.json
  matching [--ops N] [--seed S]
                         order book ops/s and latency on two mixes, fast vs. reference; writes bench/results/matching.json
  matching-soak [--commands N] [--seed S]
                         the book comparison test at length (default 10,000,000 commands); exits 1 on divergence
  consensus [--seconds N] heights/s, messages and signature verifications per height for 4, 7, 16
                         validators in the simulator with zero network delay; writes bench/results/consensus.json
  devnet [--seconds N] [--validators N] [--rate N] [--pin-cores auto|off]
                         a devnet of validator processes loaded with signed orders: committed tx/s, submit-to-commit
                         latency at half the peak (or at N orders/s), block interval; writes bench/results/devnet.json
  remote-floor [--seconds N] [--peers N]
                         Akka.Remote alone: N processes in lock-step all-to-all rounds; node CPU per message and
                         the least CPU a consensus height's messages take; writes bench/results/remote-floor.json
See docs/benchmarks.md for what each figure means.
USAGE
  exit 2
}

# Builds and runs the benchmark program; the suite name and its options pass straight through. Built first and
# then started on its own, so no `dotnet run` host lingers beside the measurement.
bench() {
  dotnet build bench/Exchange.Bench -c Release -nologo -v quiet >&2
  dotnet bench/Exchange.Bench/bin/Release/net10.0/Exchange.Bench.dll "$@"
}

[ $# -ge 1 ] || usage
suite="$1"
shift

case "$suite" in
  crypto)
    scripts/ensure-deps.sh bench
    bench crypto "$@"
    ;;
  state)
    scripts/ensure-deps.sh
    bench state "$@"
    ;;
  matching | matching-soak)
    # The .NET SDK and the project's runtime library; none of the C toolchain the crypto suite needs.
    scripts/ensure-deps.sh runtime
    bench "$suite" "$@"
    ;;
  consensus)
    scripts/ensure-deps.sh
    bench consensus "$@"
    ;;
  devnet)
    scripts/ensure-deps.sh
    # The load client shares the cores with the nodes it measures: like them (Exchange.Node.csproj), it compiles
    # each method once, so tier-1 recompilation in the client does not take CPU from the cluster mid-run.
    DOTNET_TieredCompilation=0 bench devnet "$@"
    ;;
  remote-floor)
    scripts/ensure-deps.sh runtime
    bench remote-floor "$@"
    ;;
  *)
    echo "unknown suite: $suite" >&2
    usage
    ;;
esac
