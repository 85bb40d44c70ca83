using Exchange.Core.Ledger;
using Exchange.Consensus;
using Exchange.Core.Crypto;

namespace Exchange.Node.Validator;

/// <summary>What the <see cref="HeightGossip"/> did with a message offered for the next height.</summary>
public enum BufferResult
{
    Buffered = 0,
    Duplicate = 1,
    Full = 2,
}

/// <summary>
/// The messages of the height a validator is deciding that its gossip needs, as the simulator's node keeps them
/// (docs/consensus.md): the messages it signed (resent while the height is stuck), peers' messages that passed the
/// core's checks (relayed from the rounds that matter), the identities of everything taken in (so a relayed copy is
/// dropped before its signature is checked again), and messages for the next height that arrived early.
/// <para>Denial-of-service limits: only messages that passed the core's checks are remembered, so memory follows
/// the core's own limits (two votes per validator and type per round, rounds bounded by the catch-up limit, one
/// proposal per round); early messages are capped by <see cref="MaxEarlyVotes"/> and <see cref="MaxEarlyProposals"/>,
/// and what does not fit is dropped (gossip sends it again once the height is reached).</para>
/// </summary>
public sealed class HeightGossip(int maxEarlyVotes, int maxEarlyProposals)
{
    private readonly List<IConsensusMessage> _own = [];
    private readonly List<IConsensusMessage> _relay = [];
    private readonly HashSet<object> _seen = [];
    private readonly List<IConsensusMessage> _early = [];
    private readonly HashSet<object> _earlySeen = [];
    private int _earlyProposals;

    public int MaxEarlyVotes { get; } = maxEarlyVotes;
    public int MaxEarlyProposals { get; } = maxEarlyProposals;

    public ulong Height { get; private set; }

    /// <summary>What this validator signed at <see cref="Height"/>, in the order it signed.</summary>
    public IReadOnlyList<IConsensusMessage> Own => _own;

    /// <summary>Peers' messages of <see cref="Height"/> that passed the core's checks, in arrival order.</summary>
    public IReadOnlyList<IConsensusMessage> Relay => _relay;

    public int EarlyCount => _early.Count;

    /// <summary>Moves to <paramref name="height"/>: forgets the old height and returns the early messages for the new one, in arrival order.</summary>
    public IReadOnlyList<IConsensusMessage> Reset(ulong height)
    {
        Height = height;
        _own.Clear();
        _relay.Clear();
        _seen.Clear();
        var early = _early.Where(m => m.Height == height).ToList();
        _early.Clear();
        _earlySeen.Clear();
        _earlyProposals = 0;
        return early;
    }

    /// <summary>Whether this exact message was already taken in at this height.</summary>
    public bool Seen(IConsensusMessage message) => _seen.Contains(KeyOf(message));

    public void AddOwn(IConsensusMessage message)
    {
        if (_seen.Add(KeyOf(message))) _own.Add(message);
    }

    /// <summary>Remembers a peer's message that passed the core's checks, once.</summary>
    public void AddPassed(IConsensusMessage message)
    {
        if (_seen.Add(KeyOf(message))) _relay.Add(message);
    }

    /// <summary>Keeps a message of the next height until the validator gets there.</summary>
    public BufferResult Buffer(IConsensusMessage message)
    {
        var key = KeyOf(message);
        if (_earlySeen.Contains(key)) return BufferResult.Duplicate;
        var isProposal = message is Proposal;
        if (isProposal ? _earlyProposals >= MaxEarlyProposals : _early.Count - _earlyProposals >= MaxEarlyVotes) return BufferResult.Full;
        _earlySeen.Add(key);
        _early.Add(message);
        if (isProposal) _earlyProposals++;
        return BufferResult.Buffered;
    }

    /// <summary>
    /// Peers' messages worth relaying while the height is stuck: those of the current and previous round, and of the
    /// locked and valid rounds (a re-proposal needs its proof-of-lock prevotes, line 28 of Algorithm 1).
    /// </summary>
    public IEnumerable<IConsensusMessage> RelayFor(uint round, int lockedRound, int validRound) =>
        _relay.Where(m => m.Round == round || (ulong)m.Round + 1 == round || m.Round == lockedRound || m.Round == validRound);

    /// <summary>A message's identity: what its signature covers, and the signature (a vote's extension has one of its own).</summary>
    private static object KeyOf(IConsensusMessage message) => message switch
    {
        Vote v => new VoteKey(v.Type, v.Height, v.Round, v.BlockHash, v.Validator, v.Signature, v.Extension?.Signature),
        Proposal p => new ProposalKey(p.Height, p.Round, p.PolRound, p.BlockHash, p.Proposer, p.Signature),
        _ => throw new ArgumentOutOfRangeException(nameof(message), message, "unknown consensus message"),
    };

    private readonly record struct VoteKey(VoteType Type, ulong Height, uint Round, Hash32 BlockHash, PublicKey Validator, Signature Signature, Signature? Extension);

    private readonly record struct ProposalKey(ulong Height, uint Round, int PolRound, Hash32 BlockHash, PublicKey Proposer, Signature Signature);
}
