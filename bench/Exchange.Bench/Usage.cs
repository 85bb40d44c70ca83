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
          consensus [--seconds N]
                                heights/s, messages and signature verifications per height for 4, 7
                                and 16 validators in the simulator with zero network delay (the
                                protocol's own overhead, one core); writes bench/results/consensus.json.
                                Each size runs 5 rounds of about N/5 seconds (default N = 5); median.
          bdn [args]            the BenchmarkDotNet suites (Sign, Verify); args go to BenchmarkSwitcher,
                                e.g. bdn --filter '*' --job short
        """;

    public static int Print(TextWriter to, int exitCode)
    {
        to.WriteLine(Text);
        return exitCode;
    }
}
