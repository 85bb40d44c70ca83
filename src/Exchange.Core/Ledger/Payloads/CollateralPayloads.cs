using Exchange.Core.Crypto;
using Exchange.Core.Ledger.Codec;
using Exchange.Core.Numerics;

namespace Exchange.Core.Ledger.Payloads;

/// <summary>
/// Credits USDC that arrived on the external bridge. Only the bridge key named in genesis may
/// send it (a state rule); <see cref="ExternalId"/> names the bridge transfer so it is credited once.
/// </summary>
public sealed record Deposit(PublicKey To, Money Amount, Hash32 ExternalId) : Payload
{
    public override PayloadKind Kind => PayloadKind.Deposit;

    internal override void WriteFields(CanonicalWriter w)
    {
        w.WritePublicKey(To);
        w.Write(Amount);
        w.WriteHash(ExternalId);
    }

    internal static Deposit ReadFields(ref CanonicalReader r) =>
        new(r.ReadPublicKey("deposit.to"), r.ReadMoney("deposit.amount"), r.ReadHash("deposit.external_id"));

    public override Validation Validate(in PublicKey sender)
    {
        var amount = PositiveAmount(Amount);
        if (!amount.IsValid) return amount;
        return ExternalId == Hash32.Zero
            ? Validation.Fail(TxError.MissingExternalId, "a deposit must name the bridge transfer it credits")
            : Validation.Ok;
    }
}

/// <summary>Sends free collateral out through the bridge to an external address.</summary>
public sealed record Withdraw(Money Amount, string Destination) : Payload
{
    public override PayloadKind Kind => PayloadKind.Withdraw;

    internal override void WriteFields(CanonicalWriter w)
    {
        w.Write(Amount);
        w.WriteText(Destination, Names.MaxDestinationLength);
    }

    internal static Withdraw ReadFields(ref CanonicalReader r) =>
        new(r.ReadMoney("withdraw.amount"), r.ReadText("withdraw.destination", Names.MaxDestinationLength));

    public override Validation Validate(in PublicKey sender)
    {
        var amount = PositiveAmount(Amount);
        if (!amount.IsValid) return amount;
        return Names.IsValidDestination(Destination)
            ? Validation.Ok
            : Validation.Fail(TxError.InvalidDestination, $"destination must be 1 to {Names.MaxDestinationLength} printable characters without spaces");
    }
}

/// <summary>Moves free collateral to another account on the exchange.</summary>
public sealed record Transfer(PublicKey To, Money Amount) : Payload
{
    public override PayloadKind Kind => PayloadKind.Transfer;

    internal override void WriteFields(CanonicalWriter w)
    {
        w.WritePublicKey(To);
        w.Write(Amount);
    }

    internal static Transfer ReadFields(ref CanonicalReader r) =>
        new(r.ReadPublicKey("transfer.to"), r.ReadMoney("transfer.amount"));

    public override Validation Validate(in PublicKey sender)
    {
        var amount = PositiveAmount(Amount);
        if (!amount.IsValid) return amount;
        return To == sender ? Validation.Fail(TxError.TransferToSelf, "cannot transfer to the sending account") : Validation.Ok;
    }
}

/// <summary>Bonds collateral as validator stake; voting power follows bonded stake.</summary>
public sealed record Stake(Money Amount) : Payload
{
    public override PayloadKind Kind => PayloadKind.Stake;
    internal override void WriteFields(CanonicalWriter w) => w.Write(Amount);
    internal static Stake ReadFields(ref CanonicalReader r) => new(r.ReadMoney("stake.amount"));
    public override Validation Validate(in PublicKey sender) => PositiveAmount(Amount);
}

/// <summary>Unbonds validator stake back to free collateral.</summary>
public sealed record Unstake(Money Amount) : Payload
{
    public override PayloadKind Kind => PayloadKind.Unstake;
    internal override void WriteFields(CanonicalWriter w) => w.Write(Amount);
    internal static Unstake ReadFields(ref CanonicalReader r) => new(r.ReadMoney("unstake.amount"));
    public override Validation Validate(in PublicKey sender) => PositiveAmount(Amount);
}
