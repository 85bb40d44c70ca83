using Exchange.Core.Ledger;
using Exchange.Core.Ledger.Codec;

namespace Exchange.Core.Tests.Ledger;

/// <summary>Each way of writing a non-canonical or malformed encoding is refused with its own typed error.</summary>
public class CodecStrictnessTests
{
    private static readonly byte[] Valid = LedgerFixtures.Signed(LedgerFixtures.Alice, 300, LedgerFixtures.Order_Buy1_BTC100k_At500()).Encode();

    // Layout of the fixture: version(1) chain-id(1 + 15) sender(32) nonce(varint 300 = AC 02) kind(1) ...
    private const int ChainIdOffset = 1;
    private const int NonceOffset = 1 + 1 + 15 + 32;
    private const int KindOffset = NonceOffset + 2;
    private const int InstrumentOffset = KindOffset + 1;
    private const int SideOffset = InstrumentOffset + 1 + 20;
    private const int FlagsOffset = SideOffset + 3;

    private static DecodeError ErrorOf(byte[] bytes)
    {
        Assert.False(Transaction.TryDecode(bytes, out _, out var error));
        return error!.Error;
    }

    private static byte[] With(int offset, params byte[] replacement)
    {
        var b = (byte[])Valid.Clone();
        replacement.CopyTo(b, offset);
        return b;
    }

    private static byte[] Splice(int offset, int removeCount, params byte[] insert) =>
        [.. Valid.AsSpan(0, offset), .. insert, .. Valid.AsSpan(offset + removeCount)];

    [Fact]
    public void Fixture_should_decode_and_have_the_documented_layout()
    {
        var tx = Transaction.Decode(Valid);
        Assert.Equal(300UL, tx.Nonce);
        Assert.Equal(new byte[] { 0xAC, 0x02 }, Valid[NonceOffset..KindOffset]);
        Assert.Equal((byte)PayloadKind.PlaceOrder, Valid[KindOffset]);
        Assert.Equal(20, Valid[InstrumentOffset]);
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
    public void A_varint_with_a_redundant_zero_byte_should_be_refused() =>
        // 300 written as AC 82 00 instead of AC 02.
        Assert.Equal(DecodeError.NonCanonicalVarint, ErrorOf(Splice(NonceOffset, 2, 0xAC, 0x82, 0x00)));

    [Fact]
    public void A_varint_beyond_64_bits_should_be_refused() =>
        Assert.Equal(DecodeError.VarintOverflow, ErrorOf(Splice(NonceOffset, 2, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02)));

    [Fact]
    public void The_largest_64_bit_varint_should_be_accepted()
    {
        var tx = Transaction.Decode(Splice(NonceOffset, 2, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01));
        Assert.Equal(ulong.MaxValue, tx.Nonce);
    }

    [Fact]
    public void An_unknown_version_should_be_refused() => Assert.Equal(DecodeError.UnknownVersion, ErrorOf(With(0, 2)));

    [Theory]
    [InlineData(0)]
    [InlineData(13)]
    [InlineData(255)]
    public void An_unknown_payload_kind_should_be_refused(byte kind) =>
        Assert.Equal(DecodeError.UnknownEnumValue, ErrorOf(With(KindOffset, kind)));

    [Fact]
    public void An_unknown_side_should_be_refused() => Assert.Equal(DecodeError.UnknownEnumValue, ErrorOf(With(SideOffset, 3)));

    [Fact]
    public void An_unknown_flag_bit_should_be_refused() => Assert.Equal(DecodeError.UnknownEnumValue, ErrorOf(With(FlagsOffset, 4)));

    [Fact]
    public void A_text_longer_than_its_field_should_be_refused() =>
        Assert.Equal(DecodeError.LengthOutOfRange, ErrorOf(With(ChainIdOffset, 33)));

    [Fact]
    public void Text_that_is_not_printable_ascii_should_be_refused()
    {
        Assert.Equal(DecodeError.InvalidText, ErrorOf(With(ChainIdOffset + 1, 0x00)));
        Assert.Equal(DecodeError.InvalidText, ErrorOf(With(ChainIdOffset + 1, 0xC3)));
    }

    [Fact]
    public void An_oversized_message_should_be_refused_before_parsing() =>
        Assert.Equal(DecodeError.MessageTooLarge, ErrorOf(new byte[Transaction.MaxEncodedLength + 1]));

    [Fact]
    public void A_boolean_other_than_zero_or_one_should_be_refused()
    {
        var bytes = LedgerFixtures.Signed(LedgerFixtures.Alice, 1, new Exchange.Core.Ledger.Payloads.ApproveAgent(LedgerFixtures.Bob.PublicKey, true)).Encode();
        var boolOffset = 1 + 1 + 15 + 32 + 1 + 1 + 32;
        Assert.Equal(1, bytes[boolOffset]);
        bytes[boolOffset] = 2;
        Assert.False(Transaction.TryDecode(bytes, out _, out var error));
        Assert.Equal(DecodeError.UnknownEnumValue, error!.Error);
    }

    [Fact]
    public void Commit_signatures_out_of_order_should_be_refused()
    {
        var block = BlockFixtures.ChainOf(2, txsPerBlock: 0)[1];
        var sigs = block.LastCommit.Signatures.Reverse().ToArray();
        var unsorted = block with { LastCommit = block.LastCommit with { Signatures = sigs } };
        Assert.False(Block.TryDecode(unsorted.Encode(), out _, out var error));
        Assert.Equal(DecodeError.NonCanonicalOrder, error!.Error);
    }
}
