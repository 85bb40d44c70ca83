using Exchange.Core.Crypto;
using Exchange.Core.Ledger;

namespace Exchange.Consensus;

/// <summary>
/// All prevote and precommit sets of one height, by round (CometBFT's HeightVoteSet). Rounds up to
/// round_p + 1 are open to everyone; a round further ahead is opened only by a validator that has opened
/// fewer than the catch-up limit of such rounds, so one validator can make at most that many extra rounds.
/// </summary>
public sealed class HeightVotes(ulong height, ValidatorSet validators, int maxCatchupRounds)
{
    private readonly SortedDictionary<uint, (VoteSet Prevotes, VoteSet Precommits)> _rounds = new();
    private readonly SortedDictionary<PublicKey, SortedSet<uint>> _catchup = new();

    /// <summary>Whether a vote of <paramref name="validator"/> for <paramref name="round"/> may be stored while at <paramref name="currentRound"/>.</summary>
    public bool Admits(PublicKey validator, uint round, uint currentRound)
    {
        if (round <= (ulong)currentRound + 1 || _rounds.ContainsKey(round)) return true;
        if (_catchup.TryGetValue(validator, out var rounds) && rounds.Contains(round)) return true;
        return rounds is null || rounds.Count < maxCatchupRounds;
    }

    /// <summary>Adds a verified vote that <see cref="Admits"/> accepted.</summary>
    public AddVoteResult Add(Vote vote, uint currentRound, out DuplicateVoteEvidence? evidence)
    {
        if (vote.Round > (ulong)currentRound + 1 && !_rounds.ContainsKey(vote.Round))
        {
            if (!_catchup.TryGetValue(vote.Validator, out var rounds)) _catchup[vote.Validator] = rounds = new SortedSet<uint>();
            rounds.Add(vote.Round);
        }
        var set = Get(vote.Round, vote.Type);
        return set.Add(vote, out evidence);
    }

    /// <summary>Whether this exact vote is already kept (without opening a round for it).</summary>
    public bool Holds(Vote vote) =>
        _rounds.TryGetValue(vote.Round, out var sets) && (vote.Type == VoteType.Prevote ? sets.Prevotes : sets.Precommits).Holds(vote);

    public VoteSet Prevotes(uint round) => Get(round, VoteType.Prevote);
    public VoteSet Precommits(uint round) => Get(round, VoteType.Precommit);

    /// <summary>Rounds that hold any vote, ascending.</summary>
    public IEnumerable<uint> Rounds => _rounds.Keys;

    /// <summary>Voting power of the distinct validators that sent any vote in <paramref name="round"/>, plus <paramref name="alsoSent"/> (the proposer, when its proposal arrived).</summary>
    public Int128 PowerOfSenders(uint round, PublicKey? alsoSent)
    {
        if (!_rounds.TryGetValue(round, out var sets)) return alsoSent is { } k ? validators.PowerOf(k) : 0;
        Int128 power = 0;
        foreach (var v in validators.Validators)
            if (sets.Prevotes.HasVoted(v.Key) || sets.Precommits.HasVoted(v.Key) || v.Key == alsoSent) power += v.Power;
        return power;
    }

    private VoteSet Get(uint round, VoteType type)
    {
        if (!_rounds.TryGetValue(round, out var sets))
            _rounds[round] = sets = (new VoteSet(height, round, VoteType.Prevote, validators), new VoteSet(height, round, VoteType.Precommit, validators));
        return type == VoteType.Prevote ? sets.Prevotes : sets.Precommits;
    }
}
