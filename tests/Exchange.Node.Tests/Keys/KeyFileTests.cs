using System.Text.Json.Nodes;
using Exchange.Node.Keys;

namespace Exchange.Node.Tests.Keys;

// Key files rely on Unix permissions; nodes run on Linux.
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class KeyFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("exchange-keyfile-").FullName;
    private string PathOf(string name) => Path.Combine(_dir, name);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Written_key_should_read_back_as_the_same_key_and_be_owner_only()
    {
        var key = KeyGenerator.Generate();
        var path = PathOf("nested/validator.json");
        KeyFile.Write(path, key, overwrite: false);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(key.PublicKey, KeyFile.Read(path).PublicKey);
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public void Existing_key_should_not_be_overwritten_unless_forced()
    {
        var path = PathOf("k.json");
        var first = KeyGenerator.Generate();
        KeyFile.Write(path, first, overwrite: false);
        var e = Assert.Throws<KeyFileException>(() => KeyFile.Write(path, KeyGenerator.Generate(), overwrite: false));
        Assert.Contains("--force", e.Message);
        Assert.Equal(first.PublicKey, KeyFile.Read(path).PublicKey);
        var second = KeyGenerator.Generate();
        KeyFile.Write(path, second, overwrite: true);
        Assert.Equal(second.PublicKey, KeyFile.Read(path).PublicKey);
    }

    [Fact]
    public void Key_readable_by_others_should_be_refused()
    {
        var path = PathOf("k.json");
        KeyFile.Write(path, KeyGenerator.Generate(), overwrite: false);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        Assert.Contains("chmod 600", Assert.Throws<KeyFileException>(() => KeyFile.Read(path)).Message);
    }

    [Fact]
    public void Missing_file_should_say_how_to_create_one() =>
        Assert.Contains("exchange keygen", Assert.Throws<KeyFileException>(() => KeyFile.Read(PathOf("absent.json"))).Message);

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("{\"type\":\"rsa\",\"public_key\":\"00\",\"secret_key\":\"00\"}", "is not a bip340-secp256k1 key")]
    [InlineData("{\"type\":\"bip340-secp256k1\",\"public_key\":\"00\",\"secret_key\":\"zz\"}", "not hexadecimal")]
    [InlineData("{\"type\":\"bip340-secp256k1\",\"public_key\":\"00\",\"secret_key\":\"00\"}", "secret_key is invalid")]
    [InlineData("{\"type\":\"bip340-secp256k1\",\"public_key\":\"00\",\"secret_key\":\"0000000000000000000000000000000000000000000000000000000000000000\"}", "secret_key is invalid")]
    public void Malformed_key_file_should_be_refused_with_a_reason(string content, string reason)
    {
        var path = PathOf("bad.json");
        File.WriteAllText(path, content);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Assert.Contains(reason, Assert.Throws<KeyFileException>(() => KeyFile.Read(path)).Message);
    }

    [Fact]
    public void Public_key_that_does_not_match_the_secret_should_be_refused()
    {
        var path = PathOf("k.json");
        KeyFile.Write(path, KeyGenerator.Generate(), overwrite: false);
        var doc = JsonNode.Parse(File.ReadAllText(path))!;
        doc["public_key"] = KeyGenerator.Generate().PublicKey.ToString();
        File.WriteAllText(path, doc.ToJsonString());
        Assert.Contains("does not match", Assert.Throws<KeyFileException>(() => KeyFile.Read(path)).Message);
    }

    [Fact]
    public void Generated_keys_should_differ()
    {
        var keys = Enumerable.Range(0, 50).Select(_ => KeyGenerator.Generate().PublicKey).ToHashSet();
        Assert.Equal(50, keys.Count);
    }
}
