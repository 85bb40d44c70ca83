using Exchange.Core.Ledger;
using Exchange.Core.Markets;
using Exchange.Core.Markets.Book;
using Exchange.Core.Numerics;

namespace Exchange.Core.Tests.Markets.Book;

/// <summary>A book under test plus terse helpers; every command is followed by a full invariant check.</summary>
internal sealed class BookFixture(IOrderBook book)
{
    public static readonly InstrumentSpec Spec = InstrumentSpec.Create(Price.Parse("0.1"), Quantity.Parse("0.1"), Quantity.Parse("0.1"), priceBandBps: 1_000, maxOpenOrdersPerAccount: 5);

    public IOrderBook Book { get; } = book;
    public BookEvents Events { get; } = new();
    public List<BookEvent> Last => Events.ToList();

    public List<BookEvent> Place(ulong id, uint account, Side side, string price, string quantity,
        TimeInForce tif = TimeInForce.GoodTilCancelled, OrderFlags flags = OrderFlags.None, ulong clientOrderId = 0,
        SelfTradePrevention stp = SelfTradePrevention.CancelResting, string position = "0") =>
        Run(b => b.Place(new PlaceCommand(id, account, side, OrderType.Limit, tif, flags, Price.Parse(price), Quantity.Parse(quantity),
            clientOrderId, stp, Quantity.Parse(position)), Events));

    public List<BookEvent> Market(ulong id, uint account, Side side, string quantity, TimeInForce tif = TimeInForce.ImmediateOrCancel) =>
        Run(b => b.Place(new PlaceCommand(id, account, side, OrderType.Market, tif, OrderFlags.None, Price.Zero, Quantity.Parse(quantity)), Events));

    public List<BookEvent> Cancel(ulong id, uint account) => Run(b => b.Cancel(id, account, Events));
    public List<BookEvent> CancelAll(uint account) => Run(b => b.CancelAll(account, Events));
    public List<BookEvent> Amend(ulong id, uint account, string price, string quantity) =>
        Run(b => b.Amend(id, account, Price.Parse(price), Quantity.Parse(quantity), Events));

    private List<BookEvent> Run(Action<IOrderBook> command)
    {
        Events.Clear();
        command(Book);
        Book.ValidateInternalState();
        return Events.ToList();
    }

    public ulong[] OrderIds(Side side) => Book.Orders(side).Select(o => o.OrderId).ToArray();
}
