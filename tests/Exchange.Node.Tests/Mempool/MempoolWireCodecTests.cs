using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.Ledger.Codec;
using Exchange.Node.Mempool;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static Exchange.Node.Tests.Mempool.MempoolFixture;

namespace Exchange.Node.Tests.Mempool;

public sealed class MempoolWireCodecTests
{
    private static readonly Hash32 SomeHash = Hash32.Compute("some transaction"u8);

    private static readonly string[] SampleNames = ["submit", "accepted", "rejected", "rejected-unicode", "gossip", "gossip-empty", "submit-many", "verdicts", "status?", "status"];

    public static readonly TheoryData<string> Samples = new(SampleNames);

    private static IMempoolWireMessage Sample(string name) => name switch
    {
        "submit" => new SubmitTx(Bytes(Alice, 1, Pay())),
        "accepted" => new TxAccepted(SomeHash),
        "rejected" => new TxRejected(SomeHash, MempoolError.NonceGap, "nonce 4 skips ahead: the next nonce this pool accepts is 3"),
        "rejected-unicode" => new TxRejected(Hash32.Zero, MempoolError.InvalidFields, "open interest 1 ≠ 2 − 1"),
        "gossip" => new GossipTxs([Bytes(Alice, 1, Pay()), Bytes(Bob, 1, Bid())]),
        "gossip-empty" => new GossipTxs([]),
        "submit-many" => new SubmitTxs([Bytes(Alice, 1, Pay()), Bytes(Alice, 2, Pay()), new byte[Transaction.MaxEncodedLength + 1]]),
        "verdicts" => new TxsSubmitted([new TxVerdict(SomeHash, MempoolError.None, ""), new TxVerdict(SomeHash, MempoolError.NonceGap, "nonce 4 skips ahead ≠ 3")]),
        "status?" => GetMempoolStatus.Instance,
        "status" => new MempoolStatus(12, 3_456, 7, 3, 1_000_000, 42, 99),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    /// <summary>Records holding byte arrays compare them by reference; compare what they carry instead.</summary>
    private static string Describe(IMempoolWireMessage m) => m switch
    {
        SubmitTx s => $"submit {Convert.ToHexString(s.Encoded)}",
        GossipTxs g => "gossip " + string.Join(",", g.Transactions.Select(Convert.ToHexString)),
        SubmitTxs s => "submit-many " + string.Join(",", s.Transactions.Select(Convert.ToHexString)),
        TxsSubmitted v => "verdicts " + string.Join(",", v.Verdicts),
        _ => m.ToString()!,
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void Every_wire_message_should_decode_by_its_manifest_to_what_was_encoded(string name)
    {
        var message = Sample(name);

        var decoded = MempoolWireCodec.Decode(message.Manifest, message.Encode());

        Assert.Equal(message.GetType(), decoded.GetType());
        Assert.Equal(Describe(message), Describe(decoded));
        Assert.Equal(message.Encode(), decoded.Encode());
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void A_trailing_byte_should_be_refused_for_every_wire_message(string name)
    {
        var message = Sample(name);

        var e = Assert.Throws<DecodeException>(() => MempoolWireCodec.Decode(message.Manifest, [.. message.Encode(), 0]));

        Assert.True(e.Error is DecodeError.TrailingBytes or DecodeError.MessageTooLarge, e.Message);
    }

    [Fact]
    public void Manifests_should_be_distinct_and_each_have_a_decoder()
    {
        var manifests = SampleNames.Select(n => Sample(n).Manifest).Distinct().ToArray();
        Assert.Equal(8, manifests.Length);
        Assert.Equal(manifests.Order(), MempoolWireCodec.Decoders.Keys.Order());
    }

    [Fact]
    public void An_unknown_manifest_should_be_a_typed_error()
    {
        var e = Assert.Throws<DecodeException>(() => MempoolWireCodec.Decode("mp-nonsense", []));
        Assert.Equal(DecodeError.UnknownEnumValue, e.Error);
    }

    [Fact]
    public void A_rejection_with_an_unknown_code_or_invalid_utf8_should_be_refused()
    {
        var good = new TxRejected(SomeHash, MempoolError.Duplicate, "ab").Encode();
        var unknownCode = good.ToArray();
        unknownCode[32] = 0x05;   // one-byte varint 5: no such code
        var badText = good.ToArray();
        badText[^1] = 0xFF;

        Assert.Equal(DecodeError.UnknownEnumValue, Assert.Throws<DecodeException>(() => MempoolWireCodec.DecodeTxRejected(unknownCode)).Error);
        Assert.Equal(DecodeError.InvalidText, Assert.Throws<DecodeException>(() => MempoolWireCodec.DecodeTxRejected(badText)).Error);
    }

    [Fact]
    public void A_long_reason_should_be_cut_to_the_limit_without_splitting_a_character()
    {
        var reason = new string('≠', MempoolWireCodec.MaxReasonBytes);   // three bytes each

        var decoded = MempoolWireCodec.DecodeTxRejected(new TxRejected(SomeHash, MempoolError.Malformed, reason).Encode());

        Assert.Equal(new string('≠', MempoolWireCodec.MaxReasonBytes / 3), decoded.Reason);
    }

    [Fact]
    public void An_oversized_transaction_should_still_travel_in_a_submission_so_the_pool_can_answer_it()
    {
        var big = new byte[Transaction.MaxEncodedLength * 4];

        var decoded = MempoolWireCodec.DecodeSubmitTx(new SubmitTx(big).Encode());

        Assert.Equal(big.Length, decoded.Encoded.Length);
        Assert.Throws<DecodeException>(() => MempoolWireCodec.DecodeSubmitTx(new SubmitTx(new byte[MempoolWireCodec.MaxSubmittedBytes + 1]).Encode()));
    }

    [Fact]
    public void Gossip_sent_to_every_peer_should_be_encoded_once_and_equal_by_its_bytes()
    {
        var m = new GossipTxs([Bytes(Alice, 1, Pay()), Bytes(Bob, 1, Bid())]);

        var first = MempoolWireCodec.Encode(m);
        Assert.Same(first, MempoolWireCodec.Encode(m));   // the second peer's connection gets the same array

        var decoded = MempoolWireCodec.DecodeGossipTxs(first);
        Assert.Equal(m, decoded);
        Assert.Equal(m.GetHashCode(), decoded.GetHashCode());
        Assert.NotEqual(m, new GossipTxs([Bytes(Alice, 1, Pay())]));
        Assert.NotEqual(m, new GossipTxs([Bytes(Alice, 1, Pay()), Bytes(Bob, 2, Bid())]));
    }

    [Fact]
    public void Gossip_over_its_limits_should_be_refused_on_both_sides()
    {
        Assert.Throws<ArgumentException>(() => new GossipTxs([new byte[Transaction.MaxEncodedLength + 1]]).Encode());
        Assert.Throws<ArgumentException>(() => new GossipTxs(Enumerable.Repeat(new byte[1], GossipTxs.MaxTransactions + 1).ToArray()).Encode());

        var w = new CanonicalWriter();
        w.WriteVarUInt(GossipTxs.MaxTransactions + 1);
        Assert.Equal(DecodeError.LengthOutOfRange, Assert.Throws<DecodeException>(() => MempoolWireCodec.DecodeGossipTxs(w.Written)).Error);
    }

    /// <summary>
    /// Valid encodings with one byte changed, cut short or extended, sometimes under another message's
    /// manifest: decoding gives a message that encodes back to the same bytes, or a typed error, never anything else.
    /// </summary>
    [Property(Replay = "(9101, 3141)", MaxTest = 3_000)]
    public Property Mutated_encodings_should_decode_canonically_or_fail_with_a_DecodeException()
    {
        var manifests = MempoolWireCodec.Decoders.Keys.Order().ToArray();
        var input =
            from sample in Gen.Elements(SampleNames)
            from otherManifest in Gen.Frequency((3, Gen.Constant<string?>(null)), (1, Gen.Elements(manifests).Select(m => (string?)m)))
            from mode in Gen.Choose(0, 2)
            from position in Gen.Choose(0, 4_096)
            from value in Gen.Choose(0, 255)
            select (sample, otherManifest, mode, position, (byte)value);
        return Prop.ForAll(input.ToArbitrary(), x =>
        {
            var message = Sample(x.sample);
            var bytes = message.Encode().ToList();
            switch (x.mode)
            {
                case 0 when bytes.Count > 0: bytes[x.position % bytes.Count] = x.Item5; break;
                case 1: bytes.RemoveRange(bytes.Count - x.position % (bytes.Count + 1), x.position % (bytes.Count + 1)); break;
                default: bytes.Add(x.Item5); break;
            }
            try
            {
                var decoded = MempoolWireCodec.Decode(x.otherManifest ?? message.Manifest, bytes.ToArray());
                Assert.Equal(bytes, decoded.Encode());
            }
            catch (DecodeException)
            {
            }
        });
    }
}
