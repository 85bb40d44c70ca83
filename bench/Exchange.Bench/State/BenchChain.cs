using System.Security.Cryptography;
using System.Text;
using Exchange.Core.Crypto;
using Exchange.Core.Markets;
using Exchange.Core.Numerics;
using Exchange.Core.State;

namespace Exchange.Bench.State;

/// <summary>
/// The chain the state benchmark runs: 10,000 funded accounts whose keys derive from their index,
/// one validator, a bridge, and 50 BTC option series (strikes 88,000 to 112,000 every 1,000, call and
/// put, expiring Friday 27 Nov 2026) around an index of 100,000 at 55% implied volatility.
/// The first <see cref="MarketMakers"/> accounts quote and hold 10,000,000 USDC; every other account
/// holds 100,000 USDC and trades, transfers and withdraws.
/// </summary>
internal sealed class BenchChain
{
    public const string ChainId = "exchange-bench";
    /// <summary>2026-11-23 00:00 UTC, a Monday.</summary>
    public const long GenesisMs = 1_795_392_000_000;
    public const string Underlying = "BTC";
    public const long InitialIndex = 100_000 * Price.Scale;
    public const long ImpliedVol = 550_000;

    public const int Accounts = 10_000;
    public const int MarketMakers = 100;
    public static readonly Money MarketMakerBalance = Money.FromWhole(10_000_000);
    public static readonly Money TraderBalance = Money.FromWhole(100_000);

    public static readonly InstrumentSpec Spec = InstrumentSpec.Create(Price.Parse("0.1"), Quantity.Parse("0.1"), Quantity.Parse("0.1"));

    private BenchChain(KeyPair[] keys, KeyPair validator, KeyPair bridge, Genesis genesis)
    {
        Keys = keys;
        Validator = validator;
        Bridge = bridge;
        Genesis = genesis;
    }

    /// <summary>Account keys by index; account i of the state is key i (genesis lists them first, in this order).</summary>
    public IReadOnlyList<KeyPair> Keys { get; }
    public KeyPair Validator { get; }
    public KeyPair Bridge { get; }
    public Genesis Genesis { get; }

    public static KeyPair Key(string name) => KeyPair.FromSecret(SHA256.HashData(Encoding.UTF8.GetBytes("state-bench:" + name)));

    public static BenchChain Create()
    {
        var keys = new KeyPair[Accounts];
        for (var i = 0; i < keys.Length; i++) keys[i] = Key($"account-{i}");
        var validator = Key("validator");
        var bridge = Key("bridge");
        var authority = Key("authority");
        var genesis = new Genesis(
            ChainId, GenesisMs, authority.PublicKey, bridge.PublicKey,
            [(validator.PublicKey, Money.FromWhole(1_000_000))],
            [.. keys.Select((k, i) => (k.PublicKey, i < MarketMakers ? MarketMakerBalance : TraderBalance)), (bridge.PublicKey, Money.FromWhole(1))],
            [new ListingRule(Underlying, Price.FromWhole(88_000), Price.FromWhole(112_000), Price.FromWhole(1_000), Dailies: 0, Weeklies: 1, Monthlies: 0, Spec)],
            [new InitialIndex(Underlying, new Price(InitialIndex), ImpliedVol)],
            new FeeSchedule(MakerBps: 3, TakerBps: 3, PremiumCapBps: 1_250, InsuranceShareBps: 5_000),
            new RiskParameters(RiskFreeRateMicros: 0, MarkBandBps: 3_000, LiquidationPenaltyBps: 100, LiquidationBandBps: 1_000, OracleMaxAgeMs: 60_000));
        return new BenchChain(keys, validator, bridge, genesis);
    }
}
