using System.Security.Cryptography;
using System.Text;
using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.Ledger.Payloads;
using Exchange.Core.Numerics;

namespace Exchange.Core.Tests.Ledger;

/// <summary>Named keys and transactions for the ledger tests. Keys derive from their names, so every run signs the same bytes.</summary>
internal static class LedgerFixtures
{
    public const string ChainA = "exchange-test-a";
    public const string ChainB = "exchange-test-b";

    public static readonly byte[] ZeroAux = new byte[32];

    public static KeyPair Key(string name) => KeyPair.FromSecret(SHA256.HashData(Encoding.UTF8.GetBytes("test-key:" + name)));

    public static readonly KeyPair Alice = Key("alice");
    public static readonly KeyPair Bob = Key("bob");

    public static PlaceOrder Order_Buy1_BTC100k_At500() => new(
        "BTC-27DEC26-100000-C", Side.Buy, OrderType.Limit, TimeInForce.GoodTilCancelled, OrderFlags.None,
        Price.FromWhole(500), Quantity.FromWhole(1), 7, SelfTradePrevention.CancelResting);

    public static Transaction Signed(KeyPair key, ulong nonce, Payload payload, string chain = ChainA) =>
        Transaction.Create(chain, key.PublicKey, nonce, payload).SignWith(key, ZeroAux);

    /// <summary>One valid payload of every kind, in wire-tag order.</summary>
    public static IReadOnlyList<Payload> OneOfEachKind() =>
    [
        new Deposit(Bob.PublicKey, Money.FromWhole(1_000), Hash32.Compute("bridge-tx-1"u8)),
        new Withdraw(Money.FromWhole(10), "0x52908400098527886E0F7030069857D2E4169EE7"),
        new Transfer(Bob.PublicKey, Money.Parse("12.5")),
        Order_Buy1_BTC100k_At500(),
        new CancelOrder(42),
        new CancelAll(""),
        new AmendOrder(42, Price.FromWhole(510), Quantity.Parse("0.5")),
        new ApproveAgent(Bob.PublicKey, true),
        new ListInstrument("BTC", 1_798_358_400, Price.FromWhole(100_000), OptionKind.Call, Price.Parse("0.1"), Quantity.Parse("0.1"), Quantity.Parse("0.1")),
        new Stake(Money.FromWhole(5_000)),
        new Unstake(Money.FromWhole(1_000)),
        new SetMarginMode(MarginModeKind.Portfolio),
    ];
}
