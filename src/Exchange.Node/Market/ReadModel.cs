using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.Markets.Book;
using Exchange.Core.Numerics;
using Exchange.Core.State;

namespace Exchange.Node.Market;

/// <summary>
/// Copies what the read side shows out of <see cref="ExchangeState"/> into immutable views. The state is mutable and
/// applied in place, so this must run on the ledger's thread, after <see cref="ExchangeState.Apply"/> and before the
/// next one; what it returns shares nothing with the state and may be read anywhere afterwards. It only reads the
/// state. The work is proportional to the block: the books and accounts its events name, every instrument's mark
/// and every index (a few hundred at most), and, when enabled, the liquidation scan over accounts with positions.
/// </summary>
public static class ReadModel
{
    /// <summary>
    /// The views after a block. <paramref name="full"/> copies every live book and every account instead of the
    /// touched ones. On a risk-refresh height every account with holdings is included as well.
    /// </summary>
    public static StateAdvanced Extract(ExchangeState state, IReadOnlyList<StateEvent> events, ReadModelSettings settings, bool full)
    {
        var touched = Touched.From(state, events);
        var instruments = Instruments(state, touched.SettledAt);
        var books = full
            ? state.Engine.Instruments.Select(name => Book(state, name, settings.BookDepth)).OfType<BookView>().ToArray()
            : touched.Books.Select(name => Book(state, name, settings.BookDepth)).OfType<BookView>().ToArray();
        var candidates = settings.MaxLiquidationCandidates > 0 ? state.FindLiquidationCandidates(settings.MaxLiquidationCandidates) : null;
        // A candidate's own figures are always fresh, so what the margin engine shows agrees with what it proposes.
        foreach (var c in candidates ?? []) touched.Add(state, c.Account);
        var refreshRisk = state.Height % (ulong)settings.RiskRefreshInterval == 0;
        var accounts = state.Accounts
            .Where(a => full || touched.EveryAccount || touched.Accounts.Contains(a.Id) || refreshRisk && a.Holdings.Count > 0)
            .Select(a => Risk(state, a))
            .ToArray();
        return new StateAdvanced(state.Height, state.TimeUnixMs, full, state.Genesis.Risk.RiskFreeRateMicros,
            instruments, Indexes(state), books, touched.Trades, accounts, candidates);
    }

    /// <summary>A full view of the state as it stands: what the ledger publishes after recovery, before any new block.</summary>
    public static StateAdvanced Snapshot(ExchangeState state, ReadModelSettings settings) => Extract(state, [], settings, full: true);

    /// <summary>The L2 view of one book to <paramref name="depth"/> levels a side; null when the instrument has no book (settled or unknown).</summary>
    public static BookView? Book(ExchangeState state, string instrument, int depth)
    {
        if (!state.Engine.TryGetBook(instrument, out var book)) return null;
        // The levels are read into a buffer the thread keeps and copied out at their count: the ledger extracts every
        // touched book after each block, and a buffer of the full depth per book was most of what that allocated.
        var buffer = t_levels is { } kept && kept.Length >= depth ? kept : t_levels = new PriceLevel[depth];
        var levels = buffer.AsSpan(0, depth);
        var bids = levels[..book.Depth(Side.Buy, levels)].ToArray();
        var asks = levels[..book.Depth(Side.Sell, levels)].ToArray();
        return new BookView(instrument, bids, asks);
    }

    [ThreadStatic] private static PriceLevel[]? t_levels;

    /// <summary>An account's risk figures, each from the state's own rule.</summary>
    public static AccountRisk Risk(ExchangeState state, Account account)
    {
        var equity = state.Equity(account);
        var initial = state.InitialMargin(account);
        var maintenance = state.MaintenanceMargin(account);
        var collateral = state.Collateral(account);
        var positions = new PositionView[account.Holdings.Count];
        var i = 0;
        var hasPosition = false;
        foreach (var (id, h) in account.Holdings)
        {
            var listed = state.Instruments[id];
            var value = (long)((Int128)h.Position * listed.Mark / Quantity.Scale);   // truncated, as ExchangeState.Equity counts it
            positions[i++] = new PositionView(listed.Name, new Quantity(h.Position), new Price(listed.Mark), new Money(value),
                new Quantity(h.OpenBuyQuantity), new Money(h.OpenBuyPremium), new Quantity(h.OpenSellQuantity));
            hasPosition |= h.Position != 0;
        }
        PublicKey? principal = account.PrincipalId is { } p ? state.Accounts[(int)p].Key : null;
        return new AccountRisk(account.Key, state.Height, account.Mode, principal,
            new Money(account.Balance), new Money(account.Stake), new Money(equity), new Money(collateral),
            new Money(initial), new Money(maintenance),
            new Money(collateral - initial),                     // ExchangeState.FreeCollateral, without valuing the account twice
            hasPosition && equity < maintenance,                 // ExchangeState.IsLiquidatable, likewise
            state.OrdersOf(account.Id).Count(),
            positions);
    }

