using Exchange.Core.Ledger.Payloads;

namespace Exchange.Core.State.Handlers;

/// <summary>Credits a bridge transfer: only the genesis bridge key may, and each bridge transfer only once.</summary>
public static class DepositHandler
{
    public static Outcome Handle(TxContext c, Deposit p)
    {
        if (c.Signer.Key != c.State.Genesis.Bridge) return Outcome.Fail(StateError.Unauthorized, "only the bridge key credits deposits");
        if (c.State.IsCredited(p.ExternalId)) return Outcome.Fail(StateError.DuplicateDeposit, $"bridge transfer {p.ExternalId} was credited already");
        var to = c.State.EnsureAccount(p.To);
        c.State.Credit(to, p.Amount.Raw);
        c.State.RecordDeposit(p.ExternalId, p.Amount.Raw);
        c.Emit(new Deposited(c.Index, p.To, p.Amount, p.ExternalId));
        return Outcome.Ok;
    }
}
