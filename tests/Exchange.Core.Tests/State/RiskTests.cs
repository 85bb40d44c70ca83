using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.Ledger.Payloads;
using Exchange.Core.Numerics;
using Exchange.Core.State;
using static Exchange.Core.Tests.State.StateFixture;

namespace Exchange.Core.Tests.State;

public class RiskTests
{
    private static long Whole(long usd) => Money.FromWhole(usd).Raw;

    [Fact]
    public void Expiry_should_settle_at_the_thirty_minute_average_and_close_the_series()
    {
        var f = new StateFixture();
        f.Block(f.Tx(Bob, Limit(Call, Side.Sell, "3000", "2")), f.Tx(Bob, Limit(Call, Side.Sell, "3100", "1")));
        f.Block(f.Tx(Alice, Limit(Call, Side.Buy, "3000", "2")));
        var aliceBefore = f.Account(Alice).Balance;
        var bobBefore = f.Account(Bob).Balance;
        var insuranceBefore = f.State.InsuranceFund;
        // The index sits at 104,000 for the first half of the window and 106,000 for the second: the average is 105,000.
        f.BlockWithIndex(ExpiryMs - 40 * 60_000, "104000");
        for (var t = ExpiryMs - 30 * 60_000 + 20_000; t < ExpiryMs - 15 * 60_000; t += 20_000) f.BlockWithIndex(t, "104000");
        for (var t = ExpiryMs - 15 * 60_000; t < ExpiryMs; t += 20_000) f.BlockWithIndex(t, "106000");
        // The first block at the expiry settles; a late jump of the index does not matter any more.
        var result = f.BlockWithIndex(ExpiryMs, "130000");

        var settled = result.Events.OfType<Settled>().Single(s => s.Instrument == Call);
        Assert.Equal(Price.FromWhole(105_000), settled.SettlementPrice);
        Assert.Equal(2, settled.Positions);
        // Payoff 5,000 per contract on 2 contracts.
        Assert.Equal(aliceBefore + Whole(10_000), f.Account(Alice).Balance);
        Assert.Equal(bobBefore - Whole(10_000), f.Account(Bob).Balance);
        Assert.Equal(insuranceBefore, f.State.InsuranceFund);
        Assert.Empty(f.Account(Alice).Holdings);
        Assert.Empty(f.State.OrdersOf(f.Account(Bob).Id));
        Assert.True(f.State.TryGetInstrument(Call, out var call) && call.Settled);
        var late = f.Block(f.Tx(Alice, Limit(Call, Side.Buy, "1", "1")));
        Assert.Equal((int)StateError.InstrumentExpired, Single<TxRejected>(late).Code);
    }

    [Fact]
    public void Stale_index_should_freeze_new_shorts_but_not_buys()
    {
        var f = new StateFixture();
        var stale = f.BlockAt(GenesisMs + 120_000, f.Tx(Bob, Limit(Put, Side.Sell, "3000", "1")));
        Assert.Equal((int)StateError.OracleStale, Single<TxRejected>(stale).Code);
        f.Unuse(Bob);
        Assert.Empty(f.Block(f.Tx(Alice, Limit(Put, Side.Buy, "100", "1"))).Events.OfType<TxRejected>());
        var fresh = f.BlockWithIndex(f.Time + 1_000, "100000", f.Tx(Bob, Limit(Put, Side.Sell, "3000", "1")));
        Assert.Empty(fresh.Events.OfType<TxRejected>());
    }

