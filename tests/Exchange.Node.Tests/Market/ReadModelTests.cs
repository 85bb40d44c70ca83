using Exchange.Core.Ledger;
using Exchange.Core.Ledger.Payloads;
using Exchange.Core.Numerics;
using Exchange.Core.State;
using Exchange.Node.Market;
using static Exchange.Node.Tests.Market.ChainFixture;

namespace Exchange.Node.Tests.Market;

public class ReadModelTests
{
    private static readonly ReadModelSettings Settings = ReadModelSettings.Default;

    private static StateAdvanced Extract(ChainFixture f, BlockResult block, ReadModelSettings? settings = null) =>
        ReadModel.Extract(f.State, block.Events, settings ?? Settings, full: false);

    [Fact]
    public void Snapshot_should_carry_every_live_instrument_book_index_and_account()
    {
        var f = new ChainFixture();
        var view = ReadModel.Snapshot(f.State, Settings);

        Assert.True(view.IsFull);
        Assert.Equal(0UL, view.Height);
        Assert.Equal(GenesisMs, view.BlockTimeMs);
        Assert.Equal(f.State.Instruments.Select(i => (i.Name, i.Mark)), view.Instruments.Select(i => (i.Name, i.Mark.Raw)));
        Assert.Equal(f.State.Engine.Instruments.Order(StringComparer.Ordinal), view.Books.Select(b => b.Instrument));
        Assert.All(view.Books, b => Assert.Empty(b.Bids));
        Assert.Equal(f.State.Accounts.Select(a => a.Key), view.Accounts.Select(a => a.Account));
        Assert.All(view.Accounts, r => RiskAssert.MatchesState(f, r));
        var index = Assert.Single(view.Indexes);
        Assert.Equal(("BTC", Price.FromWhole(100_000), 550_000L, true), (index.Underlying, index.Price, index.ImpliedVolMicros, index.Fresh));
    }

    [Fact]
    public void Block_view_should_copy_only_the_touched_books_and_accounts_exactly_as_the_state_has_them()
    {
        var f = new ChainFixture();
        var quoted = Extract(f, f.QuoteAroundTheMoney());
        Assert.Equal([Call, Put], quoted.Books.Select(b => b.Instrument).Order(StringComparer.Ordinal));
        Assert.Equal([Bob.PublicKey], quoted.Accounts.Select(a => a.Account));

        var traded = Extract(f, f.Block(f.Tx(Alice, Limit(Call, Side.Buy, "3100", "1"))));

        Assert.False(traded.IsFull);
        var book = Assert.Single(traded.Books);
        var (bids, asks) = f.Levels(Call, Settings.BookDepth);
        Assert.Equal(bids, book.Bids);
        Assert.Equal(asks, book.Asks);
        Assert.Equal(Price.Parse("3100"), book.Asks[0].Price);
        Assert.Equal(Quantity.Parse("1"), book.Asks[0].Quantity);
        var trade = Assert.Single(traded.Trades);
        Assert.Equal((Call, Alice.PublicKey, Bob.PublicKey, Side.Buy, Price.Parse("3100"), Quantity.Parse("1")),
            (trade.Instrument, trade.Taker, trade.Maker, trade.TakerSide, trade.Price, trade.Quantity));
        Assert.Equal(new[] { Alice.PublicKey, Bob.PublicKey }.Order(), traded.Accounts.Select(a => a.Account).Order());
        Assert.All(traded.Accounts, r => RiskAssert.MatchesState(f, r));
        Assert.Equal(f.State.Instruments.Where(i => !i.Settled).Select(i => (i.Name, i.Mark)), traded.Instruments.Select(i => (i.Name, i.Mark.Raw)));
    }

    [Fact]
    public void View_should_not_change_when_the_state_applies_the_next_block()
    {
        var f = new ChainFixture();
        f.QuoteAroundTheMoney();
        var view = Extract(f, f.Block(f.Tx(Alice, Limit(Call, Side.Buy, "3100", "1"))));
        var asks = view.Books.Single().Asks.ToArray();
        var alice = view.Accounts.Single(a => a.Account == Alice.PublicKey);
        var aliceCopy = alice with { Positions = alice.Positions.ToArray() };
        var marks = view.Instruments.Select(i => i.Mark).ToArray();

        // Alice lifts the rest of the offer and the index moves: the book, her account and every mark change in the state.
        var next = Extract(f, f.BlockWithIndex(f.Time + 1_000, "101000", f.Tx(Alice, Limit(Call, Side.Buy, "3200", "4"))));

        Assert.Equal(asks, view.Books.Single().Asks);
        Assert.Equal(aliceCopy.Balance, alice.Balance);
        Assert.Equal(aliceCopy.Positions, alice.Positions);
        Assert.Equal(marks, view.Instruments.Select(i => i.Mark));
        Assert.NotEqual(asks, next.Books.Single(b => b.Instrument == Call).Asks);
        Assert.NotEqual(alice.Balance, next.Accounts.Single(a => a.Account == Alice.PublicKey).Balance);
    }

