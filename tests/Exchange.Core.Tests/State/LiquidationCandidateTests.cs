using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.Ledger.Payloads;
using Exchange.Core.Numerics;
using Exchange.Core.State;
using static Exchange.Core.Tests.State.StateFixture;

namespace Exchange.Core.Tests.State;

public class LiquidationCandidateTests
{
    /// <summary>Alice (25,000 USDC) and Carol (40,000 USDC) each write ATM calls to Bob; then the index jumps 15%.</summary>
    private static StateFixture TwoShortWritersAfterJump()
    {
        var f = new StateFixture(Genesis(aliceBalance: Money.FromWhole(25_000)));
        f.Block(f.Tx(Bridge, new Deposit(Carol.PublicKey, Money.FromWhole(40_000), Hash32.Compute("carol"u8))));
        f.Block(f.Tx(Bob, Limit(Call, Side.Buy, "3000", "3")));
        f.Block(f.Tx(Alice, Limit(Call, Side.Sell, "3000", "1")), f.Tx(Carol, Limit(Call, Side.Sell, "3000", "2")));
        f.BlockWithIndex(f.Time + 1_000, "115000");
        return f;
    }

    [Fact]
    public void Candidates_should_be_empty_while_every_account_covers_maintenance()
    {
        var f = new StateFixture(Genesis(aliceBalance: Money.FromWhole(25_000)));
        f.Block(f.Tx(Bob, Limit(Call, Side.Buy, "3000", "1")));
        f.Block(f.Tx(Alice, Limit(Call, Side.Sell, "3000", "1")));
        Assert.Empty(f.State.FindLiquidationCandidates(10));
    }

    [Fact]
    public void Candidates_should_be_the_accounts_under_maintenance_ranked_by_shortfall_then_key()
    {
        var f = TwoShortWritersAfterJump();
        var candidates = f.State.FindLiquidationCandidates(10);

        var expected = f.State.Accounts.Where(a => a.PrincipalId is null && f.State.IsLiquidatable(a)).Select(a => a.Key).ToHashSet();
        Assert.Equal(expected, candidates.Select(c => c.Account).ToHashSet());
        Assert.Equal(2, candidates.Count);
        foreach (var c in candidates)
        {
            Assert.True(f.State.TryGetAccount(c.Account, out var account));
            Assert.Equal(f.State.Equity(account), c.Equity);
            Assert.Equal(f.State.MaintenanceMargin(account), c.MaintenanceMargin);
            Assert.True(c.Shortfall > 0);
        }
        Assert.True(candidates[0].Shortfall >= candidates[1].Shortfall);
        Assert.Equal(Carol.PublicKey, candidates[0].Account);
        Assert.Single(f.State.FindLiquidationCandidates(1));
        Assert.Empty(f.State.FindLiquidationCandidates(0));
    }

    [Fact]
    public void State_should_liquidate_the_candidates_it_finds()
    {
        var f = TwoShortWritersAfterJump();
        f.State.TryGetInstrument(Call, out var call);
        var offer = new Price(call.Mark).MulDivCeil(103, 100).CeilToTick(Price.Parse("0.1"));
        f.BlockWithIndex(f.Time + 1_000, "115000", f.Tx(Bob, Limit(Call, Side.Sell, offer.ToString(), "5")));
        var candidates = f.State.FindLiquidationCandidates(Block.MaxLiquidations).Select(c => c.Account).ToArray();

        var result = f.BlockWith(f.Time + 1_000, Price.FromWhole(115_000), candidates);

        Assert.Equal(candidates.ToHashSet(), result.Events.OfType<Liquidated>().Select(l => l.Account).ToHashSet());
        Assert.Empty(f.State.FindLiquidationCandidates(10));
    }
}
