using System.Security.Cryptography;
using System.Text;
using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.Ledger.Payloads;
using Exchange.Core.Markets;
using Exchange.Core.Numerics;
using Exchange.Core.Oracle;
using Exchange.Core.State;

namespace Exchange.Node.Tests.Market;

/// <summary>
/// A small chain for the read side (the pattern of Core's StateFixture): named keys, a genesis listing BTC calls and
/// puts at 95,000 … 105,000 for 27 Nov 2026 around an index of 100,000, and helpers that sign transactions with the
/// right nonces, wrap them in blocks, and apply them to a real <see cref="ExchangeState"/>.
/// </summary>
internal sealed class ChainFixture
{
    public const string Chain = "exchange-readside-test";
    /// <summary>2026-11-23 00:00 UTC.</summary>
    public const long GenesisMs = 1_795_392_000_000;
    /// <summary>27 Nov 2026 08:00 UTC, when the fixture's series expire.</summary>
    public const long ExpiryMs = 1_795_766_400_000;
    public const string Call = "BTC-27NOV26-100000-C";
    public const string Put = "BTC-27NOV26-100000-P";
    public const string OtherCall = "BTC-27NOV26-105000-C";

    public static KeyPair Key(string name) => KeyPair.FromSecret(SHA256.HashData(Encoding.UTF8.GetBytes("readside-test:" + name)));

    public static readonly KeyPair Authority = Key("authority");
    public static readonly KeyPair Bridge = Key("bridge");
    public static readonly KeyPair Validator = Key("validator");
    public static readonly KeyPair Alice = Key("alice");
    public static readonly KeyPair Bob = Key("bob");
    public static readonly KeyPair Carol = Key("carol");
    public static readonly KeyPair Stranger = Key("stranger");

    public static Genesis Genesis(Money? aliceBalance = null) => new(
        Chain, GenesisMs, Authority.PublicKey, Bridge.PublicKey,
        [(Validator.PublicKey, Money.FromWhole(100_000))],
        [(Alice.PublicKey, aliceBalance ?? Money.FromWhole(1_000_000)), (Bob.PublicKey, Money.FromWhole(1_000_000)),
            (Carol.PublicKey, Money.FromWhole(40_000)), (Bridge.PublicKey, Money.FromWhole(1)), (Authority.PublicKey, Money.FromWhole(1))],
        [new ListingRule("BTC", Price.FromWhole(95_000), Price.FromWhole(105_000), Price.FromWhole(5_000), 0, 1, 0,
            InstrumentSpec.Create(Price.Parse("0.1"), Quantity.Parse("0.1"), Quantity.Parse("0.1")))],
        [new InitialIndex("BTC", Price.FromWhole(100_000), 550_000)],
        new FeeSchedule(MakerBps: 3, TakerBps: 3, PremiumCapBps: 1_250, InsuranceShareBps: 5_000),
        new RiskParameters(RiskFreeRateMicros: 0, MarkBandBps: 3_000, LiquidationPenaltyBps: 100, LiquidationBandBps: 1_000, OracleMaxAgeMs: 60_000));

    public ExchangeState State { get; }
    private readonly Dictionary<PublicKey, ulong> _nonces = [];
    private long _time = GenesisMs;

    public ChainFixture(Genesis? genesis = null) => State = ExchangeState.FromGenesis(genesis ?? Genesis());

    public long Time => _time;

    public Transaction Tx(KeyPair signer, Payload payload)
    {
        var n = _nonces[signer.PublicKey] = _nonces.GetValueOrDefault(signer.PublicKey) + 1;
        return Transaction.Create(Chain, signer.PublicKey, n, payload).SignWith(signer, new byte[32]);
    }

    public BlockResult Block(params Transaction[] txs) => BlockWith(_time + 1_000, null, [], txs);

    /// <summary>A block whose commit carries the validator's observation of the BTC index.</summary>
    public BlockResult BlockWithIndex(long timeMs, string index, params Transaction[] txs) => BlockWith(timeMs, Price.Parse(index), [], txs);

