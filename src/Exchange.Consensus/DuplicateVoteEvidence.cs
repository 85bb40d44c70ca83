using Exchange.Core.Crypto;

namespace Exchange.Consensus;

/// <summary>
/// Proof that <see cref="Validator"/> signed two different votes for one height, round and type. The two
/// votes are kept in a canonical order (by block hash), so one equivocation has one piece of evidence.
/// The ledger slashes the validator's stake when a proposer includes it.
/// </summary>
public sealed record DuplicateVoteEvidence(Vote VoteA, Vote VoteB) : IComparable<DuplicateVoteEvidence>
{
    public PublicKey Validator => VoteA.Validator;
    public ulong Height => VoteA.Height;

    /// <summary>Orders the two votes canonically.</summary>
    public static DuplicateVoteEvidence Create(Vote first, Vote second) =>
        first.BlockHash.CompareTo(second.BlockHash) <= 0 ? new(first, second) : new(second, first);

    /// <summary>Both votes from one validator for one (height, round, type), for different blocks, both signed by it.</summary>
    public bool Verify(string chainId) =>
        VoteA.Validator == VoteB.Validator && VoteA.Type == VoteB.Type && VoteA.Height == VoteB.Height && VoteA.Round == VoteB.Round &&
        VoteA.BlockHash.CompareTo(VoteB.BlockHash) < 0 && VoteA.Validate().IsValid && VoteB.Validate().IsValid &&
        VoteA.VerifySignatures(chainId) && VoteB.VerifySignatures(chainId);

    /// <summary>Height, validator, round, type, then block hashes: the order a proposer includes evidence in.</summary>
    public int CompareTo(DuplicateVoteEvidence? other)
    {
        if (other is null) return 1;
        var c = Height.CompareTo(other.Height);
        if (c == 0) c = Validator.CompareTo(other.Validator);
        if (c == 0) c = VoteA.Round.CompareTo(other.VoteA.Round);
        if (c == 0) c = VoteA.Type.CompareTo(other.VoteA.Type);
        if (c == 0) c = VoteA.BlockHash.CompareTo(other.VoteA.BlockHash);
        if (c == 0) c = VoteB.BlockHash.CompareTo(other.VoteB.BlockHash);
        return c;
    }
}
