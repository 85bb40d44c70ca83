using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.Ledger.Payloads;
using Exchange.Core.Numerics;
using static Exchange.Core.Tests.Ledger.LedgerFixtures;

namespace Exchange.Core.Tests.Ledger;

public class TransactionValidationTests
{
    private static TxError ErrorOf(Payload payload, string chain = ChainA) =>
        Transaction.Create(chain, Alice.PublicKey, 1, payload).Validate().Error;

    private static readonly PlaceOrder Limit = Order_Buy1_BTC100k_At500();
    private static readonly PlaceOrder Market = Limit with { Type = OrderType.Market, TimeInForce = TimeInForce.ImmediateOrCancel, Price = Price.Zero };

    [Fact]
    public void Valid_payload_of_every_kind_should_pass() =>
        Assert.All(OneOfEachKind(), p => Assert.Equal(TxError.None, ErrorOf(p)));

    [Theory]
    [InlineData("")]
    [InlineData("Upper-Case")]
    [InlineData("has space")]
    [InlineData("much-too-long-chain-id-for-this-exchange")]
    public void Malformed_chain_id_should_be_refused(string chain) => Assert.Equal(TxError.InvalidChainId, ErrorOf(new Stake(Money.FromWhole(1)), chain));

    [Fact]
    public void Unsupported_version_should_be_refused()
    {
        var tx = Transaction.Create(ChainA, Alice.PublicKey, 1, new Stake(Money.FromWhole(1))) with { Version = 9 };
        var v = tx.Validate();
        Assert.Equal(TxError.UnsupportedVersion, v.Error);
        Assert.Contains("version 9", v.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(long.MinValue)]
    public void Non_positive_amounts_should_be_refused_for_every_collateral_kind(long raw)
    {
        var amount = new Money(raw);
        Assert.Equal(TxError.NonPositiveAmount, ErrorOf(new Deposit(Bob.PublicKey, amount, Hash32.Compute("x"u8))));
        Assert.Equal(TxError.NonPositiveAmount, ErrorOf(new Withdraw(amount, "addr")));
        Assert.Equal(TxError.NonPositiveAmount, ErrorOf(new Transfer(Bob.PublicKey, amount)));
        Assert.Equal(TxError.NonPositiveAmount, ErrorOf(new Stake(amount)));
        Assert.Equal(TxError.NonPositiveAmount, ErrorOf(new Unstake(amount)));
    }

    [Fact]
    public void Deposit_without_a_bridge_reference_should_be_refused() =>
        Assert.Equal(TxError.MissingExternalId, ErrorOf(new Deposit(Bob.PublicKey, Money.FromWhole(1), Hash32.Zero)));

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    public void Withdrawal_to_a_malformed_destination_should_be_refused(string destination) =>
        Assert.Equal(TxError.InvalidDestination, ErrorOf(new Withdraw(Money.FromWhole(1), destination)));

    [Fact]
    public void Transfer_to_self_should_be_refused() =>
        Assert.Equal(TxError.TransferToSelf, ErrorOf(new Transfer(Alice.PublicKey, Money.FromWhole(1))));

    [Theory]
    [InlineData("")]
    [InlineData("btc-27dec26-100000-c")]
    [InlineData("BTC 27DEC26")]
    public void Order_on_a_malformed_instrument_name_should_be_refused(string name)
    {
        Assert.Equal(TxError.InvalidInstrumentName, ErrorOf(Limit with { Instrument = name }));
        if (name.Length > 0) Assert.Equal(TxError.InvalidInstrumentName, ErrorOf(new CancelAll(name)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1_000_000)]
    public void Order_with_a_non_positive_size_or_price_should_be_refused(long raw)
    {
        Assert.Equal(TxError.NonPositiveQuantity, ErrorOf(Limit with { Quantity = new Quantity(raw) }));
        Assert.Equal(TxError.NonPositivePrice, ErrorOf(Limit with { Price = new Price(raw) }));
        Assert.Equal(TxError.NonPositivePrice, ErrorOf(new AmendOrder(1, new Price(raw), Quantity.FromWhole(1))));
        Assert.Equal(TxError.NonPositiveQuantity, ErrorOf(new AmendOrder(1, Price.FromWhole(1), new Quantity(raw))));
    }

    [Fact]
    public void Contradictory_order_options_should_be_refused()
    {
        Assert.Equal(TxError.None, ErrorOf(Market));
        Assert.Equal(TxError.InvalidOrderCombination, ErrorOf(Market with { Price = Price.FromWhole(1) }));
        Assert.Equal(TxError.InvalidOrderCombination, ErrorOf(Market with { TimeInForce = TimeInForce.GoodTilCancelled }));
        Assert.Equal(TxError.InvalidOrderCombination, ErrorOf(Market with { Flags = OrderFlags.PostOnly }));
        Assert.Equal(TxError.InvalidOrderCombination, ErrorOf(Limit with { Flags = OrderFlags.PostOnly, TimeInForce = TimeInForce.ImmediateOrCancel }));
        Assert.Equal(TxError.None, ErrorOf(Limit with { Flags = OrderFlags.PostOnly | OrderFlags.ReduceOnly }));
    }

    [Fact]
    public void Order_id_zero_should_be_refused()
    {
        Assert.Equal(TxError.InvalidOrderId, ErrorOf(new CancelOrder(0)));
        Assert.Equal(TxError.InvalidOrderId, ErrorOf(new AmendOrder(0, Price.FromWhole(1), Quantity.FromWhole(1))));
    }

    [Fact]
    public void Approving_oneself_as_agent_should_be_refused() =>
        Assert.Equal(TxError.ApproveSelfAsAgent, ErrorOf(new ApproveAgent(Alice.PublicKey, true)));

    [Fact]
    public void Listing_with_bad_parameters_should_be_refused()
    {
        var good = (ListInstrument)OneOfEachKind().Single(p => p.Kind == PayloadKind.ListInstrument);
        Assert.Equal(TxError.InvalidUnderlying, ErrorOf(good with { Underlying = "btc" }));
        Assert.Equal(TxError.InvalidExpiry, ErrorOf(good with { ExpiryUnixSeconds = good.ExpiryUnixSeconds + 3600 }));
        Assert.Equal(TxError.InvalidExpiry, ErrorOf(good with { ExpiryUnixSeconds = -57_600 }));
        Assert.Equal(TxError.NonPositivePrice, ErrorOf(good with { Strike = Price.Zero }));
        Assert.Equal(TxError.InvalidListingParameters, ErrorOf(good with { TickSize = Price.Zero }));
        Assert.Equal(TxError.InvalidListingParameters, ErrorOf(good with { MinSize = Quantity.Parse("0.15") }));
    }

    [Fact]
    public void Validation_message_should_name_the_code_and_the_reason()
    {
        var v = Transaction.Create(ChainA, Alice.PublicKey, 1, new Transfer(Bob.PublicKey, Money.Parse("-1.5"))).Validate();
        Assert.Equal("NonPositiveAmount (201): amount must be positive, got -1.5", v.ToString());
    }
}
