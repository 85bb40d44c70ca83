using Exchange.Core.Crypto;
using Exchange.Core.Ledger.Codec;
using Exchange.Core.Numerics;

namespace Exchange.Core.Ledger.Payloads;

/// <summary>
/// Places an order. A market order carries no price (zero): it trades up to the instrument's
/// price band. <see cref="ClientOrderId"/> is the trader's own reference (0 means none).
/// </summary>
public sealed record PlaceOrder(
    string Instrument,
    Side Side,
    OrderType Type,
    TimeInForce TimeInForce,
    OrderFlags Flags,
    Price Price,
    Quantity Quantity,
    ulong ClientOrderId,
    SelfTradePrevention SelfTradePrevention) : Payload
{
    private const OrderFlags KnownFlags = OrderFlags.PostOnly | OrderFlags.ReduceOnly;

    public override PayloadKind Kind => PayloadKind.PlaceOrder;

    internal override void WriteFields(CanonicalWriter w)
    {
        w.WriteText(Instrument, Names.MaxInstrumentLength);
        w.WriteByte((byte)Side);
        w.WriteByte((byte)Type);
        w.WriteByte((byte)TimeInForce);
        w.WriteByte((byte)Flags);
        w.Write(Price);
        w.Write(Quantity);
        w.WriteVarUInt(ClientOrderId);
        w.WriteByte((byte)SelfTradePrevention);
    }

    internal static PlaceOrder ReadFields(ref CanonicalReader r)
    {
        var instrument = r.ReadText("place.instrument", Names.MaxInstrumentLength);
        var side = (Side)r.ReadEnum("place.side", 1, 2);
        var type = (OrderType)r.ReadEnum("place.type", 1, 2);
        var tif = (TimeInForce)r.ReadEnum("place.time_in_force", 1, 3);
        var flags = (OrderFlags)r.ReadEnum("place.flags", 0, (byte)KnownFlags);
        var price = r.ReadPrice("place.price");
        var quantity = r.ReadQuantity("place.quantity");
        var clientOrderId = r.ReadVarUInt("place.client_order_id");
        var stp = (SelfTradePrevention)r.ReadEnum("place.self_trade_prevention", 1, 3);
        return new PlaceOrder(instrument, side, type, tif, flags, price, quantity, clientOrderId, stp);
    }

    public override Validation Validate(in PublicKey sender)
    {
        if (!Names.IsValidInstrumentName(Instrument))
            return Validation.Fail(TxError.InvalidInstrumentName, $"'{Instrument}' is not a valid instrument name");
        if (!Quantity.IsPositive)
            return Validation.Fail(TxError.NonPositiveQuantity, $"quantity must be positive, got {Quantity}");
        var postOnly = Flags.HasFlag(OrderFlags.PostOnly);
        if (Type == OrderType.Market)
        {
            if (Price != Price.Zero)
                return Validation.Fail(TxError.InvalidOrderCombination, "a market order carries no price; it is bounded by the instrument's price band");
            if (TimeInForce == TimeInForce.GoodTilCancelled || postOnly)
                return Validation.Fail(TxError.InvalidOrderCombination, "a market order takes liquidity at once: use IOC or FOK, never post-only");
            return Validation.Ok;
        }
        if (!Price.IsPositive)
            return Validation.Fail(TxError.NonPositivePrice, $"limit price must be positive, got {Price}");
        if (postOnly && TimeInForce != TimeInForce.GoodTilCancelled)
            return Validation.Fail(TxError.InvalidOrderCombination, "a post-only order must rest: use good-til-cancelled");
        return Validation.Ok;
    }
}

/// <summary>Cancels one resting order by its exchange-assigned id.</summary>
public sealed record CancelOrder(ulong OrderId) : Payload
{
    public override PayloadKind Kind => PayloadKind.CancelOrder;
    internal override void WriteFields(CanonicalWriter w) => w.WriteVarUInt(OrderId);
    internal static CancelOrder ReadFields(ref CanonicalReader r) => new(r.ReadVarUInt("cancel.order_id"));

    public override Validation Validate(in PublicKey sender) =>
        OrderId == 0 ? Validation.Fail(TxError.InvalidOrderId, "order id 0 names no order") : Validation.Ok;
}

/// <summary>Cancels every resting order of the account, or only those on <see cref="Instrument"/> when it is not empty.</summary>
public sealed record CancelAll(string Instrument) : Payload
{
    public override PayloadKind Kind => PayloadKind.CancelAll;
    internal override void WriteFields(CanonicalWriter w) => w.WriteText(Instrument, Names.MaxInstrumentLength);
    internal static CancelAll ReadFields(ref CanonicalReader r) => new(r.ReadText("cancel_all.instrument", Names.MaxInstrumentLength));

    public override Validation Validate(in PublicKey sender) =>
        Instrument.Length == 0 || Names.IsValidInstrumentName(Instrument)
            ? Validation.Ok
            : Validation.Fail(TxError.InvalidInstrumentName, $"'{Instrument}' is not a valid instrument name");
}

/// <summary>Changes a resting order's price and size. Only a pure size decrease keeps time priority.</summary>
public sealed record AmendOrder(ulong OrderId, Price NewPrice, Quantity NewQuantity) : Payload
{
    public override PayloadKind Kind => PayloadKind.AmendOrder;

    internal override void WriteFields(CanonicalWriter w)
    {
        w.WriteVarUInt(OrderId);
        w.Write(NewPrice);
        w.Write(NewQuantity);
    }

    internal static AmendOrder ReadFields(ref CanonicalReader r) =>
        new(r.ReadVarUInt("amend.order_id"), r.ReadPrice("amend.price"), r.ReadQuantity("amend.quantity"));

    public override Validation Validate(in PublicKey sender)
    {
        if (OrderId == 0) return Validation.Fail(TxError.InvalidOrderId, "order id 0 names no order");
        if (!NewPrice.IsPositive) return Validation.Fail(TxError.NonPositivePrice, $"price must be positive, got {NewPrice}");
        return NewQuantity.IsPositive
            ? Validation.Ok
            : Validation.Fail(TxError.NonPositiveQuantity, $"quantity must be positive, got {NewQuantity}");
    }
}