    public BlockResult BlockWith(long timeMs, Price? index, IReadOnlyList<PublicKey> liquidations, params Transaction[] txs)
    {
        PriceObservation? observation = index is { } p && State.Height > 0
            ? PriceObservation.Create(Validator.PublicKey, State.Height, timeMs, [new IndexQuote("BTC", p, 550_000)]).Sign(Chain, Validator, new byte[32])
            : null;
        return BlockWithObservation(timeMs, observation, liquidations, txs);
    }

    /// <summary>A block whose commit carries <paramref name="observation"/> (signed for height − 1) as the validator's vote extension.</summary>
    public BlockResult BlockWithObservation(long timeMs, PriceObservation? observation, IReadOnlyList<PublicKey> liquidations, params Transaction[] txs)
    {
        _time = timeMs;
        var commit = State.Height == 0
            ? Commit.Empty
            : Commit.Create(State.Height, 0, Hash32.Zero, [new CommitSignature(Validator.PublicKey, Signature.Empty, observation)]);
        var header = new BlockHeader(Chain, State.Height + 1, 0, timeMs, Hash32.Zero, Exchange.Core.Ledger.Block.ComputeTxRoot(txs),
            State.AppHash, Hash32.Zero, Validator.PublicKey, Exchange.Core.Ledger.Block.ComputeLiquidationsHash(liquidations),
            commit.IsEmpty ? Hash32.Zero : commit.Hash());
        return State.Apply(new Block(header, txs, commit, liquidations));
    }

    public Account Account(KeyPair key) => State.TryGetAccount(key.PublicKey, out var a) ? a : throw new KeyNotFoundException(key.PublicKey.ToString());

    public ListedInstrument Instrument(string name) => State.TryGetInstrument(name, out var i) ? i : throw new KeyNotFoundException(name);

    public static PlaceOrder Limit(string instrument, Side side, string price, string quantity) =>
        new(instrument, side, OrderType.Limit, TimeInForce.GoodTilCancelled, OrderFlags.None, Price.Parse(price), Quantity.Parse(quantity), 0, SelfTradePrevention.CancelResting);

    /// <summary>Bob quotes the ATM call 2,900 / 3,100 and the put 2,800 / 3,000, two levels a side on the call.</summary>
    public BlockResult QuoteAroundTheMoney() => Block(
        Tx(Bob, Limit(Call, Side.Buy, "2900", "2")),
        Tx(Bob, Limit(Call, Side.Buy, "2800", "1")),
        Tx(Bob, Limit(Call, Side.Sell, "3100", "2")),
        Tx(Bob, Limit(Call, Side.Sell, "3200", "3")),
        Tx(Bob, Limit(Put, Side.Buy, "2800", "1")),
        Tx(Bob, Limit(Put, Side.Sell, "3000", "1")));

    /// <summary>Carol (40,000 USDC) writes 2 ATM calls into a bid; then the index jumps 15% and she is under maintenance.</summary>
    public void PushCarolUnderMaintenance()
    {
        Block(Tx(Bob, Limit(Call, Side.Buy, "3000", "2")));
        Block(Tx(Carol, Limit(Call, Side.Sell, "3000", "2")));
        BlockWithIndex(_time + 1_000, "115000");
    }

    /// <summary>The book's L2 view straight from the matching engine, best first.</summary>
    public (Exchange.Core.Markets.Book.PriceLevel[] Bids, Exchange.Core.Markets.Book.PriceLevel[] Asks) Levels(string instrument, int depth)
    {
        Assert.True(State.Engine.TryGetBook(instrument, out var book));
        var buffer = new Exchange.Core.Markets.Book.PriceLevel[depth];
        var bids = buffer[..book.Depth(Side.Buy, buffer)];
        var asks = buffer[..book.Depth(Side.Sell, buffer)];
        return (bids, asks);
    }
}
