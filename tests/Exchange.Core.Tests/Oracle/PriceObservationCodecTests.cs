using Exchange.Core.Crypto;
using Exchange.Core.Ledger.Codec;
using Exchange.Core.Numerics;
using Exchange.Core.Oracle;
using static Exchange.Core.Tests.Oracle.OracleFixtures;

namespace Exchange.Core.Tests.Oracle;

/// <summary>An observation has one encoding; the decoder refuses every other byte string with a typed error.</summary>
public class PriceObservationCodecTests
{
    private static readonly PriceObservation Signed = Observation_Alice_BTC100k_ETH3k_AtHeight7();
    private static readonly byte[] Valid = Signed.Encode();

    // Layout: version(1) validator(32) height(varint 7 = 1 byte) time(zigzag varint) count(1) quotes... signature(64).
    private const int HeightOffset = 1 + 32;

    private static DecodeError ErrorOf(byte[] bytes)
    {
        Assert.False(PriceObservation.TryDecode(bytes, out var decoded, out var error));
        Assert.Null(decoded);
        return error!.Error;
    }

    /// <summary>Encodes an observation as it stands, valid or not: the writer does not judge, the reader does.</summary>
    private static byte[] Encoded(params IndexQuote[] quotes) =>
        new PriceObservation(Alice.PublicKey, 7, 1_000, quotes, Signature.Empty).Encode();

    [Fact]
    public void Observation_should_round_trip_to_an_equal_value()
    {
        Assert.True(PriceObservation.TryDecode(Valid, out var decoded, out var error), error?.Message);
        Assert.Equal(Signed, decoded);
        Assert.Equal(Valid, decoded!.Encode());
        Assert.Equal(7, Valid[HeightOffset]);
    }

    [Fact]
    public void Observation_with_sixteen_quotes_of_long_symbols_and_extreme_values_should_round_trip_within_the_size_limit()
    {
        var quotes = Enumerable.Range(0, PriceObservation.MaxQuotes)
            .Select(i => new IndexQuote("ZZZZZZZ" + (char)('A' + i), new Price(long.MaxValue - i), IndexQuote.MaxImpliedVol))
            .ToArray();
        var o = new PriceObservation(Alice.PublicKey, ulong.MaxValue, long.MaxValue, quotes, Signed.Signature);
        var bytes = o.Encode();

        Assert.True(bytes.Length <= PriceObservation.MaxEncodedLength, $"{bytes.Length} bytes");
        Assert.Equal(o, PriceObservation.Decode(bytes));
    }

    [Fact]
    public void Create_should_sort_quotes_by_underlying()
    {
        var o = Obs(Alice, 3, Eth(3_000), new IndexQuote("AVAX", Price.FromWhole(20), 800_000), Btc(100_000));
        Assert.Equal(["AVAX", "BTC", "ETH"], o.Quotes.Select(q => q.Underlying));
        Assert.True(o.Validate().IsValid);
    }

    [Fact]
    public void Trailing_bytes_should_be_refused() => Assert.Equal(DecodeError.TrailingBytes, ErrorOf([.. Valid, 0]));

    [Fact]
    public void Every_truncation_should_be_refused()
    {
        for (var n = 0; n < Valid.Length; n++)
            Assert.Equal(DecodeError.Truncated, ErrorOf(Valid[..n]));
    }

    [Fact]
    public void An_unknown_version_should_be_refused()
    {
        var b = (byte[])Valid.Clone();
        b[0] = 2;
        Assert.Equal(DecodeError.UnknownVersion, ErrorOf(b));
    }

    [Fact]
    public void A_height_with_a_redundant_zero_byte_should_be_refused() =>
        // 7 written as 87 00 instead of 07.
        Assert.Equal(DecodeError.NonCanonicalVarint, ErrorOf([.. Valid.AsSpan(0, HeightOffset), 0x87, 0x00, .. Valid.AsSpan(HeightOffset + 1)]));

    [Fact]
    public void Input_longer_than_the_limit_should_be_refused_before_parsing() =>
        Assert.Equal(DecodeError.MessageTooLarge, ErrorOf(new byte[PriceObservation.MaxEncodedLength + 1]));

