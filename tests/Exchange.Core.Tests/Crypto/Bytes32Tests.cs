using Exchange.Core.Crypto;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Exchange.Core.Tests.Crypto;

/// <summary>Two 32-byte arrays that often share a prefix, so every word of the comparison is reached.</summary>
public sealed record BytePair(byte[] A, byte[] B)
{
    public override string ToString() => $"A={Convert.ToHexString(A)} B={Convert.ToHexString(B)}";
}

public static class BytePairs
{
    public static Arbitrary<BytePair> Arbitrary()
    {
        var bytes32 = Gen.ArrayOf(Gen.Choose(0, 255).Select(i => (byte)i), 32);
        var smallByte = Gen.Elements<byte>(0, 1, 0x7F, 0x80, 0xFE, 0xFF);
        var gen =
            from a in Gen.Frequency((3, bytes32), (1, Gen.ArrayOf(smallByte, 32)))
            from sharedPrefix in Gen.Choose(0, 32)
            from tail in Gen.ArrayOf(Gen.Frequency((3, Gen.Choose(0, 255).Select(i => (byte)i)), (1, smallByte)), 32)
            select new BytePair(a, [.. a.Take(sharedPrefix), .. tail.Skip(sharedPrefix)]);
        return Arb.From(gen);
    }
}

public sealed class Bytes32Tests
{
    [Property(Replay = "(3202, 1789)", MaxTest = 2_000, Arbitrary = [typeof(BytePairs)])]
    public void CompareTo_should_match_lexicographic_byte_order(BytePair pair)
    {
        var a = new Bytes32(pair.A);
        var b = new Bytes32(pair.B);
        var expected = Math.Sign(pair.A.AsSpan().SequenceCompareTo(pair.B));

        Assert.Equal(expected, Math.Sign(a.CompareTo(b)));
        Assert.Equal(-expected, Math.Sign(b.CompareTo(a)));
        Assert.Equal(expected == 0, a == b);
        Assert.Equal(expected != 0, a != b);
        Assert.Equal(expected == 0, a.Equals((object)b));
        if (expected == 0) Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.Equal(Math.Sign(string.CompareOrdinal(a.ToHex(), b.ToHex())), expected);
    }

    [Property(Replay = "(3203, 1789)", MaxTest = 500, Arbitrary = [typeof(BytePairs)])]
    public void Hex_should_round_trip_in_lower_and_upper_case(BytePair pair)
    {
        var value = new Bytes32(pair.A);
        var hex = value.ToHex();

        Assert.Equal(Convert.ToHexStringLower(pair.A), hex);
        Assert.True(Bytes32.TryParseHex(hex, out var lower));
        Assert.True(Bytes32.TryParseHex(hex.ToUpperInvariant(), out var upper));
        Assert.Equal(value, lower);
        Assert.Equal(value, upper);
        Assert.Equal(pair.A, value.ToArray());
    }

    [Fact]
    public void Sorting_should_put_keys_in_byte_order()
    {
        var seed = 32;
        var random = new Random(seed);
        var arrays = Enumerable.Range(0, 200).Select(_ =>
        {
            var b = new byte[32];
            random.NextBytes(b);
            b[0] &= 0x03; // many shared first bytes
            return b;
        }).ToList();

        var sortedValues = arrays.Select(a => new Bytes32(a)).Order().Select(v => v.ToHex()).ToList();
        var sortedBytes = arrays.Order(Comparer<byte[]>.Create((x, y) => x.AsSpan().SequenceCompareTo(y)))
            .Select(Convert.ToHexStringLower).ToList();

        Assert.True(sortedBytes.SequenceEqual(sortedValues), $"seed {seed}: sort orders differ");
    }

    public static TheoryData<string> BadHex() =>
    [
        "",
        "00",
        new string('0', 63),
        new string('0', 65),
        new string('0', 62) + "zz",
        new string('0', 62) + "0g",
        "0x" + new string('0', 62),
        " " + new string('0', 63),
        new string('0', 63) + " ",
        new string('0', 31) + "-" + new string('0', 32),
        new string('０', 64),
    ];

    [Theory]
    [MemberData(nameof(BadHex))]
    public void TryParseHex_should_refuse_malformed_text(string text)
    {
        Assert.False(Bytes32.TryParseHex(text, out var value));
        Assert.Equal(Bytes32.Zero, value);
        Assert.False(Hash32.TryParseHex(text, out _));
        Assert.False(PublicKey.TryParseHex(text, out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(33)]
    public void Constructor_should_refuse_anything_but_32_bytes(int length)
    {
        var e = Assert.Throws<ArgumentException>(() => new Bytes32(new byte[length]));

        Assert.Contains(length.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message);
    }

    [Fact]
    public void Zero_should_be_the_default_and_the_smallest_value()
    {
        var one = new byte[32];
        one[31] = 1;

        Assert.True(Bytes32.Zero.IsZero);
        Assert.True(default(Bytes32).IsZero);
        Assert.False(new Bytes32(one).IsZero);
        Assert.True(Bytes32.Zero.CompareTo(new Bytes32(one)) < 0);
        Assert.Equal(new string('0', 64), Bytes32.Zero.ToHex());
    }

    [Fact]
    public void Equality_should_consider_every_byte()
    {
        var baseBytes = new byte[32];
        var value = new Bytes32(baseBytes);
        for (var i = 0; i < 32; i++)
        {
            var changed = (byte[])baseBytes.Clone();
            changed[i] = 1;
            Assert.True(value != new Bytes32(changed), $"byte {i} ignored by equality");
            Assert.True(value.CompareTo(new Bytes32(changed)) < 0, $"byte {i} ignored by ordering");
        }
        Assert.False(value.Equals("not bytes"));
    }
}
