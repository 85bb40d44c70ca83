using Exchange.Core.Ledger;
using Exchange.Core.Numerics;
using Exchange.Core.Risk;

namespace Exchange.Core.State.Handlers;

/// <summary>
/// The pre-trade check shared by place and amend: after the change, the account's collateral must
/// still cover its initial margin (positions and every open order, as if filled) plus the taker fee
/// the new order could pay. New short exposure also needs a fresh index price.
/// </summary>
internal static class OrderRisk
{
    public static Outcome Check(TxContext c, ListedInstrument listed, Side side, bool reduceOnly, long price, long quantity, OrderInfo? replacing = null)
    {
        var state = c.State;
        var trader = c.Trader;
        var series = listed.Instrument.Series;
        var (index, _, fresh) = state.Index(series.Underlying);
        trader.Holdings.TryGetValue(listed.Id, out var h);
        var position = h?.Position ?? 0;
        var openSell = h?.OpenSellQuantity ?? 0;

        long extra = 0;
        if (replacing is not null)
        {
            if (replacing.Side == Side.Buy) extra -= Money.NotionalCeil(new Price(replacing.Price), new Quantity(replacing.Remaining)).Raw;
            else if (!replacing.ReduceOnly) openSell -= replacing.Remaining;
        }
        var exposureBefore = Margin.ShortExposure(position, h?.OpenSellQuantity ?? 0);
        if (side == Side.Buy)
        {
            extra += Money.NotionalCeil(new Price(price), new Quantity(quantity)).Raw;
        }
        else if (!reduceOnly)
        {
            var exposureAfter = Margin.ShortExposure(position, openSell + quantity);
            var added = exposureAfter - exposureBefore;
            if (added > 0 && !fresh)
                return Outcome.Fail(StateError.OracleStale, $"no fresh {series.Underlying} index price: new short positions are frozen");
            var perContract = Margin.ShortInitialPerContract(series.Kind, series.Strike.Raw, index.Raw, listed.Mark);
            extra += added > 0 ? FixedPoint.MulDivCeil(perContract, added, Quantity.Scale) : -FixedPoint.MulDivFloor(perContract, -added, Quantity.Scale);
        }
        if (replacing is null) extra += state.Genesis.Fees.FeeFor(maker: false, index, new Price(price), new Quantity(quantity)).Raw;

        var required = state.InitialMargin(trader) + extra;
        var collateral = state.Collateral(trader);
        return extra <= 0 || required <= collateral
            ? Outcome.Ok
            : Outcome.Fail(StateError.InsufficientMargin, $"initial margin {new Money(required)} would exceed collateral {new Money(collateral)}");
    }

    public static Outcome FromBook(Markets.Book.BookResult code) =>
        code == Markets.Book.BookResult.Ok ? Outcome.Ok : new Outcome((int)code, $"the order book refused it: {code}");
}
