using System.Text.Json;
using System.Text.Json.Serialization;
using Exchange.Core.Crypto;

namespace Exchange.Node.Keys;

/// <summary>Raised when a key file cannot be written or read; the message says what to do.</summary>
public sealed class KeyFileException(string message) : Exception(message);

/// <summary>
/// A signing key on disk: JSON with the x-only public key and the secret, readable by its owner only.
/// Like ssh, reading refuses a file that others may read, because such a key must be assumed leaked.
/// </summary>
public static class KeyFile
{
    public const string KeyType = "bip340-secp256k1";
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode GroupOrOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private sealed record Document(
        [property: JsonPropertyName("type")] string Type,
        [property: JsonPropertyName("public_key")] string PublicKey,
        [property: JsonPropertyName("secret_key")] string SecretKey);

    public static void Write(string path, KeyPair key, bool overwrite)
    {
        if (File.Exists(path) && !overwrite)
            throw new KeyFileException($"{path} already exists; refusing to overwrite a key (pass --force to replace it)");
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);

        var secret = key.ExportSecret();
        var json = JsonSerializer.SerializeToUtf8Bytes(
            new Document(KeyType, key.PublicKey.ToString(), Convert.ToHexStringLower(secret)),
            new JsonSerializerOptions { WriteIndented = true });
        Array.Clear(secret);

        // Write beside the target with owner-only permissions from the first byte, then move into place,
        // so the secret is never briefly readable and a crash never leaves half a key.
        var temp = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerOnly;
        using (var stream = new FileStream(temp, options))
        {
            stream.Write(json);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite);
    }

    public static KeyPair Read(string path)
    {
        if (!File.Exists(path)) throw new KeyFileException($"key file {path} does not exist (create one with: exchange keygen --out {path})");
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & GroupOrOther) != 0)
            throw new KeyFileException($"key file {path} is accessible by other users; run: chmod 600 {path}");

        Document? doc;
        try
        {
            doc = JsonSerializer.Deserialize<Document>(File.ReadAllBytes(path));
        }
        catch (JsonException e)
        {
            throw new KeyFileException($"key file {path} is not valid JSON: {e.Message}");
        }
        if (doc is null || doc.Type != KeyType)
            throw new KeyFileException($"key file {path} is not a {KeyType} key");

        byte[] secret;
        try
        {
            secret = Convert.FromHexString(doc.SecretKey ?? "");
        }
        catch (FormatException)
        {
            throw new KeyFileException($"key file {path}: secret_key is not hexadecimal");
        }
        if (!KeyPair.TryCreate(secret, out var key, out var error))
            throw new KeyFileException($"key file {path}: secret_key is invalid ({error})");
        Array.Clear(secret);
        if (key!.PublicKey.ToString() != doc.PublicKey?.ToLowerInvariant())
            throw new KeyFileException($"key file {path}: public_key does not match secret_key");
        return key;
    }
}
