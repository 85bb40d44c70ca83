using Exchange.Core.Crypto;
using Exchange.Core.Ledger.Codec;
using Exchange.Core.Markets;
using Exchange.Core.Numerics;

namespace Exchange.Core.Ledger.Payloads;

/// <summary>
/// Approves (or revokes) an agent key that may trade for the sending account but never withdraw
/// or transfer: the API-wallet model, so a trading bot never holds the account's own key.
/// </summary>
public sealed record ApproveAgent(PublicKey Agent, bool Approved) : Payload
{
    public override PayloadKind Kind => PayloadKind.ApproveAgent;

    internal override void WriteFields(CanonicalWriter w)
    {
        w.WritePublicKey(Agent);
        w.WriteBool(Approved);
    }

    internal static ApproveAgent ReadFields(ref CanonicalReader r) =>
        new(r.ReadPublicKey("approve_agent.agent"), r.ReadBool("approve_agent.approved"));

    public override Validation Validate(in PublicKey sender) =>
        Agent == sender ? Validation.Fail(TxError.ApproveSelfAsAgent, "an account cannot be its own agent") : Validation.Ok;
}

/// <summary>
/// Lists a European cash-settled option series (authority key only, a state rule). Expiry is in
/// Unix seconds and must fall at 08:00 UTC, as Deribit's do.
/// </summary>
public sealed record ListInstrument(
    string Underlying,
    long ExpiryUnixSeconds,
    Price Strike,
    OptionKind OptionKind,
    Price TickSize,
    Quantity LotSize,
    Quantity MinSize) : Payload
{
    public override PayloadKind Kind => PayloadKind.ListInstrument;

    internal override void WriteFields(CanonicalWriter w)
    {
        w.WriteText(Underlying, Names.MaxUnderlyingLength);
        w.WriteVarInt(ExpiryUnixSeconds);
        w.Write(Strike);
        w.WriteByte((byte)OptionKind);
        w.Write(TickSize);
        w.Write(LotSize);
        w.Write(MinSize);
    }

    internal static ListInstrument ReadFields(ref CanonicalReader r) => new(
        r.ReadText("list.underlying", Names.MaxUnderlyingLength),
        r.ReadVarInt("list.expiry"),
        r.ReadPrice("list.strike"),
        (OptionKind)r.ReadEnum("list.option_kind", 1, 2),
        r.ReadPrice("list.tick_size"),
        r.ReadQuantity("list.lot_size"),
        r.ReadQuantity("list.min_size"));

    public override Validation Validate(in PublicKey sender)
    {
        if (!Names.IsValidUnderlying(Underlying))
            return Validation.Fail(TxError.InvalidUnderlying, $"'{Underlying}' is not an index symbol (2 to 8 capital letters)");
        if (OptionSeries.ExpiryDayOf(ExpiryUnixSeconds) is null)
            return Validation.Fail(TxError.InvalidExpiry, "expiry must be a Unix time at 08:00 UTC of a day from 2000 to 2099");
        if (!Strike.IsPositive)
            return Validation.Fail(TxError.NonPositivePrice, $"strike must be positive, got {Strike}");
        if (!TickSize.IsPositive || !LotSize.IsPositive || !MinSize.IsPositive)
            return Validation.Fail(TxError.InvalidListingParameters, "tick size, lot size and minimum size must be positive");
        if (!MinSize.IsMultipleOf(LotSize))
            return Validation.Fail(TxError.InvalidListingParameters, $"minimum size {MinSize} is not a whole number of lots of {LotSize}");
        return Validation.Ok;
    }
}

/// <summary>Switches the account between standard and portfolio margin; refused when the new mode's margin would not be covered.</summary>
public sealed record SetMarginMode(MarginModeKind Mode) : Payload
{
    public override PayloadKind Kind => PayloadKind.SetMarginMode;
    internal override void WriteFields(CanonicalWriter w) => w.WriteByte((byte)Mode);
    internal static SetMarginMode ReadFields(ref CanonicalReader r) => new((MarginModeKind)r.ReadEnum("margin_mode.mode", 1, 2));
    public override Validation Validate(in PublicKey sender) => Validation.Ok;
}
