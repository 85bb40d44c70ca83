using Exchange.Core.Ledger;

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
    /// <summary>The step a vote of <paramref name="type"/> is signed at.</summary>
    public static SignStep StepOf(VoteType type) => type == VoteType.Prevote ? SignStep.Prevote : SignStep.Precommit;

    /// <summary>What signing <paramref name="signed"/> recorded: how a WAL that holds the message gives the sign state back.</summary>
    public static LastSignState Of(IConsensusMessage signed, string chainId) => signed switch
    {
        Proposal p => new(p.Height, p.Round, SignStep.Propose, p.SigningHash(chainId), p.Signature),
        Vote v => new(v.Height, v.Round, StepOf(v.Type), v.SigningHash(chainId), v.Signature),
        _ => throw new ArgumentException($"a {signed.GetType().Name} is not signed at a step", nameof(signed)),
    };

    /// <summary>Compares (height, round, step) lexicographically.</summary>
    public int CompareTo(ulong height, uint round, SignStep step)
    {
        var c = Height.CompareTo(height);
        if (c == 0) c = Round.CompareTo(round);
        return c != 0 ? c : Step.CompareTo(step);
    }
}
