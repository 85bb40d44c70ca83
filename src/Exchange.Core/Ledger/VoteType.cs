namespace Exchange.Core.Ledger;

/// <summary>
/// The two votes of Tendermint's Algorithm 1. The byte values are the wire encoding. The type lives in the
/// ledger because equivocation evidence, which the state machine checks, carries votes.
/// </summary>
public enum VoteType : byte
{
    Prevote = 1,
    Precommit = 2,
}
