using System.Security.Cryptography;
using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.Ledger.Payloads;
using Exchange.Core.Numerics;
using FsCheck;
using FsCheck.Fluent;
using Exchange.Core.Oracle;

namespace Exchange.Core.Tests.Ledger;

/// <summary>
/// FsCheck generators for every ledger type. Values cover the whole range of each field (extremes,
/// negatives, long text), not only valid ones: the codec must round-trip anything it can write.
/// </summary>
public static class LedgerGenerators
{
    private static readonly Gen<long> AnyLong = Gen.OneOf(
        Gen.Elements(0L, 1L, -1L, 127L, 128L, long.MaxValue, long.MinValue, 1L << 35),
        Gen.Choose(-1_000_000, 1_000_000).Select(i => (long)i),
        Gen.Choose(int.MinValue, int.MaxValue).SelectMany(hi => Gen.Choose(int.MinValue, int.MaxValue), (hi, lo) => ((long)hi << 32) | (uint)lo));

    private static readonly Gen<ulong> AnyULong = AnyLong.Select(l => (ulong)l);

    private static readonly Gen<Bytes32> AnyBytes32 =
        Gen.Choose(int.MinValue, int.MaxValue).Select(i => new Bytes32(SHA256.HashData(BitConverter.GetBytes(i))));

    private static readonly Gen<PublicKey> AnyKey = AnyBytes32.Select(b => new PublicKey(b));
    private static readonly Gen<Hash32> AnyHash = AnyBytes32.Select(b => new Hash32(b));
    private static readonly Gen<Signature> AnySignature = AnyBytes32.SelectMany(_ => AnyBytes32, (r, s) => new Signature(r, s));

    private static Gen<string> Text(int maxLength) =>
        Gen.Choose(0, maxLength).SelectMany(n => Gen.Choose(0x20, 0x7E).ArrayOf(n), (_, cs) => new string(cs.Select(c => (char)c).ToArray()));

    private static Gen<T> EnumOf<T>() where T : struct, Enum => Gen.Elements(Enum.GetValues<T>());

    private static readonly Gen<Money> AnyMoney = AnyLong.Select(l => new Money(l));
    private static readonly Gen<Price> AnyPrice = AnyLong.Select(l => new Price(l));
    private static readonly Gen<Quantity> AnyQuantity = AnyLong.Select(l => new Quantity(l));

    public static readonly Gen<Deposit> DepositGen =
        from to in AnyKey from amount in AnyMoney from id in AnyHash select new Deposit(to, amount, id);
    public static readonly Gen<Withdraw> WithdrawGen =
        from amount in AnyMoney from dest in Text(Names.MaxDestinationLength) select new Withdraw(amount, dest);
    public static readonly Gen<Transfer> TransferGen =
        from to in AnyKey from amount in AnyMoney select new Transfer(to, amount);
    public static readonly Gen<PlaceOrder> PlaceOrderGen =
        from instrument in Text(Names.MaxInstrumentLength)
        from side in EnumOf<Side>()
        from type in EnumOf<OrderType>()
        from tif in EnumOf<TimeInForce>()
        from flags in Gen.Choose(0, 3).Select(f => (OrderFlags)f)
        from price in AnyPrice
        from quantity in AnyQuantity
        from clientId in AnyULong
        from stp in EnumOf<SelfTradePrevention>()
        select new PlaceOrder(instrument, side, type, tif, flags, price, quantity, clientId, stp);
    public static readonly Gen<CancelOrder> CancelOrderGen = AnyULong.Select(id => new CancelOrder(id));
    public static readonly Gen<CancelAll> CancelAllGen = Text(Names.MaxInstrumentLength).Select(i => new CancelAll(i));
    public static readonly Gen<AmendOrder> AmendOrderGen =
        from id in AnyULong from price in AnyPrice from quantity in AnyQuantity select new AmendOrder(id, price, quantity);
    public static readonly Gen<ApproveAgent> ApproveAgentGen =
        from agent in AnyKey from approved in Gen.Elements(true, false) select new ApproveAgent(agent, approved);
    public static readonly Gen<ListInstrument> ListInstrumentGen =
        from underlying in Text(Names.MaxUnderlyingLength)
        from expiry in AnyLong
        from strike in AnyPrice
        from kind in EnumOf<OptionKind>()
        from tick in AnyPrice
        from lot in AnyQuantity
        from min in AnyQuantity
        select new ListInstrument(underlying, expiry, strike, kind, tick, lot, min);
    public static readonly Gen<Stake> StakeGen = AnyMoney.Select(m => new Stake(m));
    public static readonly Gen<Unstake> UnstakeGen = AnyMoney.Select(m => new Unstake(m));
    public static readonly Gen<SetMarginMode> SetMarginModeGen = EnumOf<MarginModeKind>().Select(m => new SetMarginMode(m));

