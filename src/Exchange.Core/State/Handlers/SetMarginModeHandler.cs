using Exchange.Core.Ledger.Payloads;
using Exchange.Core.Numerics;

namespace Exchange.Core.State.Handlers;

/// <summary>Switches the account's margin mode, only when its collateral covers the initial margin under the new mode.</summary>
public static class SetMarginModeHandler
{
    public static Outcome Handle(TxContext c, SetMarginMode p)
    {
        if (c.SignerIsAgent) return Outcome.Fail(StateError.AgentMayNotMoveFunds, "an agent key may trade but never change the margin mode");
        var account = c.Signer;
        var mode = (MarginMode)p.Mode;
        if (account.Mode == mode) return Outcome.Ok;
        var previous = account.Mode;
        account.Mode = mode;
        var required = c.State.InitialMargin(account);
        var collateral = c.State.Collateral(account);
        if (required > collateral)
        {
            account.Mode = previous;
            return Outcome.Fail(StateError.InsufficientMargin, $"{mode} margin of {new Money(required)} would exceed collateral {new Money(collateral)}");
        }
        c.State.Touch(account);
        return Outcome.Ok;
    }
}
