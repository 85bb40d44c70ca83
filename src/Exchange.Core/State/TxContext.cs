using Exchange.Core.Crypto;

namespace Exchange.Core.State;

/// <summary>What a handler may see and do while one transaction runs.</summary>
public sealed class TxContext(ExchangeState state, Account signer, int index, List<StateEvent> events)
{
    public ExchangeState State { get; } = state;
    /// <summary>The key that signed: an account, or an agent trading for one.</summary>
    public Account Signer { get; } = signer;
    public int Index { get; } = index;
    public List<StateEvent> Events { get; } = events;

    public bool SignerIsAgent => Signer.PrincipalId is not null;

    /// <summary>The account whose funds and positions the transaction acts on: the agent's principal, or the signer.</summary>
    public Account Trader => Signer.PrincipalId is { } principal ? State.Accounts[(int)principal] : Signer;

    public void Emit(StateEvent e) => Events.Add(e);

    public Outcome NotForAgents(string what) =>
        SignerIsAgent ? Outcome.Fail(StateError.AgentMayNotMoveFunds, $"an agent key may trade but never {what}") : Outcome.Ok;

}
