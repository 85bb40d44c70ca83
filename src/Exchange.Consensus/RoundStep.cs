namespace Exchange.Consensus;

/// <summary>step_p of Algorithm 1. Timeouts are named by the step they end.</summary>
public enum RoundStep : byte
{
    Propose = 1,
    Prevote = 2,
    Precommit = 3,
}
