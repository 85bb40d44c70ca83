using System.Text.Json;

namespace Exchange.Bench.Results;

/// <summary>
/// Writes a <c>bench/results/*.json</c> file: one flat JSON object of name → number, so that
/// any tool (or a diff in review) can compare runs without knowing which suite made them.
/// </summary>
internal static class ResultsFile
{
    public static void Write(string path, IEnumerable<KeyValuePair<string, double>> figures)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var stream = File.Create(path);
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            foreach (var (name, value) in figures)
            {
                if (!double.IsFinite(value)) throw new ArgumentException($"{name} is {value}: JSON has no such number", nameof(figures));
                json.WriteNumber(name, value);
            }
            json.WriteEndObject();
        }
        stream.WriteByte((byte)'\n');
    }
}
