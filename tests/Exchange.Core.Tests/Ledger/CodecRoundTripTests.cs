using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.Ledger.Codec;
using Exchange.Core.Ledger.Payloads;
using FsCheck.Xunit;

namespace Exchange.Core.Tests.Ledger;

/// <summary>Decoding what was encoded gives the same value, and encoding it again gives the same bytes.</summary>
public class CodecRoundTripTests
{
    private const string Seed = "(20261123,1)";

    private static bool RoundTrips(Payload payload)
    {
        var tx = new Transaction(Transaction.CurrentVersion, "chain", new PublicKey(new byte[32]), 1, payload, Signature.Empty);
        var bytes = tx.Encode();
        var decoded = Transaction.Decode(bytes);
        return decoded == tx && decoded.Encode().AsSpan().SequenceEqual(bytes);
    }

    [Property(Arbitrary = [typeof(LedgerArbitraries)], MaxTest = 300, Replay = Seed)]
    public bool Deposit_should_round_trip(Deposit p) => RoundTrips(p);

    [Property(Arbitrary = [typeof(LedgerArbitraries)], MaxTest = 300, Replay = Seed)]
    public bool Withdraw_should_round_trip(Withdraw p) => RoundTrips(p);

    [Property(Arbitrary = [typeof(LedgerArbitraries)], MaxTest = 300, Replay = Seed)]
    public bool Transfer_should_round_trip(Transfer p) => RoundTrips(p);

    [Property(Arbitrary = [typeof(LedgerArbitraries)], MaxTest = 300, Replay = Seed)]
    public bool PlaceOrder_should_round_trip(PlaceOrder p) => RoundTrips(p);

    [Property(Arbitrary = [typeof(LedgerArbitraries)], MaxTest = 300, Replay = Seed)]
    public bool CancelOrder_should_round_trip(CancelOrder p) => RoundTrips(p);

    [Property(Arbitrary = [typeof(LedgerArbitraries)], MaxTest = 300, Replay = Seed)]
    public bool CancelAll_should_round_trip(CancelAll p) => RoundTrips(p);

    [Property(Arbitrary = [typeof(LedgerArbitraries)], MaxTest = 300, Replay = Seed)]
    public bool AmendOrder_should_round_trip(AmendOrder p) => RoundTrips(p);

    [Property(Arbitrary = [typeof(LedgerArbitraries)], MaxTest = 300, Replay = Seed)]
    public bool ApproveAgent_should_round_trip(ApproveAgent p) => RoundTrips(p);

    [Property(Arbitrary = [typeof(LedgerArbitraries)], MaxTest = 300, Replay = Seed)]
    public bool ListInstrument_should_round_trip(ListInstrument p) => RoundTrips(p);

    [Property(Arbitrary = [typeof(LedgerArbitraries)], MaxTest = 300, Replay = Seed)]
    public bool Stake_should_round_trip(Stake p) => RoundTrips(p);

    [Property(Arbitrary = [typeof(LedgerArbitraries)], MaxTest = 300, Replay = Seed)]
    public bool Unstake_should_round_trip(Unstake p) => RoundTrips(p);

    [Property(Arbitrary = [typeof(LedgerArbitraries)], MaxTest = 50, Replay = Seed)]
    public bool SetMarginMode_should_round_trip(SetMarginMode p) => RoundTrips(p);

    [Property(Arbitrary = [typeof(LedgerArbitraries)], MaxTest = 500, Replay = Seed)]
    public bool Transaction_should_round_trip(Transaction tx)
    {
        var bytes = tx.Encode();
        var decoded = Transaction.Decode(bytes);
        return decoded == tx && decoded.Hash() == tx.Hash() && decoded.SigningHash() == tx.SigningHash();
    }

    [Property(Arbitrary = [typeof(LedgerArbitraries)], MaxTest = 300, Replay = Seed)]
    public bool Signing_hash_from_the_kept_encoding_should_equal_the_one_written_from_the_fields(Transaction tx)
    {
        var fromFields = (tx with { }).SigningHash();   // a copy keeps no encoding: its preimage is written from the fields
        var decoded = Transaction.Decode(tx.Encode());   // keeps the bytes it read: hashed from them
        return decoded.SigningHash() == fromFields;
    }

    [Property(Arbitrary = [typeof(LedgerArbitraries)], MaxTest = 300, Replay = Seed)]
    public bool A_transaction_decoded_from_an_array_it_keeps_should_equal_one_decoded_by_copy(Transaction tx)
    {
        var bytes = tx.Encode();
        var kept = Transaction.TryDecodeOwned(bytes, out var owned, out var error);
        // Kept as it is: the encoding the transaction hands out is the array it was given, not a copy.
        return kept && error is null && owned == Transaction.Decode(bytes) && owned!.Hash() == tx.Hash()
               && System.Runtime.CompilerServices.Unsafe.AreSame(
                   ref System.Runtime.InteropServices.MemoryMarshal.GetReference(owned.Encoded), ref bytes[0]);
    }

    [Fact]
    public void A_malformed_array_should_be_refused_by_the_keeping_decoder()
    {
        var bytes = Transaction.Create("chain", new PublicKey(new byte[32]), 1, new Transfer(new PublicKey(new byte[32]), Exchange.Core.Numerics.Money.FromWhole(1))).Encode();
        Assert.False(Transaction.TryDecodeOwned([.. bytes, 0], out var trailing, out var error));
        Assert.Null(trailing);
        Assert.Equal(DecodeError.TrailingBytes, error!.Error);
        Assert.False(Transaction.TryDecodeOwned(bytes[..^1], out _, out error));
        Assert.NotNull(error);
    }

    [Property(Arbitrary = [typeof(LedgerArbitraries)], MaxTest = 150, Replay = Seed)]
    public bool Block_should_round_trip(Block block)
    {
        var bytes = block.Encode();
        var decoded = Block.Decode(bytes);
        return decoded == block && decoded.Hash() == block.Hash() && decoded.Encode().AsSpan().SequenceEqual(bytes);
    }

    [Property(Arbitrary = [typeof(LedgerArbitraries)], MaxTest = 300, Replay = Seed)]
    public bool Evidence_should_round_trip(EquivocationEvidence evidence)
    {
        var bytes = evidence.Encode();
        var decoded = EquivocationEvidence.Decode(bytes);
        return decoded == evidence && decoded.Offence == evidence.Offence && decoded.Encode().AsSpan().SequenceEqual(bytes);
    }

    [Fact]
    public void Every_payload_kind_should_have_a_round_trip_fixture()
    {
        var kinds = LedgerFixtures.OneOfEachKind().Select(p => p.Kind).ToArray();
        Assert.Equal(Enum.GetValues<PayloadKind>(), kinds);
        Assert.All(LedgerFixtures.OneOfEachKind(), p => Assert.True(RoundTrips(p), p.ToString()));
    }
}
