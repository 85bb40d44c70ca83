namespace Exchange.Node;

/// <summary>Reads a reference configuration embedded in the exchange binary (a module's <c>*.conf</c> beside its code).</summary>
internal static class EmbeddedConfig
{
    public static string Read(string logicalName)
    {
        using var stream = typeof(EmbeddedConfig).Assembly.GetManifestResourceStream(logicalName)
            ?? throw new InvalidOperationException($"embedded resource {logicalName} is missing from the build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