    private static InstrumentView[] Instruments(ExchangeState state, IReadOnlyDictionary<string, Price> settledNow)
    {
        var views = new List<InstrumentView>(state.Instruments.Count);
        foreach (var listed in state.Instruments)
        {
            if (!listed.Settled)
                views.Add(new InstrumentView(listed.Id, listed.Instrument, new Price(listed.Mark), Settled: false));
            else if (settledNow.TryGetValue(listed.Name, out var price))
                views.Add(new InstrumentView(listed.Id, listed.Instrument, new Price(listed.Mark), Settled: true, price));
        }
        return [.. views];
    }

    private static IndexView[] Indexes(ExchangeState state)
    {
        var oracle = state.Oracle;
        var views = new List<IndexView>();
        foreach (var underlying in oracle.Underlyings)
            if (oracle.TryGetLatest(underlying, out var r))
                views.Add(new IndexView(underlying, r.Price, r.ImpliedVol, r.UpdatedAtMs, oracle.IsFresh(underlying, state.TimeUnixMs)));
        return [.. views];
    }

    /// <summary>The state events whose accounts and books <see cref="Touched"/> reads; any other makes it copy every account.</summary>
    internal static readonly IReadOnlySet<Type> HandledEvents = new HashSet<Type>
    {
        typeof(TxRejected), typeof(InstrumentListed), typeof(OrderEvent), typeof(Traded), typeof(Deposited), typeof(Withdrawn),
        typeof(Transferred), typeof(AgentChanged), typeof(StakeChanged), typeof(Liquidated), typeof(AutoDeleveraged),
        typeof(LossCovered), typeof(Settled), typeof(Slashed),
    };

    /// <summary>What a block's events name: the accounts and books whose views must be copied again, and the fills.</summary>
    private sealed class Touched
    {
        public readonly HashSet<uint> Accounts = [];
        public readonly SortedSet<string> Books = new(StringComparer.Ordinal);
        public readonly Dictionary<string, Price> SettledAt = new(StringComparer.Ordinal);
        public TradeView[] Trades = [];
        /// <summary>
        /// A settlement pays or charges every holder of a series without naming them, and leaves them without the
        /// holding: every account's risk is copied. Series settle once a day at most, so this is rare.
        /// </summary>
        public bool EveryAccount;

        public static Touched From(ExchangeState state, IReadOnlyList<StateEvent> events)
        {
            var t = new Touched();
            var trades = new List<TradeView>();
            foreach (var e in events)
            {
                switch (e)
                {
                    case TxRejected:
                        break;
                    case InstrumentListed listed:
                        t.Books.Add(listed.Name);
                        break;
                    case OrderEvent o:
                        t.Books.Add(o.Instrument);
                        t.Accounts.Add(o.Event.Account);
                        break;
                    case Traded f:
                        t.Books.Add(f.Instrument);
                        t.Add(state, f.Taker);
                        t.Add(state, f.Maker);
                        trades.Add(new TradeView(f.Instrument, f.TxIndex, f.TakerOrderId, f.Taker, f.MakerOrderId, f.Maker, f.TakerSide, f.Price, f.Quantity));
                        break;
                    case Deposited d: t.Add(state, d.Account); break;
                    case Withdrawn w: t.Add(state, w.Account); break;
                    case Transferred x: t.Add(state, x.From); t.Add(state, x.To); break;
                    case AgentChanged a: t.Add(state, a.Account); t.Add(state, a.Agent); break;
                    case StakeChanged s: t.Add(state, s.Validator); break;
                    case Slashed s: t.Add(state, s.Validator); break;
                    case Liquidated l: t.Add(state, l.Account); t.Books.Add(l.Instrument); break;
                    case AutoDeleveraged a: t.Add(state, a.Account); t.Add(state, a.Bankrupt); break;
                    case LossCovered c: t.Add(state, c.Account); break;
                    case Settled s:
                        t.SettledAt[s.Instrument] = s.SettlementPrice;
                        t.EveryAccount = true;
                        break;
                    default:
                        // An event this read model predates: it cannot tell whom it touched, so it copies every account
                        // rather than show a stale one (ReadModelTests checks that every Core event is handled above).
                        t.EveryAccount = true;
                        break;
                }
            }
            t.Trades = [.. trades];
            return t;
        }

        public void Add(ExchangeState state, PublicKey key)
        {
            if (state.TryGetAccount(key, out var account)) Accounts.Add(account.Id);
        }
    }
}
