using System.Security.Cryptography;
using Exchange.Core.Crypto;

namespace Exchange.Core.Tests.Crypto;

public class Sha256Tests
{
    [Fact]
    public void Sha256_should_equal_dotnets_for_every_size_and_split()
    {
        var random = new Random(20261124);
        for (var size = 0; size <= 1_100; size += size < 130 ? 1 : 37)
        {
            var data = new byte[size];
            random.NextBytes(data);
            var expected = SHA256.HashData(data);
            var actual = new byte[32];
            Sha256.Hash(data, actual);
            Assert.True(expected.AsSpan().SequenceEqual(actual), $"size {size}");
            var cut1 = size / 3;
            var cut2 = size - size / 4;
            Sha256.Hash(data.AsSpan(0, cut1), data.AsSpan(cut1, cut2 - cut1), data.AsSpan(cut2), actual);
            Assert.True(expected.AsSpan().SequenceEqual(actual), $"size {size} in three parts");
        }
    }

    [Fact]
    public void Sha256_should_use_libcrypto_on_linux() =>
        Assert.True(!OperatingSystem.IsLinux() || Sha256.IsNative, "libcrypto.so.3 was not found; hashing falls back to .NET's slower SHA-256");

    [Fact]
    public void Tagged_hash_should_match_its_bip340_definition()
    {
        var tag = SHA256.HashData("exchange/test"u8);
        byte[] expected = SHA256.HashData([.. tag, .. tag, .. "payload"u8]);
        Assert.Equal(Convert.ToHexStringLower(expected), Hash32.Tagged("exchange/test", "payload"u8).ToString());
    }
}
