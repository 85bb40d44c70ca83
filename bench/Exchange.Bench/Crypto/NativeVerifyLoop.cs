using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace Exchange.Bench.Crypto;

/// <summary>
/// bench/native/verify_loop.c, built with gcc against the system libsecp256k1 and run as a
/// separate process: the verify rate with no managed runtime in the way.
/// </summary>
internal sealed class NativeVerifyLoop
{
    private const string InstallHint = "run scripts/ensure-deps.sh bench (installs gcc and libsecp256k1-dev)";
    private readonly string _executable;

    private NativeVerifyLoop(string executable) => _executable = executable;

    /// <summary>Compiles the C loop, or explains which prerequisite is missing.</summary>
    public static NativeVerifyLoop Build(RepositoryLayout layout)
    {
        var source = Path.Combine(layout.NativeDirectory, "verify_loop.c");
        var executable = Path.Combine(layout.NativeBuildDirectory, "verify_loop");
        Directory.CreateDirectory(layout.NativeBuildDirectory);

        ProcessResult gcc;
        try
        {
            gcc = RunProcess("gcc", ["-O2", "-o", executable, source, "-lsecp256k1"]);
        }
        catch (Win32Exception)
        {
            throw new BenchPrerequisiteException($"gcc was not found; the C reference loop needs it: {InstallHint}");
        }
        if (gcc.ExitCode != 0)
            throw new BenchPrerequisiteException(
                $"gcc could not build {layout.Relative(source)}; it needs libsecp256k1's headers and link library: {InstallHint}\n{gcc.Error.TrimEnd()}");
        return new NativeVerifyLoop(executable);
    }

    /// <summary>Verifications per second on one core over the records in <paramref name="input"/>.</summary>
    public double VerifyPerSecond(string input, TimeSpan duration)
    {
        var run = RunProcess(_executable, [input, duration.TotalSeconds.ToString("R", CultureInfo.InvariantCulture)]);
        if (run.ExitCode != 0 || !double.TryParse(run.Output, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate))
            throw new InvalidOperationException($"the C verify loop failed (exit {run.ExitCode}): {run.Error.TrimEnd()}");
        return rate;
    }

    private readonly record struct ProcessResult(int ExitCode, string Output, string Error);

    private static ProcessResult RunProcess(string file, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        // Both streams are drained at once, so a chatty child can never block on a full pipe.
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return new ProcessResult(process.ExitCode, output.Result.Trim(), error.Result);
    }
}