    [Fact]
    public void Withdrawal_should_never_draw_on_unrealized_profit()
    {
        var f = new StateFixture(Genesis(aliceBalance: Money.FromWhole(10_000)));
        f.Block(f.Tx(Bob, Limit(Call, Side.Sell, "5000", "1")));
        f.Block(f.Tx(Alice, Limit(Call, Side.Buy, "5000", "1")));
        // The index rallies: Alice's call is worth far more than she paid, yet only her cash can leave.
        f.BlockWithIndex(f.Time + 1_000, "130000");
        var alice = f.Account(Alice);
        Assert.True(f.State.Equity(alice) > alice.Balance);
        Assert.Equal(alice.Balance, f.State.FreeCollateral(alice));
        var tooMuch = f.Block(f.Tx(Alice, new Withdraw(new Money(alice.Balance + 1), "addr")));
        Assert.Equal((int)StateError.InsufficientFreeCollateral, Single<TxRejected>(tooMuch).Code);
    }

    /// <summary>Bob's offer of 5 calls a few percent above the current mark, inside the liquidation band.</summary>
    private static Transaction OfferNearMark(StateFixture f, int percentAbove)
    {
        f.State.TryGetInstrument(Call, out var call);
        var price = new Price(call.Mark).MulDivCeil(100 + percentAbove, 100).CeilToTick(Price.Parse("0.1"));
        return f.Tx(Bob, Limit(Call, Side.Sell, price.ToString(), "5"));
    }

    [Fact]
    public void Under_margined_short_should_be_liquidated_through_the_book_with_a_penalty()
    {
        var f = new StateFixture(Genesis(aliceBalance: Money.FromWhole(25_000)));
        // Alice writes 1 ATM call at about 3,000.
        f.Block(f.Tx(Bob, Limit(Call, Side.Buy, "3000", "1")));
        f.Block(f.Tx(Alice, Limit(Call, Side.Sell, "3000", "1")));
        var alice = f.Account(Alice);
        Assert.False(f.State.IsLiquidatable(alice));
        var untouched = f.BlockWith(f.Time + 1_000, Price.FromWhole(100_000), [Alice.PublicKey]);
        Assert.Empty(untouched.Events.OfType<Liquidated>());

        // The index jumps 15%: the call's mark rises towards 15,000 and Alice's equity falls under maintenance.
        f.BlockWithIndex(f.Time + 1_000, "115000");
        Assert.True(f.State.IsLiquidatable(alice));
        f.BlockWithIndex(f.Time + 1_000, "115000", OfferNearMark(f, 3));
        var insuranceBefore = f.State.InsuranceFund;
        var result = f.BlockWith(f.Time + 1_000, Price.FromWhole(115_000), [Alice.PublicKey]);
        var liquidated = Single<Liquidated>(result);
        Assert.Equal(Quantity.FromWhole(1), liquidated.Closed);
        Assert.True(liquidated.Penalty.IsPositive);
        Assert.True(f.State.InsuranceFund >= insuranceBefore + liquidated.Penalty.Raw);
        Assert.False(f.State.TryGetInstrument(Call, out var call) && alice.Holdings.ContainsKey(call.Id));
    }

    [Fact]
    public void Liquidation_should_wait_while_the_index_is_stale()
    {
        var f = new StateFixture(Genesis(aliceBalance: Money.FromWhole(25_000)));
        f.Block(f.Tx(Bob, Limit(Call, Side.Buy, "3000", "1")));
        f.Block(f.Tx(Alice, Limit(Call, Side.Sell, "3000", "1")));
        f.BlockWithIndex(f.Time + 1_000, "115000");
        f.BlockWithIndex(f.Time + 1_000, "115000", OfferNearMark(f, 3));
        Assert.True(f.State.IsLiquidatable(f.Account(Alice)));
        var stale = f.BlockWith(f.Time + 120_000, null, [Alice.PublicKey]);
        Assert.Empty(stale.Events.OfType<Liquidated>());
    }

