using System.Security.Cryptography;
using System.Text;
using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.Ledger.Payloads;
using Exchange.Core.Markets;
using Exchange.Core.Numerics;
using Exchange.Core.Oracle;
using Exchange.Core.State;

namespace Exchange.Core.Tests.State;

/// <summary>
/// A small chain to drive the state machine with: named keys, a genesis listing BTC options around
/// 100,000 for 27 Nov 2026, and helpers that sign transactions with the right nonces and wrap them in blocks.
/// </summary>
internal sealed class StateFixture
{
    public const string Chain = "exchange-state-test";
    /// <summary>2026-11-23 00:00 UTC.</summary>
    public const long GenesisMs = 1_795_392_000_000;
    public const string Call = "BTC-27NOV26-100000-C";
    public const string Put = "BTC-27NOV26-100000-P";

    public static KeyPair Key(string name) => KeyPair.FromSecret(SHA256.HashData(Encoding.UTF8.GetBytes("state-test:" + name)));

    public static readonly KeyPair Authority = Key("authority");
    public static readonly KeyPair Bridge = Key("bridge");
    public static readonly KeyPair Validator = Key("validator");
    public static readonly KeyPair Alice = Key("alice");
    public static readonly KeyPair Bob = Key("bob");
    public static readonly KeyPair Carol = Key("carol");

    public static Genesis Genesis(Money? aliceBalance = null) => new(
        Chain, GenesisMs, Authority.PublicKey, Bridge.PublicKey,
        [(Validator.PublicKey, Money.FromWhole(100_000))],
        [(Alice.PublicKey, aliceBalance ?? Money.FromWhole(1_000_000)), (Bob.PublicKey, Money.FromWhole(1_000_000)), (Bridge.PublicKey, Money.FromWhole(1)), (Authority.PublicKey, Money.FromWhole(1))],
        [new ListingRule("BTC", Price.FromWhole(95_000), Price.FromWhole(105_000), Price.FromWhole(5_000), 0, 1, 0,
            InstrumentSpec.Create(Price.Parse("0.1"), Quantity.Parse("0.1"), Quantity.Parse("0.1")))],
        [new InitialIndex("BTC", Price.FromWhole(100_000), 550_000)],
        new FeeSchedule(MakerBps: 3, TakerBps: 3, PremiumCapBps: 1_250, InsuranceShareBps: 5_000),
        new RiskParameters(RiskFreeRateMicros: 0, MarkBandBps: 3_000, LiquidationPenaltyBps: 100, LiquidationBandBps: 1_000, OracleMaxAgeMs: 60_000));

    public ExchangeState State { get; }
    private readonly Dictionary<PublicKey, ulong> _nonces = [];
    private long _time = GenesisMs;

    public StateFixture(Genesis? genesis = null) => State = ExchangeState.FromGenesis(genesis ?? Genesis());

    public Transaction Tx(KeyPair signer, Payload payload, ulong? nonce = null)
    {
        var n = nonce ?? (_nonces[signer.PublicKey] = _nonces.GetValueOrDefault(signer.PublicKey) + 1);
        return Transaction.Create(Chain, signer.PublicKey, n, payload).SignWith(signer, new byte[32]);
    }

    /// <summary>Forgets a nonce that a rejected transaction did not use.</summary>
    public void Unuse(KeyPair signer) => _nonces[signer.PublicKey]--;

    public BlockResult Block(params Transaction[] txs) => BlockAt(_time += 1_000, txs);

    public BlockResult BlockAt(long timeMs, params Transaction[] txs) => BlockWith(timeMs, null, [], txs);

    /// <summary>A block whose commit carries the validator's observation of the BTC index (the oracle's input).</summary>
    public BlockResult BlockWithIndex(long timeMs, string index, params Transaction[] txs) => BlockWith(timeMs, Price.Parse(index), [], txs);

    public BlockResult BlockWith(long timeMs, Price? index, IReadOnlyList<PublicKey> liquidations, params Transaction[] txs) =>
        State.Apply(MakeBlock(timeMs, index, liquidations, [], txs));

    /// <summary>The next block, one second on, carrying <paramref name="evidence"/> (in the order given) and no transactions.</summary>
    public Block EvidenceBlock(params EquivocationEvidence[] evidence) => MakeBlock(_time + 1_000, null, [], evidence, []);

    public BlockResult BlockWithEvidence(params EquivocationEvidence[] evidence) => State.Apply(EvidenceBlock(evidence));

    public Block MakeBlock(long timeMs, Price? index, IReadOnlyList<PublicKey> liquidations, EquivocationEvidence[] evidence, Transaction[] txs)
    {
        _time = timeMs;
        var commit = Commit.Empty;
        if (State.Height > 0)
        {
            var observation = index is { } p
                ? PriceObservation.Create(Validator.PublicKey, State.Height, timeMs, [new IndexQuote("BTC", p, 550_000)]).Sign(Chain, Validator, new byte[32])
                : null;
            commit = Commit.Create(State.Height, 0, Hash32.Zero, [new CommitSignature(Validator.PublicKey, Signature.Empty, observation)]);
        }
        var header = new BlockHeader(Chain, State.Height + 1, 0, timeMs, Hash32.Zero, Exchange.Core.Ledger.Block.ComputeTxRoot(txs),
            State.AppHash, Hash32.Zero, Validator.PublicKey, Exchange.Core.Ledger.Block.ComputeLiquidationsHash(liquidations),
            commit.IsEmpty ? Hash32.Zero : commit.Hash(), Exchange.Core.Ledger.Block.ComputeEvidenceHash(evidence));
        return new Block(header, txs, commit, liquidations, evidence);
    }

    public long Time => _time;

    /// <summary>27 Nov 2026 08:00 UTC, when the fixture's series expire.</summary>
    public const long ExpiryMs = 1_795_766_400_000;

    public Account Account(KeyPair key) => State.TryGetAccount(key.PublicKey, out var a) ? a : throw new KeyNotFoundException(key.PublicKey.ToString());

    public static PlaceOrder Limit(string instrument, Side side, string price, string quantity, OrderFlags flags = OrderFlags.None) =>
        new(instrument, side, OrderType.Limit, TimeInForce.GoodTilCancelled, flags, Price.Parse(price), Quantity.Parse(quantity), 0, SelfTradePrevention.CancelResting);

    public static T Single<T>(BlockResult result) where T : StateEvent => result.Events.OfType<T>().Single();
}
