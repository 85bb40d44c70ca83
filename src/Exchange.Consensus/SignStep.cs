namespace Exchange.Consensus;

/// <summary>The steps a validator signs at, in the order they happen within a round.</summary>
public enum SignStep : byte
{
    Propose = 1,
    Prevote = 2,
    Precommit = 3,
}

/// <summary>
/// The last thing the validator signed: its (height, round, step), the signed message and the signature.
/// Persisted before the signature leaves the machine (CometBFT's FilePVLastSignState).
/// </summary>
public sealed record LastSignState(ulong Height, uint Round, SignStep Step, Exchange.Core.Crypto.Hash32 SigningHash, Exchange.Core.Crypto.Signature Signature)
{
    /// <summary>Compares (height, round, step) lexicographically.</summary>
    public int CompareTo(ulong height, uint round, SignStep step)
    {
        var c = Height.CompareTo(height);
        if (c == 0) c = Round.CompareTo(round);
        return c != 0 ? c : Step.CompareTo(step);
    }
}