    [Fact]
    public void Unsorted_underlyings_should_be_refused() =>
        Assert.Equal(DecodeError.NonCanonicalOrder, ErrorOf(Encoded(Eth(3_000), Btc(100_000))));

    [Fact]
    public void A_repeated_underlying_should_be_refused() =>
        Assert.Equal(DecodeError.NonCanonicalOrder, ErrorOf(Encoded(Btc(100_000), Btc(100_001))));

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(long.MinValue)]
    public void A_non_positive_price_should_be_refused(long raw) =>
        Assert.Equal(DecodeError.ValueOutOfRange, ErrorOf(Encoded(new IndexQuote("BTC", new Price(raw), 550_000))));

    [Theory]
    [InlineData(0)]
    [InlineData(-550_000)]
    [InlineData(IndexQuote.MaxImpliedVol + 1)]
    public void An_implied_vol_outside_its_range_should_be_refused(long vol) =>
        Assert.Equal(DecodeError.ValueOutOfRange, ErrorOf(Encoded(new IndexQuote("BTC", Price.FromWhole(1), vol))));

    [Fact]
    public void Height_zero_should_be_refused() =>
        Assert.Equal(DecodeError.ValueOutOfRange, ErrorOf((Signed with { Height = 0 }).Encode()));

    [Fact]
    public void A_reading_time_before_1970_should_be_refused() =>
        Assert.Equal(DecodeError.ValueOutOfRange, ErrorOf((Signed with { TimeUnixMs = -1 }).Encode()));

    [Fact]
    public void An_observation_without_quotes_should_be_refused() =>
        Assert.Equal(DecodeError.LengthOutOfRange, ErrorOf(Encoded()));

    [Fact]
    public void More_than_sixteen_quotes_should_be_refused()
    {
        var quotes = Enumerable.Range(0, PriceObservation.MaxQuotes + 1)
            .Select(i => new IndexQuote("AA" + (char)('A' + i), Price.FromWhole(1), 1)).ToArray();
        Assert.Equal(DecodeError.LengthOutOfRange, ErrorOf(Encoded(quotes)));
    }

    [Theory]
    [InlineData("btc")]
    [InlineData("B")]
    [InlineData("BTC-USD")]
    public void An_invalid_underlying_symbol_should_be_refused(string symbol) =>
        Assert.Equal(DecodeError.InvalidText, ErrorOf(Encoded(new IndexQuote(symbol, Price.FromWhole(1), 1))));

    public static TheoryData<PriceObservation, ObservationError> Malformed => new()
    {
        { Signed with { Height = 0 }, ObservationError.InvalidHeight },
        { Signed with { TimeUnixMs = -5 }, ObservationError.NegativeTime },
        { Signed with { Quotes = [] }, ObservationError.NoQuotes },
        { Signed with { Quotes = Enumerable.Range(0, 17).Select(i => new IndexQuote("AA" + (char)('A' + i), Price.FromWhole(1), 1)).ToArray() }, ObservationError.TooManyQuotes },
        { Signed with { Quotes = [new IndexQuote("eth", Price.FromWhole(1), 1)] }, ObservationError.InvalidUnderlying },
        { Signed with { Quotes = [new IndexQuote(null!, Price.FromWhole(1), 1)] }, ObservationError.InvalidUnderlying },
        { Signed with { Quotes = [Eth(3_000), Btc(100_000)] }, ObservationError.UnsortedUnderlyings },
        { Signed with { Quotes = [Btc(0)] }, ObservationError.NonPositivePrice },
        { Signed with { Quotes = [Btc(100_000, vol: 0)] }, ObservationError.ImpliedVolOutOfRange },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Validate_should_name_the_first_broken_rule(PriceObservation observation, ObservationError expected)
    {
        var check = observation.Validate();
        Assert.Equal(expected, check.Error);
        Assert.NotEqual("", check.Message);
    }

    [Fact]
    public void Validate_should_accept_the_fixture() => Assert.Equal(ObservationValidation.Ok, Signed.Validate());
}
