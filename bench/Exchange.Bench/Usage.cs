namespace Exchange.Bench;

/// <summary>The command line of the benchmark program, printed for help and for anything it does not understand.</summary>
internal static class Usage
{
    private const string Text = """
        usage: Exchange.Bench <suite> [options]

        suites:
          crypto [--seconds N]  BIP340 sign/s and verify/s through the binding, on one core and on all
                                cores, against the same verify loop in C; prints a table and writes
                                bench/results/crypto.json. Each measurement runs N seconds in total
                                (default 5), split into rounds; the median round is reported.
          state [--blocks N] [--rounds N]
                                transactions/s through ExchangeState.Apply on one thread over N pre-built
                                blocks of 1,000 transactions (default 50; 10,000 accounts, 50 series) and
                                the app hash's share of block time; prints a table and writes
                                bench/results/state.json. Median of the rounds (default 5).
          matching [--ops N] [--seed S]
                                one order book on one thread, fast and reference: ops/s and per-op
                                latency on exchange-core's mix (N ops, default 3,000,000) and on a
                                mix of sweeps (N/3 ops), from streams generated before timing; prints
                                a table and writes bench/results/matching.json
          matching-soak [--commands N] [--seed S]
                                the long run of the book comparison test: N generated commands
                                (default 10,000,000) through the reference and the fast book, which
                                must agree on every event and state hash; exits 1 on divergence
          consensus [--seconds N]
                                heights/s, messages and signature verifications per height for 4, 7
                                and 16 validators in the simulator with zero network delay (the
                                protocol's own overhead, one core); writes bench/results/consensus.json.
          devnet [--seconds N] [--validators N] [--rate N] [--pin-cores auto|off]
                                signed orders through a devnet of validator processes on loopback: committed tx/s
                                against the signature bound, submit-to-commit latency at half the peak (or at N
                                orders/s), block interval; writes bench/results/devnet.json. With more validators
                                than cores each runs on one (as `exchange devnet` does) unless --pin-cores off.
          remote-floor [--seconds N] [--peers N]
                                Akka.Remote alone: N processes (default 4) in lock-step all-to-all rounds of 16-byte
                                messages; node CPU per message and the least CPU a consensus height's messages take;
                                writes bench/results/remote-floor.json.
                                Each size runs 5 rounds of about N/5 seconds (default N = 5); median.
          bdn [args]            the BenchmarkDotNet suites (Sign, Verify, OrderBook); args go to BenchmarkSwitcher,
                                e.g. bdn --filter '*' --job short
        """;

    public static int Print(TextWriter to, int exitCode)
    {
        to.WriteLine(Text);
        return exitCode;
    }
}
