namespace Exchange.Consensus;

/// <summary>Why the core dropped an input without acting on it. Each is counted (<see cref="ConsensusCore.Dropped"/>).</summary>
public enum DropReason
{
    NotStarted = 1,
    InvalidMessage = 2,
    WrongHeight = 3,
    UnknownValidator = 4,
    BadSignature = 5,
    /// <summary>A proposal not from the round's proposer.</summary>
    NotProposer = 6,
    /// <summary>Further ahead of round_p than the DoS limits admit.</summary>
    RoundTooFarAhead = 7,
    /// <summary>A second, different vote of one validator or proposal of one proposer: it becomes evidence.</summary>
    Equivocation = 8,
    /// <summary>An input for a height, round or step the core has left (a stale timeout, a late payload).</summary>
    Stale = 9,
    /// <summary>The signer refused: signing would conflict with what was signed before.</summary>
    SignRefused = 10,
    /// <summary>A copy of a vote already kept: dropped before its signature is checked.</summary>
    Duplicate = 11,
}
