using Exchange.Core.Ledger.Payloads;
using Exchange.Core.Numerics;

namespace Exchange.Core.State.Handlers;

/// <summary>Returns bonded stake to free collateral.</summary>
public static class UnstakeHandler
{
    public static Outcome Handle(TxContext c, Unstake p)
    {
        if (c.NotForAgents("unstake") is { IsOk: false } refused) return refused;
        if (p.Amount.Raw > c.Signer.Stake)
            return Outcome.Fail(StateError.InsufficientStake, $"unstake of {p.Amount} exceeds bonded stake {new Money(c.Signer.Stake)}");
        c.State.MoveToStake(c.Signer, -p.Amount.Raw);
        c.Emit(new StakeChanged(c.Index, c.Signer.Key, new Money(c.Signer.Stake)));
        return Outcome.Ok;
    }
}