    public static readonly Gen<Payload> PayloadGen = Gen.OneOf(
        DepositGen.Select(p => (Payload)p), WithdrawGen.Select(p => (Payload)p), TransferGen.Select(p => (Payload)p),
        PlaceOrderGen.Select(p => (Payload)p), CancelOrderGen.Select(p => (Payload)p), CancelAllGen.Select(p => (Payload)p),
        AmendOrderGen.Select(p => (Payload)p), ApproveAgentGen.Select(p => (Payload)p), ListInstrumentGen.Select(p => (Payload)p),
        StakeGen.Select(p => (Payload)p), UnstakeGen.Select(p => (Payload)p), SetMarginModeGen.Select(p => (Payload)p));

    private static readonly Gen<string> ChainIdGen = Text(Names.MaxChainIdLength);

    public static Gen<Transaction> TransactionWith(Gen<Payload> payloads) =>
        from chain in ChainIdGen
        from sender in AnyKey
        from nonce in AnyULong
        from payload in payloads
        from signature in AnySignature
        select new Transaction(Transaction.CurrentVersion, chain, sender, nonce, payload, signature);

    public static readonly Gen<Transaction> TransactionGen = TransactionWith(PayloadGen);

    public static readonly Gen<BlockHeader> HeaderGen =
        from chain in ChainIdGen
        from height in AnyULong
        from round in Gen.Choose(0, int.MaxValue).Select(r => (uint)r)
        from time in AnyLong
        from prev in AnyHash
        from txRoot in AnyHash
        from app in AnyHash
        from validators in AnyHash
        from proposer in AnyKey
        from liquidations in AnyHash
        from lastCommit in AnyHash
        from evidence in AnyHash
        select new BlockHeader(chain, height, round, time, prev, txRoot, app, validators, proposer, liquidations, lastCommit, evidence);

    /// <summary>A well-formed observation (the decoder refuses malformed ones) with an arbitrary signature.</summary>
    private static readonly Gen<PriceObservation> ObservationGen =
        from height in Gen.Choose(1, int.MaxValue)
        from time in Gen.Choose(0, int.MaxValue)
        from btc in Gen.Choose(1, int.MaxValue)
        from vol in Gen.Choose(1, 10_000_000)
        from both in Gen.Elements(true, false)
        from signature in AnySignature
        select PriceObservation.Create(new PublicKey(new byte[32]), (ulong)height, time,
            both ? [new IndexQuote("BTC", new Price(btc), vol), new IndexQuote("ETH", new Price(btc / 20 + 1), vol)] : [new IndexQuote("BTC", new Price(btc), vol)])
            with { Signature = signature };

    private static readonly Gen<CommitSignature> CommitSignatureGen =
        from key in AnyKey
        from signature in AnySignature
        from extension in Gen.Frequency((2, Gen.Constant<PriceObservation?>(null)), (1, ObservationGen.Select(o => (PriceObservation?)(o with { Validator = key }))))
        select new CommitSignature(key, signature, extension);

    public static readonly Gen<Commit> CommitGen =
        from height in AnyULong
        from round in Gen.Choose(0, 1000).Select(r => (uint)r)
        from hash in AnyHash
        from signatures in CommitSignatureGen.ListOf().Resize(8)
        select Commit.Create(height, round, hash, signatures.DistinctBy(s => s.Validator));

    private static readonly Gen<ulong> EvidenceHeight = Gen.OneOf(Gen.Choose(1, 1_000).Select(h => (ulong)h), AnyULong.Where(h => h > 0));
    private static readonly Gen<uint> AnyRound = Gen.Choose(0, int.MaxValue).Select(r => (uint)r);

