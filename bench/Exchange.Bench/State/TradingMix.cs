using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.Ledger.Payloads;
using Exchange.Core.Markets.Book;
using Exchange.Core.Numerics;
using Exchange.Core.Risk;
using Exchange.Core.State;

namespace Exchange.Bench.State;

/// <summary>
/// Chooses the next transaction of the mix from the state as it stands after the block's earlier
/// transactions, so quotes sit around the current marks, takers cross the current best prices,
/// and cancels and amends name orders that are live. Seeded: the same seed gives the same blocks.
/// <para>
/// Measured mix: 30% market-maker quotes, 15% requotes (amend), 20% pulls (cancel), 15% taker
/// orders, 8% resting trader orders, 5% trader cancels, 3% transfers, 2% deposits, 2% withdrawals.
/// A market maker keeps at most <see cref="MaxQuotesPerMaker"/> quotes and traders together at most
/// <see cref="MaxTraderOrders"/> resting orders; beyond that a quote becomes a pull and a resting order
/// a cancel, so the books hold steady at a few thousand orders.
/// </para>
/// </summary>
internal sealed class TradingMix(BenchChain chain, ulong seed)
{
    public const int MaxQuotesPerMaker = 40;
    public const int MaxTraderOrders = 1_500;
    /// <summary>Accounts after the market makers that sell options with most of their margin in warm-up: calls, then puts.</summary>
    public const int LeveragedPerKind = 10;
    public static int FirstTrader => BenchChain.MarketMakers + 2 * LeveragedPerKind;
    private const int InstrumentsPerMaker = 10;

    private static readonly long Tick = BenchChain.Spec.TickSize.Raw;
    private static readonly long Lot = BenchChain.Spec.LotSize.Raw;

    private ulong _rng = seed;
    private int _deposits;
    private int _nextTrader = FirstTrader;
    private readonly List<uint> _tradersWithOrders = [];
    private readonly HashSet<uint> _tradersWithOrdersSet = [];

