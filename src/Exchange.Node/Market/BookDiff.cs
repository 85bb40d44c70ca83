using Exchange.Core.Ledger;
using Exchange.Core.Markets.Book;

namespace Exchange.Node.Market;

/// <summary>The level changes that turn one L2 side into another, both best first.</summary>
public static class BookDiff
{
    /// <summary>
    /// Walks both sides from the best price: a level only in <paramref name="after"/> is new, one only in
    /// <paramref name="before"/> is deleted, one in both with another size or order count changed. Changes come best first.
    /// </summary>
    public static LevelChange[] Compute(Side side, IReadOnlyList<PriceLevel> before, IReadOnlyList<PriceLevel> after)
    {
        var changes = new List<LevelChange>();
        int i = 0, j = 0;
        while (i < before.Count || j < after.Count)
        {
            var order = i == before.Count ? 1 : j == after.Count ? -1 : Better(side, before[i], after[j]);
            if (order < 0)
            {
                changes.Add(new LevelChange(LevelAction.Delete, before[i].Price, default, 0));
                i++;
            }
            else if (order > 0)
            {
                changes.Add(new LevelChange(LevelAction.New, after[j].Price, after[j].Quantity, after[j].Orders));
                j++;
            }
            else
            {
                if (before[i] != after[j]) changes.Add(new LevelChange(LevelAction.Change, after[j].Price, after[j].Quantity, after[j].Orders));
                i++;
                j++;
            }
        }
        return [.. changes];
    }

    /// <summary>Applies changes to a side: what a client does with a <see cref="BookDelta"/>.</summary>
    public static PriceLevel[] Apply(Side side, IReadOnlyList<PriceLevel> levels, IReadOnlyList<LevelChange> changes)
    {
        var book = levels.ToDictionary(l => l.Price);
        foreach (var c in changes)
        {
            switch (c.Action)
            {
                case LevelAction.Delete: book.Remove(c.Price); break;
                case LevelAction.New:
                case LevelAction.Change: book[c.Price] = new PriceLevel(c.Price, c.Quantity, c.Orders); break;
                default: throw new ArgumentOutOfRangeException(nameof(changes), c.Action, "unknown level action");
            }
        }
        return side == Side.Buy ? [.. book.Values.OrderByDescending(l => l.Price)] : [.. book.Values.OrderBy(l => l.Price)];
    }

    /// <summary>Negative when <paramref name="a"/> is the better price of the side, positive when <paramref name="b"/> is, 0 when equal.</summary>
    private static int Better(Side side, PriceLevel a, PriceLevel b) =>
        side == Side.Buy ? b.Price.CompareTo(a.Price) : a.Price.CompareTo(b.Price);
}
