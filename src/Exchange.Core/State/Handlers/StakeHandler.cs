using Exchange.Core.Ledger.Payloads;
using Exchange.Core.Numerics;

namespace Exchange.Core.State.Handlers;

/// <summary>Bonds free collateral as validator stake. Voting power follows from it two heights later (consensus reads it).</summary>
public static class StakeHandler
{
    public static Outcome Handle(TxContext c, Stake p)
    {
        if (c.NotForAgents("stake") is { IsOk: false } refused) return refused;
        var free = c.State.FreeCollateral(c.Signer);
        if (p.Amount.Raw > free)
            return Outcome.Fail(StateError.InsufficientFreeCollateral, $"stake of {p.Amount} exceeds free collateral {new Money(Math.Max(0, free))}");
        c.State.MoveToStake(c.Signer, p.Amount.Raw);
        c.Emit(new StakeChanged(c.Index, c.Signer.Key, new Money(c.Signer.Stake)));
        return Outcome.Ok;
    }
}
