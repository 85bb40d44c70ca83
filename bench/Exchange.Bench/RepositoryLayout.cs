namespace Exchange.Bench;

/// <summary>
/// Where the benchmark reads and writes inside the repository. Found from the program's own
/// location, so results land in the same place whatever directory it is started from.
/// </summary>
internal sealed class RepositoryLayout
{
    private RepositoryLayout(string root) => Root = root;

    public string Root { get; }
    public string ResultsDirectory => Path.Combine(Root, "bench", "results");
    public string NativeDirectory => Path.Combine(Root, "bench", "native");

    /// <summary>Build output of the C programs; ignored by git.</summary>
    public string NativeBuildDirectory => Path.Combine(NativeDirectory, "build");

    public string Relative(string path) => Path.GetRelativePath(Root, path);

    public static RepositoryLayout Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Exchange.sln")))
                return new RepositoryLayout(dir.FullName);
        throw new BenchPrerequisiteException(
            $"no Exchange.sln above {AppContext.BaseDirectory}; run the benchmark from inside the repository (bench/run.sh)");
    }
}
