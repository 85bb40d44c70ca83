using Exchange.Core.Ledger.Payloads;

namespace Exchange.Core.State.Handlers;

/// <summary>
/// Approves or revokes an agent key for the signing account. An agent trades for its principal but
/// never moves funds. A key that holds anything of its own, or serves another account, cannot become an agent.
/// </summary>
public static class ApproveAgentHandler
{
    public static Outcome Handle(TxContext c, ApproveAgent p)
    {
        if (c.SignerIsAgent) return Outcome.Fail(StateError.Unauthorized, "an agent cannot approve agents");
        var known = c.State.TryGetAccount(p.Agent, out var agent);
        if (!p.Approved)
        {
            if (!known || agent.PrincipalId != c.Signer.Id)
                return Outcome.Fail(StateError.Unauthorized, $"{p.Agent} is not an agent of this account");
            c.State.Link(agent, c.Signer, approved: false);
            c.Emit(new AgentChanged(c.Index, c.Signer.Key, p.Agent, false));
            return Outcome.Ok;
        }
        if (known && agent.PrincipalId == c.Signer.Id) return Outcome.Ok;
        if (known && (agent.PrincipalId is not null || agent.Balance != 0 || agent.Stake != 0 || agent.Holdings.Count != 0 || agent.Agents.Count != 0))
            return Outcome.Fail(StateError.Unauthorized, $"{p.Agent} already holds funds, positions or agents of its own, or serves another account");
        agent = c.State.EnsureAccount(p.Agent);
        c.State.Link(agent, c.Signer, approved: true);
        c.Emit(new AgentChanged(c.Index, c.Signer.Key, p.Agent, true));
        return Outcome.Ok;
    }
}