    /// <summary>Well-formed double votes (the decoder refuses malformed ones) with arbitrary signatures; nil is one of the values at times.</summary>
    public static readonly Gen<DuplicateVoteEvidence> DuplicateVoteGen =
        from key in AnyKey
        from type in EnumOf<VoteType>()
        from height in EvidenceHeight
        from round in AnyRound
        from a in Gen.OneOf(AnyHash, Gen.Constant(Hash32.Zero))
        from b in AnyHash.Where(h => h != a)
        from sa in AnySignature
        from sb in AnySignature
        select DuplicateVoteEvidence.Create(new SignedVote(type, height, round, a, key, sa), new SignedVote(type, height, round, b, key, sb));

    /// <summary>Well-formed double proposals: proof-of-lock rounds below the round, the two differing in block or round.</summary>
    public static readonly Gen<DuplicateProposalEvidence> DuplicateProposalGen =
        from key in AnyKey
        from height in EvidenceHeight
        from round in Gen.Choose(0, int.MaxValue - 1).Select(r => (uint)r)
        from polA in Gen.Choose(-1, (int)Math.Min(round, int.MaxValue) - 1)
        from polB in Gen.Choose(-1, (int)Math.Min(round, int.MaxValue) - 1)
        from a in AnyHash
        from b in Gen.OneOf(Gen.Constant(a), AnyHash)
        where a != b || polA != polB
        from sa in AnySignature
        from sb in AnySignature
        select DuplicateProposalEvidence.Create(new SignedProposal(height, round, polA, a, key, sa), new SignedProposal(height, round, polB, b, key, sb));

    public static readonly Gen<EquivocationEvidence> EvidenceGen =
        Gen.OneOf(DuplicateVoteGen.Select(e => (EquivocationEvidence)e), DuplicateProposalGen.Select(e => (EquivocationEvidence)e));

    public static readonly Gen<Block> BlockGen =
        from header in HeaderGen
        from txs in TransactionGen.ListOf().Resize(20)
        from commit in CommitGen
        from liquidations in AnyKey.ListOf().Resize(5)
        from evidence in EvidenceGen.ListOf().Resize(4)
        select new Block(header, txs.ToArray(), commit, liquidations.ToArray(), evidence.DistinctBy(e => e.Offence).OrderBy(e => e.Offence).ToArray());
}

/// <summary>Arbitrary instances for FsCheck.Xunit's [Property(Arbitrary = ...)].</summary>
public static class LedgerArbitraries
{
    public static Arbitrary<Deposit> Deposit() => LedgerGenerators.DepositGen.ToArbitrary();
    public static Arbitrary<Withdraw> Withdraw() => LedgerGenerators.WithdrawGen.ToArbitrary();
    public static Arbitrary<Transfer> Transfer() => LedgerGenerators.TransferGen.ToArbitrary();
    public static Arbitrary<PlaceOrder> PlaceOrder() => LedgerGenerators.PlaceOrderGen.ToArbitrary();
    public static Arbitrary<CancelOrder> CancelOrder() => LedgerGenerators.CancelOrderGen.ToArbitrary();
    public static Arbitrary<CancelAll> CancelAll() => LedgerGenerators.CancelAllGen.ToArbitrary();
    public static Arbitrary<AmendOrder> AmendOrder() => LedgerGenerators.AmendOrderGen.ToArbitrary();
    public static Arbitrary<ApproveAgent> ApproveAgent() => LedgerGenerators.ApproveAgentGen.ToArbitrary();
    public static Arbitrary<ListInstrument> ListInstrument() => LedgerGenerators.ListInstrumentGen.ToArbitrary();
    public static Arbitrary<Stake> Stake() => LedgerGenerators.StakeGen.ToArbitrary();
    public static Arbitrary<Unstake> Unstake() => LedgerGenerators.UnstakeGen.ToArbitrary();
    public static Arbitrary<SetMarginMode> SetMarginMode() => LedgerGenerators.SetMarginModeGen.ToArbitrary();
    public static Arbitrary<Transaction> Transaction() => LedgerGenerators.TransactionGen.ToArbitrary();
    public static Arbitrary<Block> Block() => LedgerGenerators.BlockGen.ToArbitrary();
    public static Arbitrary<EquivocationEvidence> Evidence() => LedgerGenerators.EvidenceGen.ToArbitrary();
}
