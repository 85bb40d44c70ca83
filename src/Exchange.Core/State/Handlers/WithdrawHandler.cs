using Exchange.Core.Ledger.Payloads;
using Exchange.Core.Numerics;

namespace Exchange.Core.State.Handlers;

/// <summary>Sends free collateral out through the bridge; never unrealized profit, never by an agent.</summary>
public static class WithdrawHandler
{
    public static Outcome Handle(TxContext c, Withdraw p)
    {
        if (c.NotForAgents("withdraw") is { IsOk: false } refused) return refused;
        var free = c.State.FreeCollateral(c.Signer);
        if (p.Amount.Raw > free)
            return Outcome.Fail(StateError.InsufficientFreeCollateral, $"withdrawal of {p.Amount} exceeds free collateral {new Money(Math.Max(0, free))}");
        c.State.Debit(c.Signer, p.Amount.Raw);
        c.State.RecordWithdrawal(p.Amount.Raw);
        c.Emit(new Withdrawn(c.Index, c.Signer.Key, p.Amount, p.Destination));
        return Outcome.Ok;
    }
}
