using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.Ledger.Codec;

namespace Exchange.Core.Markets.Book;

/// <summary>The state hash of a book: every resting order, bids then asks, each side in priority order.</summary>
public static class BookHash
{
    public const string Tag = "exchange/order-book/v1";

    public static Hash32 Compute(IOrderBook book)
    {
        var w = new CanonicalWriter(64 + book.Count * 40);
        foreach (var side in (ReadOnlySpan<Side>)[Side.Buy, Side.Sell])
        {
            w.WriteByte((byte)side);
            foreach (var o in book.Orders(side))
            {
                w.WriteVarUInt(o.OrderId);
                w.WriteVarUInt(o.Account);
                w.WriteVarInt(o.Price.Raw);
                w.WriteVarInt(o.Quantity.Raw);
                w.WriteVarUInt(o.ClientOrderId);
                w.WriteByte((byte)o.Flags);
                w.WriteByte((byte)o.SelfTradePrevention);
                w.WriteVarInt(o.Sequence);
            }
            w.WriteByte(0);
        }
        return Hash32.Tagged(Tag, w.Written);
    }
}
