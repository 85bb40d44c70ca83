using Exchange.Core.Ledger;
using Exchange.Core.Numerics;
using Exchange.Core.State;

namespace Exchange.Core.Risk;

/// <summary>
/// Deribit-style standard margin in its linear USDC form (DESIGN.md section 3), S the index price,
/// mark the option's mark, OTM the amount out of the money:
/// short call IM = max(0.15 − OTM/S, 0.10)·S + mark, MM = 0.075·S + mark;
/// short put IM = max(max(0.15 − OTM/S, 0.10)·S + mark, MM), MM = max(0.075·S, 0.075·mark) + mark.
/// Long options need no margin beyond the premium already paid. Open orders reserve as if filled:
/// buys their premium, sells that could open shorts the short IM. Every figure rounds up.
/// </summary>
public static class Margin
{
    private const long Micro = 1_000_000;
    private const long BaseRate = 150_000, FloorRate = 100_000, MaintenanceRate = 75_000;

    /// <summary>Initial margin per short contract, micro-USD.</summary>
    public static long ShortInitialPerContract(OptionKind kind, long strike, long index, long mark)
    {
        var otm = kind == OptionKind.Call ? Math.Max(0, strike - index) : Math.Max(0, index - strike);
        // OTM/S rounded down makes the rate, and so the margin, round up.
        var rate = Math.Max(BaseRate - FixedPoint.MulDivFloor(otm, Micro, index), FloorRate);
        var im = checked(FixedPoint.MulDivCeil(rate, index, Micro) + mark);
        return kind == OptionKind.Call ? im : Math.Max(im, ShortMaintenancePerContract(kind, index, mark));
    }

    /// <summary>Maintenance margin per short contract, micro-USD.</summary>
    public static long ShortMaintenancePerContract(OptionKind kind, long index, long mark)
    {
        var onIndex = FixedPoint.MulDivCeil(MaintenanceRate, index, Micro);
        return kind == OptionKind.Call
            ? checked(onIndex + mark)
            : checked(Math.Max(onIndex, FixedPoint.MulDivCeil(MaintenanceRate, mark, Micro)) + mark);
    }

    /// <summary>Contracts that would be short if every non-reduce-only open sell filled.</summary>
    public static long ShortExposure(Holding h) => ShortExposure(h.Position, h.OpenSellQuantity);

    /// <summary>The same for a position and resting sells that no holding carries yet (an order being checked).</summary>
    public static long ShortExposure(long position, long openSellQuantity) =>
        Math.Max(0, -position) + Math.Max(0, openSellQuantity - Math.Max(0, position));

    public static long Initial(ExchangeState state, Account account)
    {
        if (account.Mode == MarginMode.Portfolio) return PortfolioMargin.Initial(state, account);
        long total = 0;
        var indexes = new IndexLookup(state);
        // By index, not foreach: a SortedList hands its enumerator out boxed, and this runs for every order placed.
        var holdings = account.Holdings;
        for (var i = 0; i < holdings.Count; i++)
        {
            var id = holdings.GetKeyAtIndex(i);
            var h = holdings.GetValueAtIndex(i);
            total = checked(total + h.OpenBuyPremium);
            var exposure = ShortExposure(h);
            if (exposure == 0) continue;
            var (kind, strike, index, mark) = Inputs(state, id, ref indexes);
            total = checked(total + FixedPoint.MulDivCeil(ShortInitialPerContract(kind, strike, index, mark), exposure, Quantity.Scale));
        }
        return total;
    }

    public static long Maintenance(ExchangeState state, Account account)
    {
        if (account.Mode == MarginMode.Portfolio) return PortfolioMargin.Maintenance(state, account);
        long total = 0;
        var indexes = new IndexLookup(state);
        var holdings = account.Holdings;
        for (var i = 0; i < holdings.Count; i++)
        {
            var id = holdings.GetKeyAtIndex(i);
            var h = holdings.GetValueAtIndex(i);
            if (h.Position >= 0) continue;
            var (kind, _, index, mark) = Inputs(state, id, ref indexes);
            total = checked(total + FixedPoint.MulDivCeil(ShortMaintenancePerContract(kind, index, mark), -h.Position, Quantity.Scale));
        }
        return total;
    }

    private static (OptionKind Kind, long Strike, long Index, long Mark) Inputs(ExchangeState state, int instrument, ref IndexLookup indexes)
    {
        var listed = state.Instruments[instrument];
        var series = listed.Instrument.Series;
        return (series.Kind, series.Strike.Raw, indexes.Of(series.Underlying), listed.Mark);
    }

    /// <summary>
    /// The index price of the last underlying asked for, kept for the rest of one margin computation: an account's
    /// holdings are mostly on one underlying, and each lookup in the oracle is two searches by name.
    /// </summary>
    private struct IndexLookup(ExchangeState state)
    {
        private string? _underlying;
        private long _index;

        public long Of(string underlying)
        {
            if (!string.Equals(underlying, _underlying, StringComparison.Ordinal))
            {
                _index = state.Index(underlying).Price.Raw;
                _underlying = underlying;
            }
            return _index;
        }
    }
}
