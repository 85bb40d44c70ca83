using Exchange.Core.Ledger;
using Exchange.Core.Markets.Book;
using Exchange.Core.Numerics;

namespace Exchange.Core.Tests.Markets.Book;

/// <summary>One generated command for a book.</summary>
public abstract record BookCommand
{
    public abstract void Apply(IOrderBook book, BookEvents events);

    public sealed record Place(PlaceCommand Command) : BookCommand
    {
        public override void Apply(IOrderBook book, BookEvents events) => book.Place(Command, events);
    }

    public sealed record Cancel(ulong OrderId, uint Account) : BookCommand
    {
        public override void Apply(IOrderBook book, BookEvents events) => book.Cancel(OrderId, Account, events);
    }

    public sealed record CancelAll(uint Account) : BookCommand
    {
        public override void Apply(IOrderBook book, BookEvents events) => book.CancelAll(Account, events);
    }

    public sealed record Amend(ulong OrderId, uint Account, Price Price, Quantity Quantity) : BookCommand
    {
        public override void Apply(IOrderBook book, BookEvents events) => book.Amend(OrderId, Account, Price, Quantity, events);
    }
}

/// <summary>
/// A seeded stream of mixed book commands: orders of every type that cross and rest around a
/// drifting mid, cancels and amends of live and dead ids (some by the wrong account), cancel-alls,
/// and malformed input (off-tick prices, broken lots, zero sizes, bad enum values, reused ids).
/// The same seed gives the same stream on every machine.
/// </summary>
public sealed class BookCommandGenerator(ulong seed, int accounts = 12)
{
    private ulong _state = seed;
    private ulong _nextId = 1;
    private long _mid = 5_000; // in ticks of 0.1
    private readonly List<(ulong Id, uint Account)> _placed = [];

    private ulong NextRaw()
    {
        // SplitMix64: tiny, fast and the same everywhere.
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private int Next(int max) => (int)(NextRaw() % (ulong)max);
    private bool Chance(int percent) => Next(100) < percent;

    private static Price Ticks(long ticks) => new(ticks * 100_000);
    private static Quantity Lots(long lots) => new(lots * 100_000);

    public BookCommand Next()
    {
        if (Chance(2)) _mid += Next(21) - 10;
        _mid = Math.Clamp(_mid, 100, 100_000);
        var roll = Next(100);
        return roll switch
        {
            < 50 => NextPlace(),
            < 68 => NextCancel(),
            < 93 => NextAmend(),
            < 96 => new BookCommand.CancelAll(Account()),
            _ => NextMalformed(),
        };
    }

    private uint Account() => (uint)(1 + Next(accounts));

    private (ulong Id, uint Account) Known()
    {
        if (_placed.Count == 0 || Chance(5)) return (_nextId + 1_000_000, Account());
        // Mostly recent ids, which are likelier to be live.
        var back = Chance(80) ? Next(Math.Min(_placed.Count, 60)) : Next(_placed.Count);
        var known = _placed[_placed.Count - 1 - back];
        return Chance(7) ? (known.Id, Account()) : known;
    }

    private BookCommand NextPlace()
    {
        var id = _nextId++;
        var account = Account();
        _placed.Add((id, account));
        var side = Chance(50) ? Side.Buy : Side.Sell;
        // Buys mostly below the mid and sells above, with enough overlap to trade often.
        var offset = Next(30) - 8;
        var price = Ticks(side == Side.Buy ? _mid - offset : _mid + offset);
        var quantity = Lots(1 + Next(Chance(10) ? 200 : 30));
        var type = OrderType.Limit;
        var tif = TimeInForce.GoodTilCancelled;
        var flags = OrderFlags.None;
        var kind = Next(100);
        if (kind < 12) tif = TimeInForce.ImmediateOrCancel;
        else if (kind < 18) tif = TimeInForce.FillOrKill;
        else if (kind < 24) { type = OrderType.Market; tif = Chance(70) ? TimeInForce.ImmediateOrCancel : TimeInForce.FillOrKill; price = Price.Zero; }
        else if (kind < 34) flags = OrderFlags.PostOnly;
        if (Chance(8)) flags |= OrderFlags.ReduceOnly;
        var clientId = Chance(40) ? (ulong)(1 + Next(20)) : 0;
        var stp = (SelfTradePrevention)(1 + Next(3));
        var position = Lots(Next(80) - 40);
        return new BookCommand.Place(new PlaceCommand(id, account, side, type, tif, flags, price, quantity, clientId, stp, position));
    }

    private BookCommand NextCancel()
    {
        var (id, account) = Known();
        return new BookCommand.Cancel(id, account);
    }

    private BookCommand NextAmend()
    {
        var (id, account) = Known();
        var price = Ticks(_mid + Next(36) - 18);
        var quantity = Lots(1 + Next(40));
        return new BookCommand.Amend(id, account, price, quantity);
    }

    private BookCommand NextMalformed()
    {
        var valid = (BookCommand.Place)NextPlace();
        var c = valid.Command;
        return Next(9) switch
        {
            0 => valid with { Command = c with { Price = new Price(c.Price.Raw + 1) } },
            1 => valid with { Command = c with { Quantity = new Quantity(c.Quantity.Raw + 7) } },
            2 => valid with { Command = c with { Quantity = Quantity.Zero } },
            3 => valid with { Command = c with { Price = new Price(-c.Price.Raw) } },
            4 => valid with { Command = c with { Side = (Side)7 } },
            5 => valid with { Command = c with { SelfTradePrevention = 0 } },
            6 => valid with { Command = c with { OrderId = _placed[Next(_placed.Count)].Id } },
            7 => valid with { Command = c with { OrderId = 0 } },
            8 => new BookCommand.Amend(Known().Id, c.Account, new Price(c.Price.Raw + 3), c.Quantity),
            _ => throw new InvalidOperationException("unreachable"),
        };
    }
}