    private ulong Next()
    {
        var z = _rng += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public int Next(int max) => (int)(Next() % (ulong)max);

    public long Between(long min, long max) => min + (long)(Next() % (ulong)(max - min + 1));

    /// <summary>A transaction of the measured mix.</summary>
    public (TxRole Role, KeyPair Signer, Payload Payload) Measured(ExchangeState state)
    {
        var roll = Next(100);
        return roll switch
        {
            < 30 => Quote(state),
            < 45 => Requote(state),
            < 65 => Pull(state),
            < 80 => Take(state),
            < 88 => Rest(state),
            < 93 => TraderCancel(state),
            < 96 => Transfer(),
            < 98 => Deposit(),
            _ => Withdraw(),
        };
    }

    /// <summary>A transaction of the first warm-up blocks: mostly quotes, so the books fill before anyone trades.</summary>
    public (TxRole Role, KeyPair Signer, Payload Payload) Quoting(ExchangeState state)
    {
        var roll = Next(100);
        return roll switch
        {
            < 85 => Quote(state),
            < 95 => Rest(state),
            _ => Requote(state),
        };
    }

    /// <summary>
    /// A transaction of the later warm-up blocks: mostly takers, each trader in turn, so that when measuring
    /// starts most accounts hold positions (as on a market that has traded for a while), with quotes to refill the books.
    /// </summary>
    public (TxRole Role, KeyPair Signer, Payload Payload) Trading(ExchangeState state)
    {
        var roll = Next(100);
        if (roll >= 65) return roll < 95 ? Quote(state) : Rest(state);
        var trader = _nextTrader;
        _nextTrader = _nextTrader + 1 < BenchChain.Accounts ? _nextTrader + 1 : FirstTrader;
        return Take(state, trader);
    }

    /// <summary>
    /// The leveraged account's sale: near-the-money calls (first ten accounts) or puts (next ten), as many as
    /// 90% of its free collateral margins, into the bids. An index move of 8% later puts it under maintenance.
    /// </summary>
    public (TxRole Role, KeyPair Signer, Payload Payload) OpenShort(ExchangeState state, int leveraged)
    {
        var id = BenchChain.MarketMakers + leveraged;
        var account = state.Accounts[id];
        var kind = leveraged < LeveragedPerKind ? OptionKind.Call : OptionKind.Put;
        var listed = state.Instruments.First(i => i.Instrument.Series.Kind == kind &&
            i.Instrument.Series.Strike.Raw == (99_000 + 1_000L * (leveraged % 3)) * Price.Scale);
        var index = state.Index(BenchChain.Underlying).Price;
        var series = listed.Instrument.Series;
        var perContract = Margin.ShortInitialPerContract(kind, series.Strike.Raw, index.Raw, listed.Mark) + index.Raw / 1_000;
        var free = state.FreeCollateral(account);
        var lots = Math.Max(1, FixedPoint.MulDivFloor(free, 9 * Quantity.Scale / 10, perContract) / Lot);
        state.Engine.TryGetBook(listed.Name, out var book);
        var limit = Math.Max(Tick, book.Top.BidPrice.Raw * 9 / 10 / Tick * Tick);
        return (TxRole.OpenShort, chain.Keys[id], Limit(listed.Name, Side.Sell, TimeInForce.ImmediateOrCancel, OrderFlags.None, limit, lots * Lot));
    }

    private (TxRole, KeyPair, Payload) Quote(ExchangeState state)
    {
        var maker = (uint)Next(BenchChain.MarketMakers);
        if (state.OrdersOf(maker).Count() >= MaxQuotesPerMaker) return Pull(state, maker);
        var listed = state.Instruments[MakerInstrument(maker)];
        var side = Next(2) == 0 ? Side.Buy : Side.Sell;
        var (price, quantity) = QuoteAround(state, listed, side);
        return (TxRole.Quote, chain.Keys[(int)maker], Limit(listed.Name, side, TimeInForce.GoodTilCancelled, OrderFlags.PostOnly, price, quantity));
    }

    private (TxRole, KeyPair, Payload) Requote(ExchangeState state)
    {
        var maker = (uint)Next(BenchChain.MarketMakers);
        var orders = state.OrdersOf(maker).ToArray();
        if (orders.Length == 0) return Quote(state);
        var order = orders[Next(orders.Length)];
        var (price, quantity) = QuoteAround(state, state.Instruments[order.Instrument], order.Side);
        return (TxRole.Requote, chain.Keys[(int)maker], new AmendOrder(order.OrderId, new Price(price), new Quantity(quantity)));
    }

    private (TxRole, KeyPair, Payload) Pull(ExchangeState state) => Pull(state, (uint)Next(BenchChain.MarketMakers));

    private (TxRole, KeyPair, Payload) Pull(ExchangeState state, uint maker)
    {
        var orders = state.OrdersOf(maker).ToArray();
        if (orders.Length == 0) return Quote(state);
        return (TxRole.Pull, chain.Keys[(int)maker], new CancelOrder(orders[Next(orders.Length)].OrderId));
    }

    /// <summary>A trader crosses the spread: IOC limit a few ticks through the best price (sometimes GTC, sometimes market).</summary>
    private (TxRole, KeyPair, Payload) Take(ExchangeState state) => Take(state, Trader());

    private (TxRole, KeyPair, Payload) Take(ExchangeState state, int trader)
    {
        var listed = state.Instruments[Next(state.Instruments.Count)];
        var side = Next(2) == 0 ? Side.Buy : Side.Sell;
        state.Engine.TryGetBook(listed.Name, out var book);
        var top = book.Top;
        if (side == Side.Buy ? !top.HasAsk : !top.HasBid) return Rest(state);
        var quantity = Lot * Between(1, 10);
        if (Next(10) == 0)
            return (TxRole.Take, chain.Keys[trader], new PlaceOrder(listed.Name, side, OrderType.Market, TimeInForce.ImmediateOrCancel, OrderFlags.None,
                Price.Zero, new Quantity(quantity), 0, SelfTradePrevention.CancelResting));
        var through = Tick * Between(0, 5);
        var limit = side == Side.Buy ? top.AskPrice.Raw + through : Math.Max(Tick, top.BidPrice.Raw - through);
        var tif = Next(5) == 0 ? TimeInForce.GoodTilCancelled : TimeInForce.ImmediateOrCancel;
        if (tif == TimeInForce.GoodTilCancelled) Remember((uint)trader);
        return (TxRole.Take, chain.Keys[trader], Limit(listed.Name, side, tif, OrderFlags.None, limit, quantity));
    }

    /// <summary>A trader's bid or offer 3% to 20% away from the mark, which rests until canceled.</summary>
    private (TxRole, KeyPair, Payload) Rest(ExchangeState state)
    {
        if (state.RestingOrders > 0 && TraderOrders(state) >= MaxTraderOrders) return TraderCancel(state);
        var trader = Trader();
        var listed = state.Instruments[Next(state.Instruments.Count)];
        var side = Next(2) == 0 ? Side.Buy : Side.Sell;
        var mark = Math.Max(listed.Mark, 10 * Tick);
        var away = FixedPoint.MulDivFloor(mark, Between(3, 20), 100);
        var price = side == Side.Buy ? Math.Max(Tick, (mark - away) / Tick * Tick) : (mark + away + Tick - 1) / Tick * Tick;
        Remember((uint)trader);
        return (TxRole.Rest, chain.Keys[trader], Limit(listed.Name, side, TimeInForce.GoodTilCancelled, OrderFlags.None, price, Lot * Between(1, 10)));
    }

    private (TxRole, KeyPair, Payload) TraderCancel(ExchangeState state)
    {
        while (_tradersWithOrders.Count > 0)
        {
            var at = Next(_tradersWithOrders.Count);
            var trader = _tradersWithOrders[at];
            var orders = state.OrdersOf(trader).ToArray();
            if (orders.Length > 0) return (TxRole.TraderCancel, chain.Keys[(int)trader], new CancelOrder(orders[Next(orders.Length)].OrderId));
            _tradersWithOrders[at] = _tradersWithOrders[^1];
            _tradersWithOrders.RemoveAt(_tradersWithOrders.Count - 1);
            _tradersWithOrdersSet.Remove(trader);
        }
        return Pull(state);
    }

    private (TxRole, KeyPair, Payload) Transfer() =>
        (TxRole.Transfer, chain.Keys[Trader()], new Transfer(chain.Keys[Trader()].PublicKey, Money.FromWhole(Between(10, 1_000))));

    private (TxRole, KeyPair, Payload) Deposit()
    {
        var externalId = Hash32.Compute(BitConverter.GetBytes(++_deposits));
        return (TxRole.Deposit, chain.Bridge, new Deposit(chain.Keys[Trader()].PublicKey, Money.FromWhole(Between(100, 10_000)), externalId));
    }

    private (TxRole, KeyPair, Payload) Withdraw() =>
        (TxRole.Withdraw, chain.Keys[Trader()], new Withdraw(Money.FromWhole(Between(10, 1_000)), "0xbench-withdrawal"));

    /// <summary>
    /// A quote on <paramref name="side"/>: 0.4% of the mark (at least two ticks) from it, plus 0 to 4 steps of
    /// 0.2%, never crossing the best opposite price (the quotes are post-only); 0.1 to 2 contracts.
    /// </summary>
    private (long Price, long Quantity) QuoteAround(ExchangeState state, ListedInstrument listed, Side side)
    {
        var mark = Math.Max(listed.Mark, 10 * Tick);
        var half = Math.Max(2 * Tick, mark / 250);
        var step = Math.Max(Tick, mark / 500);
        var offset = half + step * Next(5);
        state.Engine.TryGetBook(listed.Name, out var book);
        var top = book.Top;
        long price;
        if (side == Side.Buy)
        {
            price = Math.Max(Tick, (mark - offset) / Tick * Tick);
            if (top.HasAsk && price >= top.AskPrice.Raw) price = Math.Max(Tick, top.AskPrice.Raw - Tick);
        }
        else
        {
            price = (mark + offset + Tick - 1) / Tick * Tick;
            if (top.HasBid && price <= top.BidPrice.Raw) price = top.BidPrice.Raw + Tick;
        }
        return (price, Lot * Between(1, 20));
    }

    /// <summary>Each market maker quotes ten of the fifty series, spread so every series has about twenty makers.</summary>
    private int MakerInstrument(uint maker) => (int)((maker * 7 + 5 * (uint)Next(InstrumentsPerMaker)) % 50);

    private int Trader() => (int)Between(FirstTrader, BenchChain.Accounts - 1);

    private void Remember(uint trader)
    {
        if (_tradersWithOrdersSet.Add(trader)) _tradersWithOrders.Add(trader);
    }

    private int TraderOrders(ExchangeState state)
    {
        var makers = 0;
        for (uint m = 0; m < BenchChain.MarketMakers; m++) makers += state.OrdersOf(m).Count();
        return state.RestingOrders - makers;
    }

    private static PlaceOrder Limit(string instrument, Side side, TimeInForce tif, OrderFlags flags, long price, long quantity) =>
        new(instrument, side, OrderType.Limit, tif, flags, new Price(price), new Quantity(quantity), 0, SelfTradePrevention.CancelResting);
}
