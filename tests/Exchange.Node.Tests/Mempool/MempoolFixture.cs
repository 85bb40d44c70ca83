using System.Security.Cryptography;
using System.Text;
using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.Ledger.Payloads;
using Exchange.Core.Markets;
using Exchange.Core.Numerics;
using Exchange.Core.State;
using Exchange.Node.Mempool;

namespace Exchange.Node.Tests.Mempool;

/// <summary>
/// A small chain for the mempool tests: named keys derived from their names (so every run signs the
/// same bytes), a genesis that funds Alice, Bob and a crowd of numbered traders and lists BTC options
/// expiring 27 Nov 2026, real signed transactions, and blocks applied to a real state machine so the
/// pool is checked against what the ledger would commit. A copy of the Core tests' state fixture,
/// trimmed to what the mempool needs.
/// </summary>
public sealed class MempoolFixture
{
    public const string Chain = "exchange-mempool-test";
    /// <summary>2026-11-23 00:00 UTC.</summary>
    public const long GenesisMs = 1_795_392_000_000;
    /// <summary>27 Nov 2026 08:00 UTC, when the listed series expire.</summary>
    public const long ExpiryMs = 1_795_766_400_000;
    public const string Call = "BTC-27NOV26-100000-C";

    private static readonly byte[] ZeroAux = new byte[32];

    public static KeyPair Key(string name) => KeyPair.FromSecret(SHA256.HashData(Encoding.UTF8.GetBytes("mempool-test:" + name)));

    public static readonly KeyPair Authority = Key("authority");
    public static readonly KeyPair Bridge = Key("bridge");
    public static readonly KeyPair Validator = Key("validator");
    public static readonly KeyPair Alice = Key("alice");
    public static readonly KeyPair Bob = Key("bob");
    /// <summary>Never funded: no account.</summary>
    public static readonly KeyPair Carol = Key("carol");
    /// <summary>Alice's agent once <see cref="ApproveDaveForAlice"/> has committed.</summary>
    public static readonly KeyPair Dave = Key("dave");

    private static readonly Dictionary<int, KeyPair> s_traders = [];

    /// <summary>Funded trader number <paramref name="i"/> (genesis funds the first <see cref="MempoolFixture(int)"/> asks for).</summary>
    public static KeyPair Trader(int i)
    {
        lock (s_traders)
        {
            if (!s_traders.TryGetValue(i, out var key)) s_traders[i] = key = Key("trader-" + i);
            return key;
        }
    }

    public static readonly Money Funding = Money.FromWhole(1_000_000);

    public ExchangeState State { get; }
    private long _time = GenesisMs;

    public MempoolFixture(int traders = 0)
    {
        var balances = new List<(PublicKey, Money)>
        {
            (Alice.PublicKey, Funding), (Bob.PublicKey, Funding), (Bridge.PublicKey, Money.FromWhole(1)), (Authority.PublicKey, Money.FromWhole(1)),
        };
        for (var i = 0; i < traders; i++) balances.Add((Trader(i).PublicKey, Funding));
        State = ExchangeState.FromGenesis(new Genesis(
            Chain, GenesisMs, Authority.PublicKey, Bridge.PublicKey,
            [(Validator.PublicKey, Money.FromWhole(100_000))],
            balances,
            [new ListingRule("BTC", Price.FromWhole(95_000), Price.FromWhole(105_000), Price.FromWhole(5_000), 0, 1, 0,
                InstrumentSpec.Create(Price.Parse("0.1"), Quantity.Parse("0.1"), Quantity.Parse("0.1")))],
            [new InitialIndex("BTC", Price.FromWhole(100_000), 550_000)],
            new FeeSchedule(MakerBps: 3, TakerBps: 3, PremiumCapBps: 1_250, InsuranceShareBps: 5_000),
            new RiskParameters(RiskFreeRateMicros: 0, MarkBandBps: 3_000, LiquidationPenaltyBps: 100, LiquidationBandBps: 1_000, OracleMaxAgeMs: 60_000)));
    }

    /// <summary>The committed state as the ledger would hand it to the mempool.</summary>
    public AccountSnapshot View() => AccountSnapshot.Capture(State);

    public static Transaction Tx(KeyPair signer, ulong nonce, Payload payload, string chain = Chain) =>
        Transaction.Create(chain, signer.PublicKey, nonce, payload).SignWith(signer, ZeroAux);

    public static byte[] Bytes(KeyPair signer, ulong nonce, Payload payload, string chain = Chain) => Tx(signer, nonce, payload, chain).Encode();

    /// <summary>A transfer of <paramref name="whole"/> USDC to <paramref name="to"/> (Bob by default).</summary>
    public static Transfer Pay(long whole = 1, KeyPair? to = null) => new((to ?? Bob).PublicKey, Money.FromWhole(whole));

    public static PlaceOrder Bid(string instrument = Call, string price = "500", string quantity = "1") =>
        new(instrument, Side.Buy, OrderType.Limit, TimeInForce.GoodTilCancelled, OrderFlags.None,
            Price.Parse(price), Quantity.Parse(quantity), 0, SelfTradePrevention.CancelResting);

    public static ApproveAgent ApproveDaveForAlice() => new(Dave.PublicKey, true);

    /// <summary>Applies a block of <paramref name="txs"/> one second after the last, and returns it.</summary>
    public Block Commit(params Transaction[] txs) => CommitAt(_time + 1_000, txs);

    public Block CommitAt(long timeMs, params Transaction[] txs)
    {
        _time = timeMs;
        var commit = State.Height == 0
            ? Core.Ledger.Commit.Empty
            : Core.Ledger.Commit.Create(State.Height, 0, Hash32.Zero, [new CommitSignature(Validator.PublicKey, Signature.Empty, null)]);
        var header = new BlockHeader(Chain, State.Height + 1, 0, timeMs, Hash32.Zero, Block.ComputeTxRoot(txs),
            State.AppHash, Hash32.Zero, Validator.PublicKey, Block.ComputeLiquidationsHash([]),
            commit.IsEmpty ? Hash32.Zero : commit.Hash());
        var block = new Block(header, txs, commit, []);
        State.Apply(block);
        return block;
    }

    /// <summary>The pool's contents in arrival order, for "nothing changed" assertions.</summary>
    public static string Fingerprint(TxPool pool) =>
        $"{pool.Count} txs, {pool.Bytes} bytes: " + string.Join(",", pool.Pending.Select(p => p.Hash.ToString()[..8]));
}
