namespace Exchange.Consensus;

/// <summary>The two votes of Algorithm 1. The byte values are the wire encoding.</summary>
public enum VoteType : byte
{
    Prevote = 1,
    Precommit = 2,
}
