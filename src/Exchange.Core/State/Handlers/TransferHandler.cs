using Exchange.Core.Ledger.Payloads;
using Exchange.Core.Numerics;

namespace Exchange.Core.State.Handlers;

/// <summary>Moves free collateral to another account, creating it if new; never by an agent.</summary>
public static class TransferHandler
{
    public static Outcome Handle(TxContext c, Transfer p)
    {
        if (c.NotForAgents("transfer") is { IsOk: false } refused) return refused;
        var free = c.State.FreeCollateral(c.Signer);
        if (p.Amount.Raw > free)
            return Outcome.Fail(StateError.InsufficientFreeCollateral, $"transfer of {p.Amount} exceeds free collateral {new Money(Math.Max(0, free))}");
        var to = c.State.EnsureAccount(p.To);
        c.State.Debit(c.Signer, p.Amount.Raw);
        c.State.Credit(to, p.Amount.Raw);
        c.Emit(new Transferred(c.Index, c.Signer.Key, p.To, p.Amount));
        return Outcome.Ok;
    }
}
