namespace Exchange.Bench.Crypto;

/// <summary>
/// The medians of one crypto benchmark run, with the ratios the targets are stated in; each ratio
/// is the median of the ratios within rounds, so it may differ slightly from the quotient of two medians.
/// <see cref="OtherCores"/> is the most CPU other processes took during any round that counted.
/// </summary>
internal sealed record CryptoFigures(
    int Cores,
    int Rounds,
    double SecondsPerRound,
    double SignPerSecOneCore,
    double VerifyPerSecOneCore,
    double VerifyKeptKeyPerSecOneCore,
    double VerifyPerSecAllCores,
    double CVerifyPerSecOneCore,
    double BindingVsCOneCore,
    double AllCoresVsOneCore,
    double OtherCores,
    double DisturbedAbove)
{
    /// <summary>The binding must keep at least this share of the C loop's verify rate on one core.</summary>
    public const double BindingVsCTarget = 0.90;

    /// <summary>All-core verification must reach this share of perfect scaling: 1.7× one core on 2 cores.</summary>
    public const double ScalingEfficiencyTarget = 0.85;

    public double AllCoresTarget => ScalingEfficiencyTarget * Cores;

    /// <summary>The flat name → number object of bench/results/crypto.json; rates in whole operations per second.</summary>
    public IEnumerable<KeyValuePair<string, double>> ToResults() =>
    [
        new("sign_per_sec_one_core", Math.Round(SignPerSecOneCore)),
        new("verify_per_sec_one_core", Math.Round(VerifyPerSecOneCore)),
        new("verify_kept_key_per_sec_one_core", Math.Round(VerifyKeptKeyPerSecOneCore)),
        new("verify_per_sec_all_cores", Math.Round(VerifyPerSecAllCores)),
        new("c_verify_per_sec_one_core", Math.Round(CVerifyPerSecOneCore)),
        new("binding_vs_c_one_core", Math.Round(BindingVsCOneCore, 3)),
        new("all_cores_vs_one_core", Math.Round(AllCoresVsOneCore, 3)),
        new("cores", Cores),
        new("rounds", Rounds),
        new("seconds_per_round", SecondsPerRound),
        new("other_processes_cores", Math.Round(OtherCores, 2)),
    ];

    public void Print(TextWriter to)
    {
        to.WriteLine($"BIP340 through libsecp256k1: {Cores} cores, median of {Rounds} rounds of {SecondsPerRound:0.##} s");
        to.WriteLine($"  {"sign/s, one core",-34}{SignPerSecOneCore,12:N0}");
        to.WriteLine($"  {"verify/s, one core (binding)",-34}{VerifyPerSecOneCore,12:N0}");
        to.WriteLine($"  {"verify/s, one core (C loop)",-34}{CVerifyPerSecOneCore,12:N0}");
        to.WriteLine($"  {"verify/s, one core, key kept",-34}{VerifyKeptKeyPerSecOneCore,12:N0}");
        to.WriteLine($"  {$"verify/s, all {Cores} cores, keys kept",-34}{VerifyPerSecAllCores,12:N0}");
        to.WriteLine($"  {"binding / C, one core",-34}{BindingVsCOneCore,12:0.000}  target >= {BindingVsCTarget:0.00}  {Verdict(BindingVsCOneCore >= BindingVsCTarget)}");
        var scaling = Cores < 2 ? "n/a on one core" : $"target >= {AllCoresTarget:0.00}  {Verdict(AllCoresVsOneCore >= AllCoresTarget)}";
        to.WriteLine($"  {"all cores / one core, keys kept",-34}{AllCoresVsOneCore,12:0.000}  {scaling}");
        if (OtherCores > DisturbedAbove)
            to.WriteLine($"warning: other processes kept {OtherCores:0.00} cores busy during these rounds; rerun on a quiet machine");
    }

    private static string Verdict(bool met) => met ? "met" : "MISSED";
}
