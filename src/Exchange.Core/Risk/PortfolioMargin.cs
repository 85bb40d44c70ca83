using Exchange.Core.Numerics;
using Exchange.Core.State;

namespace Exchange.Core.Risk;

/// <summary>
/// Portfolio margin, the advanced mode: every position is revalued with Black-Scholes on a grid of
/// scenarios per underlying (index moved by −16% … +16% in 4% steps, implied volatility shocked
/// down, unchanged and up) and the worst loss against current marks is the maintenance margin.
/// Initial margin is the worst loss with open sells counted as filled, plus 25%, plus the premium
/// of open buys. Underlyings are margined separately and summed (no offset across indexes).
/// Losses round up.
/// </summary>
public static class PortfolioMargin
{
    public const int InitialMarkupPercent = 25;

    public static long Maintenance(ExchangeState state, Account account) => WorstLoss(state, account, includeOpenSells: false);

    public static long Initial(ExchangeState state, Account account)
    {
        var loss = WorstLoss(state, account, includeOpenSells: true);
        var premium = account.Holdings.Values.Sum(h => h.OpenBuyPremium);
        return checked(FixedPoint.MulDivCeil(loss, 100 + InitialMarkupPercent, 100) + premium);
    }

    private static long WorstLoss(ExchangeState state, Account account, bool includeOpenSells)
    {
        long total = 0;
        foreach (var underlying in account.Holdings.Keys.Select(id => state.Instruments[id].Instrument.Series.Underlying).Distinct().Order(StringComparer.Ordinal))
            total = checked(total + WorstLoss(state, account, underlying, includeOpenSells));
        return total;
    }

    private static long WorstLoss(ExchangeState state, Account account, string underlying, bool includeOpenSells)
    {
        var risk = state.Genesis.Risk;
        var (index, volMicros, _) = state.Index(underlying);
        var shock = risk.PortfolioVolShockBps / 10_000.0;
        var worst = 0.0;
        for (var move = -risk.PortfolioMovePercent; move <= risk.PortfolioMovePercent; move += 4)
        {
            var shocked = index.MulDivFloor(100 + move, 100);
            foreach (var volFactor in (ReadOnlySpan<double>)[1.0 - shock, 1.0, 1.0 + shock])
            {
                var pnl = 0.0;
                foreach (var (id, h) in account.Holdings)
                {
                    var listed = state.Instruments[id];
                    if (listed.Instrument.Series.Underlying != underlying) continue;
                    var contracts = h.Position - (includeOpenSells ? Math.Max(0, h.OpenSellQuantity - Math.Max(0, h.Position)) : 0);
                    if (contracts == 0) continue;
                    var value = Marks.Premium(state, listed, shocked, volMicros / 1e6 * volFactor);
                    pnl += (double)contracts / Quantity.Scale * (value - listed.Mark);
                }
                worst = Math.Min(worst, pnl);
            }
        }
        return (long)Math.Ceiling(-worst);
    }
}
