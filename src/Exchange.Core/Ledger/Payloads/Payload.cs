using Exchange.Core.Crypto;
using Exchange.Core.Ledger.Codec;
using Exchange.Core.Numerics;

namespace Exchange.Core.Ledger.Payloads;

/// <summary>
/// What a transaction asks for. Each kind knows its wire form and its stateless rules;
/// the rules that need state (balances, books, nonces) live in the state machine.
/// </summary>
public abstract record Payload
{
    public abstract PayloadKind Kind { get; }

    /// <summary>Writes the fields after the kind tag.</summary>
    internal abstract void WriteFields(CanonicalWriter w);

    /// <summary>Checks what can be checked without state. <paramref name="sender"/> is the signer.</summary>
    public abstract Validation Validate(in PublicKey sender);

    internal void Write(CanonicalWriter w)
    {
        w.WriteByte((byte)Kind);
        WriteFields(w);
    }

    internal static Payload Read(ref CanonicalReader r)
    {
        var kind = (PayloadKind)r.ReadEnum("payload kind", (byte)PayloadKind.Deposit, (byte)PayloadKind.SetMarginMode);
        return kind switch
        {
            PayloadKind.Deposit => Deposit.ReadFields(ref r),
            PayloadKind.Withdraw => Withdraw.ReadFields(ref r),
            PayloadKind.Transfer => Transfer.ReadFields(ref r),
            PayloadKind.PlaceOrder => PlaceOrder.ReadFields(ref r),
            PayloadKind.CancelOrder => CancelOrder.ReadFields(ref r),
            PayloadKind.CancelAll => CancelAll.ReadFields(ref r),
            PayloadKind.AmendOrder => AmendOrder.ReadFields(ref r),
            PayloadKind.ApproveAgent => ApproveAgent.ReadFields(ref r),
            PayloadKind.ListInstrument => ListInstrument.ReadFields(ref r),
            PayloadKind.Stake => Stake.ReadFields(ref r),
            PayloadKind.Unstake => Unstake.ReadFields(ref r),
            PayloadKind.SetMarginMode => SetMarginMode.ReadFields(ref r),
            _ => throw new DecodeException(DecodeError.UnknownEnumValue, $"payload kind {kind}"),
        };
    }

    private protected static Validation PositiveAmount(Money amount) =>
        amount.IsPositive ? Validation.Ok : Validation.Fail(TxError.NonPositiveAmount, $"amount must be positive, got {amount}");
}

/// <summary>Fields shared by the codec of several payloads.</summary>
internal static class FieldCodec
{
    public static void Write(this CanonicalWriter w, Money m) => w.WriteVarInt(m.Raw);
    public static void Write(this CanonicalWriter w, Price p) => w.WriteVarInt(p.Raw);
    public static void Write(this CanonicalWriter w, Quantity q) => w.WriteVarInt(q.Raw);
    public static Money ReadMoney(this ref CanonicalReader r, string field) => new(r.ReadVarInt(field));
    public static Price ReadPrice(this ref CanonicalReader r, string field) => new(r.ReadVarInt(field));
    public static Quantity ReadQuantity(this ref CanonicalReader r, string field) => new(r.ReadVarInt(field));
}
