using Exchange.Core.Crypto;
using Exchange.Bench.Results;

namespace Exchange.Bench;

/// <summary>What every suite does around its measurement: find the results folder, record the figures, and turn a missing prerequisite into a clear error.</summary>
internal static class SuiteRun
{
    /// <summary>Runs <paramref name="measure"/> (which prints its own table) and writes what it returns to bench/results/<paramref name="suite"/>.json.</summary>
    public static int Record(string suite, Func<RepositoryLayout, IEnumerable<KeyValuePair<string, double>>> measure)
    {
        try
        {
            var layout = RepositoryLayout.Locate();
            var results = measure(layout);
            var path = Path.Combine(layout.ResultsDirectory, suite + ".json");
            ResultsFile.Write(path, results);
            Console.WriteLine($"wrote {layout.Relative(path)}");
            return 0;
        }
        catch (BenchPrerequisiteException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
        catch (Secp256k1UnavailableException e)
        {
            Console.Error.WriteLine($"error: {e.Message}; or run scripts/ensure-deps.sh bench");
            return 1;
        }
    }
}
