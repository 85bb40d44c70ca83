using System.Collections;
using System.Text;
using System.Text.RegularExpressions;
using Akka.Configuration;

namespace Exchange.Node.Hosting;

/// <summary>
/// Builds the node's configuration: the <c>--config</c> files in order (later files win), with their
/// <c>include "file"</c> lines expanded relative to the including file, then the environment overrides, parsed as one
/// HOCON document so that substitutions see the final values; the embedded reference.conf is the fallback.
/// </summary>
public static partial class NodeConfig
{
    private const int MaxIncludeDepth = 8;

    public static Config Load(IReadOnlyList<string> files, IReadOnlyDictionary<string, string?> environment)
    {
        if (files.Count == 0) throw new NodeConfigException("no configuration file given (try --config hocon/validator.conf)");
        var text = new StringBuilder();
        foreach (var file in files) text.Append(Expand(Locate(file), 0, [])).Append('\n');
        var systemName = SystemNameOf(text.ToString());
        text.Append(EnvironmentOverrides.ToHocon(environment, systemName));
        try
        {
            return ConfigurationFactory.ParseString(text.ToString()).WithFallback(NodeReference.Config);
        }
        catch (Exception e) when (e is not NodeConfigException)
        {
            throw new NodeConfigException($"configuration {string.Join(", ", files)} is not valid HOCON: {e.Message}", e);
        }
    }

    /// <summary>The process environment as a dictionary, for <see cref="Load"/>.</summary>
    public static IReadOnlyDictionary<string, string?> ProcessEnvironment() =>
        Environment.GetEnvironmentVariables().Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal);

    /// <summary>
    /// A relative path is looked up in the working directory first, then beside the executable, so
    /// <c>--config hocon/validator.conf</c> works from the repository and from a published folder.
    /// </summary>
    public static string Locate(string path)
    {
        if (File.Exists(path)) return Path.GetFullPath(path);
        if (!Path.IsPathRooted(path))
        {
            var besideBinary = Path.Combine(AppContext.BaseDirectory, path);
            if (File.Exists(besideBinary)) return besideBinary;
        }
        throw new NodeConfigException($"configuration file {path} does not exist");
    }

    private static string Expand(string path, int depth, HashSet<string> open)
    {
        if (depth > MaxIncludeDepth) throw new NodeConfigException($"{path}: includes nested deeper than {MaxIncludeDepth}");
        if (!open.Add(path)) throw new NodeConfigException($"{path} includes itself");
        var directory = Path.GetDirectoryName(path)!;
        var result = new StringBuilder();
        foreach (var line in File.ReadAllLines(path))
        {
            var include = IncludeLine().Match(line);
            if (!include.Success)
            {
                result.Append(line).Append('\n');
                continue;
            }
            var target = include.Groups["file"].Value;
            var full = Path.IsPathRooted(target) ? target : Path.Combine(directory, target);
            if (!File.Exists(full)) throw new NodeConfigException($"{path}: included file {target} does not exist");
            result.Append(Expand(Path.GetFullPath(full), depth + 1, open));
        }
        open.Remove(path);
        return result.ToString();
    }

    private static string SystemNameOf(string hocon)
    {
        try
        {
            return ConfigurationFactory.ParseString(hocon).WithFallback(NodeReference.Config).GetString("exchange.node.system-name");
        }
        catch (Exception e)
        {
            throw new NodeConfigException($"configuration is not valid HOCON: {e.Message}", e);
        }
    }

    [GeneratedRegex("""^\s*include\s+"(?<file>[^"]+)"\s*$""")]
    private static partial Regex IncludeLine();
}
