using Exchange.Core.Crypto;
using Exchange.Core.Ledger;

namespace Exchange.Consensus;

/// <summary>What happened to a vote offered to a <see cref="VoteSet"/>.</summary>
public enum AddVoteResult
{
    Added = 0,
    /// <summary>The same vote again: ignored.</summary>
    Duplicate = 1,
    /// <summary>A second, different vote from one validator: not counted; <see cref="VoteSet.Add"/> returns the evidence.</summary>
    Conflicting = 2,
    UnknownValidator = 3,
    /// <summary>Another height, round or type than the set's.</summary>
    WrongSet = 4,
}

/// <summary>
/// The votes of one type for one (height, round), like CometBFT's <c>types/vote_set.go</c>.
/// <para>Invariants:</para>
/// <list type="bullet">
/// <item>Only votes whose signatures the caller verified are added; the set checks membership and shape.</item>
/// <item>A validator's first vote is its vote (<see cref="VoteOf"/>). A later different vote from the same
/// validator is equivocation, and both votes become <see cref="DuplicateVoteEvidence"/>. The first such
/// conflicting vote is also kept and counted for its own value: Algorithm 1 counts the messages received, so
/// an equivocator's vote counts toward each value it voted for. Counting only the first made a validator that
/// received the two votes in the other order miss a proof of lock forever, and its peers stay locked (found by
/// the simulator).</item>
/// <item><see cref="SumPower"/> equals the power of the distinct validators that voted, and each block hash's
/// power equals the power of the kept votes for it (nil is <see cref="Hash32.Zero"/>).</item>
/// </list>
/// <para>Denial-of-service limits: memory is at most two votes per member of the validator set (a few
/// hundred bytes each), plus one tally entry per distinct hash kept, so at most two per member; a third
/// different vote of one validator still yields evidence but is not kept; votes
/// from keys outside the set are refused before anything is stored.</para>
/// </summary>
public sealed class VoteSet
{
    private readonly ValidatorSet _validators;
    private readonly Vote?[] _votes;
    private readonly Vote?[] _conflicting;
    private readonly SortedDictionary<Hash32, Int128> _powerByHash = new();

    public ulong Height { get; }
    public uint Round { get; }
    public VoteType Type { get; }
    public Int128 SumPower { get; private set; }

    public VoteSet(ulong height, uint round, VoteType type, ValidatorSet validators)
    {
        Height = height;
        Round = round;
        Type = type;
        _validators = validators;
        _votes = new Vote?[validators.Count];
        _conflicting = new Vote?[validators.Count];
    }

    /// <summary>Adds a vote already verified by the caller. On <see cref="AddVoteResult.Conflicting"/>, <paramref name="evidence"/> holds both votes.</summary>
    public AddVoteResult Add(Vote vote, out DuplicateVoteEvidence? evidence)
    {
        evidence = null;
        if (vote.Height != Height || vote.Round != Round || vote.Type != Type) return AddVoteResult.WrongSet;
        var index = _validators.IndexOf(vote.Validator);
        if (index < 0) return AddVoteResult.UnknownValidator;
        var power = _validators.Validators[index].Power;
        if (_votes[index] is { } existing)
        {
            if (existing.BlockHash == vote.BlockHash || _conflicting[index]?.BlockHash == vote.BlockHash) return AddVoteResult.Duplicate;
            evidence = DuplicateVoteEvidence.Create(existing.ToSigned(), vote.ToSigned());
            if (_conflicting[index] is null)
            {
                _conflicting[index] = vote;
                _powerByHash[vote.BlockHash] = _powerByHash.GetValueOrDefault(vote.BlockHash) + power;
            }
            return AddVoteResult.Conflicting;
        }
        _votes[index] = vote;
        SumPower += power;
        _powerByHash[vote.BlockHash] = _powerByHash.GetValueOrDefault(vote.BlockHash) + power;
        return AddVoteResult.Added;
    }

    /// <summary>Whether this exact vote (signature and extension included) is already kept: a resent copy needs no signature check.</summary>
    public bool Holds(Vote vote)
    {
        var index = _validators.IndexOf(vote.Validator);
        return index >= 0 && (vote.Equals(_votes[index]) || vote.Equals(_conflicting[index]));
    }

    public Vote? VoteOf(PublicKey validator)
    {
        var i = _validators.IndexOf(validator);
        return i < 0 ? null : _votes[i];
    }

    public bool HasVoted(PublicKey validator) => VoteOf(validator) is not null;

    public Int128 PowerFor(Hash32 blockHash) => _powerByHash.GetValueOrDefault(blockHash);

    /// <summary>The value (a block hash, or zero for nil) with more than two thirds of the power, if any, the least hash first. While equivocators hold less than a third, at most one can have it.</summary>
    public Hash32? TwoThirdsMajority()
    {
        foreach (var (hash, power) in _powerByHash)
            if (_validators.HasTwoThirds(power)) return hash;
        return null;
    }

    public bool HasTwoThirdsFor(Hash32 blockHash) => _validators.HasTwoThirds(PowerFor(blockHash));

    /// <summary>"2f+1 ⟨type, h, r, ∗⟩": more than two thirds voted, for anything.</summary>
    public bool HasTwoThirdsAny => _validators.HasTwoThirds(SumPower);

    /// <summary>"f+1": more than one third voted, for anything.</summary>
    public bool HasOneThirdAny => _validators.HasOneThird(SumPower);

    /// <summary>Each validator's first vote, in validator-key order.</summary>
    public IEnumerable<Vote> Votes => _votes.Where(v => v is not null).Select(v => v!);

    /// <summary>The kept votes for <paramref name="blockHash"/> (a validator's first or its conflicting one), in validator-key order: the signatures of a commit.</summary>
    public IEnumerable<Vote> VotesFor(Hash32 blockHash)
    {
        for (var i = 0; i < _votes.Length; i++)
        {
            if (_votes[i] is { } v && v.BlockHash == blockHash) yield return v;
            else if (_conflicting[i] is { } c && c.BlockHash == blockHash) yield return c;
        }
    }
}
