using System.Security.Cryptography;
using System.Text;
using Exchange.Core.Crypto;

namespace Exchange.Core.Tests.Crypto;

public sealed class Hash32Tests
{
    [Fact]
    public void Compute_should_give_the_standard_sha256_digest()
    {
        // FIPS 180-2 example: SHA-256("abc").
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Hash32.Compute("abc"u8).ToString());
    }

    [Fact]
    public void Tagged_should_hash_the_tag_hash_twice_then_the_data()
    {
        var tag = SHA256.HashData(Encoding.UTF8.GetBytes("BIP0340/challenge"));
        var expected = SHA256.HashData([.. tag, .. tag, .. "payload"u8.ToArray()]);

        Assert.Equal(Convert.ToHexStringLower(expected), Hash32.Tagged("BIP0340/challenge", "payload"u8).ToString());
    }

    [Fact]
    public void Tagged_should_differ_between_tags_and_from_the_plain_hash()
    {
        var data = "order"u8;

        Assert.NotEqual(Hash32.Tagged("exchange/order", data), Hash32.Tagged("exchange/cancel", data));
        Assert.NotEqual(Hash32.Tagged("exchange/order", data), Hash32.Compute(data));
    }
}
