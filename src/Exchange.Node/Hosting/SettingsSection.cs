using Akka.Configuration;

namespace Exchange.Node.Hosting;

/// <summary>
/// One section of the node's HOCON read key by key, so that a value the parser cannot take is refused with the key's
/// full path instead of the parser's bare message.
/// </summary>
internal sealed class SettingsSection(Config section, string path)
{
    public int Int(string key) => Read(key, k => section.GetInt(k));

    public TimeSpan Duration(string key) => Read(key, k => section.GetTimeSpan(k));

    public long Bytes(string key) => Read(key, k => section.GetByteSize(k) ?? throw new FormatException("not a byte size"));

    /// <exception cref="ConfigurationException">The value is malformed; the message names the key.</exception>
    private T Read<T>(string key, Func<string, T> read)
    {
        try
        {
            return read(key);
        }
        catch (Exception e) when (e is FormatException or OverflowException or InvalidCastException or ArgumentException)
        {
            throw new ConfigurationException($"{path}.{key}: '{section.GetString(key)}' is not a usable value ({e.Message})", e);
        }
    }
}