    [Fact]
    public void Risk_refresh_height_should_recompute_every_account_with_holdings()
    {
        var f = new ChainFixture();
        f.QuoteAroundTheMoney();
        f.Block(f.Tx(Alice, Limit(Call, Side.Buy, "3100", "1")));
        var every3 = Settings with { RiskRefreshInterval = 3 };
        Assert.Equal(2UL, f.State.Height);

        var refreshed = Extract(f, f.Block(), every3);

        Assert.Equal(new[] { Alice.PublicKey, Bob.PublicKey }.Order(), refreshed.Accounts.Select(a => a.Account).Order());
        Assert.All(refreshed.Accounts, r => RiskAssert.MatchesState(f, r));
        Assert.Empty(Extract(f, f.Block(), every3).Accounts);
    }

    [Fact]
    public void Liquidation_candidates_should_be_the_accounts_under_maintenance_and_the_state_should_liquidate_them()
    {
        var f = new ChainFixture();
        f.PushCarolUnderMaintenance();
        // Bob offers calls just above the mark, so the liquidation can buy Carol's short back within the band.
        var offer = new Price(f.Instrument(Call).Mark).MulDivCeil(103, 100).CeilToTick(Price.Parse("0.1"));
        var view = Extract(f, f.BlockWithIndex(f.Time + 1_000, "115000", f.Tx(Bob, Limit(Call, Side.Sell, offer.ToString(), "5"))));

        var below = f.State.Accounts.Where(a => f.State.IsLiquidatable(a)).Select(a => a.Key).ToArray();
        Assert.Equal([Carol.PublicKey], below);
        var candidate = Assert.Single(view.LiquidationCandidates!);
        Assert.Equal(Carol.PublicKey, candidate.Account);
        Assert.Equal(f.State.Equity(f.Account(Carol)), candidate.Equity);
        Assert.True(view.Accounts.Single(a => a.Account == Carol.PublicKey).Liquidatable);

        var result = f.BlockWith(f.Time + 1_000, Price.FromWhole(115_000), view.LiquidationCandidates!.Select(c => c.Account).ToArray());

        Assert.Equal(Carol.PublicKey, result.Events.OfType<Liquidated>().Select(l => l.Account).Distinct().Single());
        Assert.Empty(ReadModel.Extract(f.State, result.Events, Settings, full: false).LiquidationCandidates!);
    }

    [Fact]
    public void Settlement_should_flag_the_series_with_its_price_and_recompute_every_account()
    {
        var f = new ChainFixture();
        f.Block(f.Tx(Bob, Limit(Call, Side.Sell, "3000", "1")));
        f.Block(f.Tx(Alice, Limit(Call, Side.Buy, "3000", "1")));
        for (var t = ExpiryMs - 30 * 60_000; t < ExpiryMs; t += 30_000) f.BlockWithIndex(t, "104000");

        var view = Extract(f, f.BlockWithIndex(ExpiryMs, "104000"));

        var settled = view.Instruments.Where(i => i.Settled).ToArray();
        Assert.Contains(settled, i => i.Name == Call && i.SettlementPrice == Price.FromWhole(104_000));
        Assert.DoesNotContain(view.Books, b => b.Instrument == Call);
        Assert.Equal(f.State.Accounts.Count, view.Accounts.Count);
        Assert.All(view.Accounts, r => RiskAssert.MatchesState(f, r));
        Assert.Empty(Extract(f, f.BlockWithIndex(ExpiryMs + 1_000, "104000")).Instruments);
    }

    [Fact]
    public void Listing_should_bring_the_new_instrument_and_its_empty_book()
    {
        var f = new ChainFixture();
        var view = Extract(f, f.Block(f.Tx(Authority,
            new ListInstrument("BTC", ExpiryMs / 1000, Price.FromWhole(110_000), OptionKind.Call, Price.Parse("0.1"), Quantity.Parse("0.1"), Quantity.Parse("0.1")))));

        Assert.Contains(view.Instruments, i => i.Name == "BTC-27NOV26-110000-C" && i.Mark.IsPositive);
        var book = Assert.Single(view.Books);
        Assert.Equal(("BTC-27NOV26-110000-C", 0, 0), (book.Instrument, book.Bids.Count, book.Asks.Count));
    }

    [Fact]
    public void Extractor_should_be_full_first_then_periodically_and_when_asked()
    {
        var f = new ChainFixture();
        var extractor = new ReadModelExtractor(Settings with { FullSnapshotInterval = 4 });
        var full = Enumerable.Range(1, 7).Select(h =>
        {
            if (h == 6) extractor.RequestFull();
            return extractor.Next(f.State, f.Block().Events).IsFull;
        });
        // Height 1 is the first view, 4 the interval, 6 asked for.
        Assert.Equal([true, false, false, true, false, true, false], full);
        Assert.True(extractor.Current(f.State).IsFull);
    }

    [Fact]
    public void Read_model_should_know_every_state_event_Core_defines()
    {
        var events = typeof(StateEvent).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(StateEvent)) && !t.IsAbstract).ToHashSet();
        Assert.Empty(events.Except(ReadModel.HandledEvents).Select(t => t.Name));
    }
}
