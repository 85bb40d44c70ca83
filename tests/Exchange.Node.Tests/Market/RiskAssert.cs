using Exchange.Node.Market;

namespace Exchange.Node.Tests.Market;

internal static class RiskAssert
{
    /// <summary>Every figure of a risk view equals what the state computes for the account now.</summary>
    public static void MatchesState(ChainFixture f, AccountRisk risk)
    {
        Assert.True(f.State.TryGetAccount(risk.Account, out var a));
        Assert.Equal(f.State.Height, risk.Height);
        Assert.Equal(a.Balance, risk.Balance.Raw);
        Assert.Equal(a.Stake, risk.Stake.Raw);
        Assert.Equal(f.State.Equity(a), risk.Equity.Raw);
        Assert.Equal(f.State.Collateral(a), risk.Collateral.Raw);
        Assert.Equal(f.State.InitialMargin(a), risk.InitialMargin.Raw);
        Assert.Equal(f.State.MaintenanceMargin(a), risk.MaintenanceMargin.Raw);
        Assert.Equal(f.State.FreeCollateral(a), risk.FreeCollateral.Raw);
        Assert.Equal(f.State.IsLiquidatable(a), risk.Liquidatable);
        Assert.Equal(f.State.OrdersOf(a.Id).Count(), risk.OpenOrders);
        Assert.Equal(a.Holdings.Count, risk.Positions.Count);
        var value = 0L;
        foreach (var p in risk.Positions)
        {
            var listed = f.Instrument(p.Instrument);
            var h = a.Holdings[listed.Id];
            Assert.Equal(h.Position, p.Size.Raw);
            Assert.Equal(listed.Mark, p.Mark.Raw);
            Assert.Equal(h.OpenBuyQuantity, p.OpenBuy.Raw);
            Assert.Equal(h.OpenSellQuantity, p.OpenSell.Raw);
            value += p.Value.Raw;
        }
        Assert.Equal(f.State.Equity(a) - a.Balance, value);
    }
}