    [Fact]
    public void Loss_beyond_equity_should_be_covered_by_the_insurance_fund_and_recorded()
    {
        var f = new StateFixture(Genesis(aliceBalance: Money.FromWhole(25_000)));
        // Fill the insurance fund with fees from a busy market first.
        f.Block(f.Tx(Bridge, new Deposit(Carol.PublicKey, Money.FromWhole(1_000_000), Hash32.Compute("carol"u8))));
        for (var i = 0; i < 20; i++)
        {
            var (seller, buyer) = i % 2 == 0 ? (Bob, Carol) : (Carol, Bob);
            f.Block(f.Tx(seller, Limit(Put, Side.Sell, "2000", "10")), f.Tx(buyer, Limit(Put, Side.Buy, "2000", "10")));
        }
        Assert.True(f.State.InsuranceFund > Whole(5_000));
        f.Block(f.Tx(Bob, Limit(Call, Side.Buy, "3000", "1")));
        f.Block(f.Tx(Alice, Limit(Call, Side.Sell, "3000", "1")));
        // The index gaps up 60%: buying the call back near its mark costs more than Alice has.
        f.BlockWithIndex(f.Time + 1_000, "160000");
        f.BlockWithIndex(f.Time + 1_000, "160000", OfferNearMark(f, 5));
        var result = f.BlockWith(f.Time + 1_000, Price.FromWhole(160_000), [Alice.PublicKey]);
        var covered = Single<LossCovered>(result);
        Assert.True(covered.Loss.IsPositive);
        Assert.True(covered.FromInsurance.IsPositive);
        var alice = f.Account(Alice);
        Assert.True(alice.CoveredLosses > 0);
        Assert.True(alice.Balance >= 0 || covered.Socialized.IsPositive);
    }

    [Fact]
    public void Portfolio_margin_should_credit_a_hedged_spread_that_standard_margin_does_not()
    {
        const string Higher = "BTC-27NOV26-105000-C";
        var f = new StateFixture();
        f.Block(f.Tx(Bob, Limit(Call, Side.Sell, "3000", "1")), f.Tx(Bob, Limit(Higher, Side.Buy, "1000", "1")));
        f.Block(f.Tx(Alice, Limit(Call, Side.Buy, "3000", "1")), f.Tx(Alice, Limit(Higher, Side.Sell, "1000", "1")));
        var alice = f.Account(Alice);
        var standard = f.State.InitialMargin(alice);
        var result = f.Block(f.Tx(Alice, new SetMarginMode(MarginModeKind.Portfolio)));
        Assert.Empty(result.Events.OfType<TxRejected>());
        Assert.Equal(MarginMode.Portfolio, alice.Mode);
        var portfolio = f.State.InitialMargin(alice);
        // Long the 100k call against the short 105k call: the spread can lose at most what was paid for it.
        Assert.True(portfolio < standard / 3, $"portfolio {portfolio} vs standard {standard}");
        Assert.True(f.State.MaintenanceMargin(alice) <= portfolio);
    }

    [Fact]
    public void Switching_margin_mode_should_be_refused_when_the_new_margin_is_not_covered()
    {
        var f = new StateFixture(Genesis(aliceBalance: Money.FromWhole(25_000)));
        f.Block(f.Tx(Alice, new SetMarginMode(MarginModeKind.Portfolio)));
        f.Block(f.Tx(Bob, Limit(Call, Side.Buy, "3000", "1")));
        f.Block(f.Tx(Alice, Limit(Call, Side.Sell, "3000", "1")));
        // A naked short call: under portfolio margin its worst scenario loss is smaller than the standard 15% of index plus mark.
        var alice = f.Account(Alice);
        var portfolio = f.State.InitialMargin(alice);
        alice.Mode = MarginMode.Standard;
        var standard = f.State.InitialMargin(alice);
        alice.Mode = MarginMode.Portfolio;
        Assert.True(standard > portfolio);
        var back = f.BlockWithIndex(f.Time + 1_000, "100000", f.Tx(Alice, new SetMarginMode(MarginModeKind.Standard)));
        if (standard > f.State.Collateral(alice))
            Assert.Equal((int)StateError.InsufficientMargin, Single<TxRejected>(back).Code);
        else
            Assert.Equal(MarginMode.Standard, alice.Mode);
    }
}
