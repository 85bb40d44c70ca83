using System.Security.Cryptography;
using System.Text;
using Exchange.Core.Crypto;
using Exchange.Core.Numerics;
using Exchange.Core.Oracle;

namespace Exchange.Core.Tests.Oracle;

/// <summary>Named validators, observations and times for the oracle tests. Keys derive from names, so every run signs the same bytes.</summary>
internal static class OracleFixtures
{
    public const string ChainA = "exchange-test-a";
    public const string ChainB = "exchange-test-b";

    public static readonly byte[] ZeroAux = new byte[32];

    /// <summary>2026-01-01 08:00:00 UTC in ms: an expiry on every grid.</summary>
    public const long Expiry = 1_767_254_400_000;

    /// <summary>The default settlement window: 30 minutes.</summary>
    public const long Window = 30 * 60_000;

    /// <summary>The start of the default window before <see cref="Expiry"/>.</summary>
    public const long WindowStart = Expiry - Window;

    public static KeyPair Key(string name) => KeyPair.FromSecret(SHA256.HashData(Encoding.UTF8.GetBytes("oracle-validator:" + name)));

    public static readonly KeyPair Alice = Key("alice");
    public static readonly KeyPair Bob = Key("bob");
    public static readonly KeyPair Carol = Key("carol");
    public static readonly KeyPair Dave = Key("dave");
    public static readonly KeyPair Mallory = Key("mallory");

    /// <summary>A validator key that needs no signing: any 32 bytes, distinct per index.</summary>
    public static PublicKey PseudoKey(int i)
    {
        var b = new byte[32];
        b[0] = 0x02;
        b[28] = (byte)(i >> 24);
        b[29] = (byte)(i >> 16);
        b[30] = (byte)(i >> 8);
        b[31] = (byte)i;
        return new PublicKey(b);
    }

    public static Dictionary<PublicKey, long> Powers(params (KeyPair Key, long Power)[] validators) =>
        validators.ToDictionary(v => v.Key.PublicKey, v => v.Power);

    public static IndexQuote Btc(long dollars, long vol = 550_000) => new("BTC", Price.FromWhole(dollars), vol);
    public static IndexQuote Eth(long dollars, long vol = 650_000) => new("ETH", Price.FromWhole(dollars), vol);

    /// <summary>An unsigned observation for the precommit at <paramref name="height"/> (so it counts in block height + 1).</summary>
    public static PriceObservation Obs(KeyPair validator, ulong height, params IndexQuote[] quotes) =>
        PriceObservation.Create(validator.PublicKey, height, 1_767_000_000_000, quotes);

    public static PriceObservation Obs(PublicKey validator, ulong height, params IndexQuote[] quotes) =>
        PriceObservation.Create(validator, height, 1_767_000_000_000, quotes);

    public static PriceObservation Observation_Alice_BTC100k_ETH3k_AtHeight7() =>
        Obs(Alice, 7, Btc(100_000), Eth(3_000)).Sign(ChainA, Alice, ZeroAux);

    /// <summary>Oracle rules with a 1-minute window on a 1-second grid, 10 s freshness, and room for 200 samples: small enough to reason about by hand.</summary>
    public static OracleParameters Small(int maxSamples = 200) => new(
        MaxAgeMs: 10_000, SettlementWindowMs: 60_000, SampleGridMs: 1_000, MaxSamples: maxSamples,
        MaxUnderlyings: 4, QuorumNumerator: 1, QuorumDenominator: 3);

    /// <summary>
    /// Drives an oracle with one validator holding all the power, so each block's index is exactly the price given.
    /// The first block it feeds is height 2 (block 1 commits nothing); each feed is the next height.
    /// </summary>
    public sealed class SoleFeeder(OracleState state, string underlying = "BTC")
    {
        private static readonly Dictionary<PublicKey, long> AllPower = new() { [Alice.PublicKey] = 1 };
        public OracleState State { get; } = state;

        private ulong NextHeight => Math.Max(2UL, State.LastHeight + 1);

        public OracleApplyResult Feed(long timeMs, Price price, long vol = 550_000)
        {
            var height = NextHeight;
            var obs = PriceObservation.Create(Alice.PublicKey, height - 1, 0, [new IndexQuote(underlying, price, vol)]);
            return State.Apply(height, timeMs, [obs], AllPower, 1);
        }

        public OracleApplyResult Feed(long timeMs, long dollars) => Feed(timeMs, Price.FromWhole(dollars));

        /// <summary>A block without observations: time passes, nothing is reported.</summary>
        public void Silent(long timeMs) => State.Apply(NextHeight, timeMs, [], AllPower, 1);
    }
}
