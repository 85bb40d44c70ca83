using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.Oracle;

namespace Exchange.Consensus;

/// <summary>
/// Tendermint consensus ("The latest gossip on BFT consensus", Buchman, Kwon, Milosevic 2018, Algorithm 1)
/// as a pure state machine: <see cref="Handle"/> takes one input and returns the outputs it caused. It is the
/// only writer of the round state; it reads no clock (timeouts are inputs naming their height, round and
/// step) and does no I/O except through <see cref="IPrivValidator"/>, whose store persists every signature
/// before it is returned. This file checks inputs and keeps the state; the rules of the paper are in
/// ConsensusCore.Rules.cs.
/// <para>
/// Own messages are delivered to the core itself through the same queue as everyone else's, after it
/// has finished with the input at hand, so every message passes the same checks.
/// </para>
/// </summary>
public sealed partial class ConsensusCore
{
    private readonly ConsensusConfig _config;
    private readonly IPrivValidator _signer;
    private readonly EvidencePool _evidence = new();
    private readonly Queue<ConsensusInput> _queue = new();
    private readonly SortedDictionary<DropReason, long> _dropped = new();
    private List<ConsensusOutput> _outputs = [];

    // The round state of Algorithm 1 (lines 1-9).
    private bool _started;
    private ulong _height;
    private uint _round;
    private RoundStep _step;
    private bool _decided;
    private Block? _lockedValue;
    private int _lockedRound = -1;
    private Block? _validValue;
    private int _validRound = -1;

    // What this height has seen.
    private ValidatorSet _validators = null!;
    private readonly List<ValidatorSet> _proposerByRound = [];
    private HeightVotes _votes = null!;
    private readonly SortedDictionary<uint, Proposal> _proposals = new();
    private readonly SortedDictionary<Hash32, Block> _blocks = new();
    private readonly SortedDictionary<Hash32, bool> _verdicts = new();
    private readonly SortedSet<Hash32> _validationRequested = new();
    private Commit _lastCommit = Commit.Empty;
    private PriceObservation? _extension;

    // "for the first time" of lines 34, 36 and 47: the round in which each rule last fired.
    private long _prevoteTimeoutRound = -1;
    private long _polRound = -1;
    private long _precommitTimeoutRound = -1;
    private long _requestedPayloadRound = -1;

    public ConsensusCore(ConsensusConfig config, IPrivValidator signer)
    {
        _config = config;
        _signer = signer;
    }

    public ulong Height => _height;
    public uint Round => _round;
    public RoundStep Step => _step;
    public bool Decided => _decided;
    public int LockedRound => _lockedRound;
    public Hash32? LockedValue => _lockedValue?.Hash();
    public int ValidRound => _validRound;
    public Hash32? ValidValue => _validValue?.Hash();
    public EvidencePool Evidence => _evidence;
    public IReadOnlyDictionary<DropReason, long> Dropped => _dropped;
    public long DroppedCount(DropReason reason) => _dropped.GetValueOrDefault(reason);

    /// <summary>proposer(h_p, round): the set's proposer after <paramref name="round"/> further rotation steps (CometBFT).</summary>
    public PublicKey ProposerOf(uint round)
    {
        if (!_started) throw new InvalidOperationException("no height has started");
        while (_proposerByRound.Count <= (int)Math.Min(round, int.MaxValue - 1))
            _proposerByRound.Add(_proposerByRound[^1].IncrementProposerPriority(1));
        return _proposerByRound[(int)round].Proposer.Key;
    }

    /// <summary>Processes one input, and every own message it leads to, and returns the outputs in order.</summary>
    public IReadOnlyList<ConsensusOutput> Handle(ConsensusInput input)
    {
        _outputs = [];
        _queue.Enqueue(input);
        while (_queue.TryDequeue(out var next))
        {
            Apply(next);
            if (_started && !_decided) RunRules();
        }
        return _outputs;
    }

    private void Apply(ConsensusInput input)
    {
        switch (input)
        {
            case ConsensusInput.Start s: OnStart(s); break;
            case ConsensusInput.ProposalReceived p: OnProposal(p.Proposal); break;
            case ConsensusInput.VoteReceived v: OnVote(v.Vote); break;
            case ConsensusInput.TimeoutElapsed t: OnTimeout(t); break;
            case ConsensusInput.PayloadReady p: OnPayload(p); break;
            case ConsensusInput.BlockValidated b: OnVerdict(b); break;
            case ConsensusInput.ExtensionReady e: _extension = e.Observation; break;
            case ConsensusInput.EvidenceReceived e: OnEvidence(e.Evidence); break;
            default: throw new ArgumentOutOfRangeException(nameof(input), input, "unknown consensus input");
        }
    }

    private void Drop(DropReason reason) => _dropped[reason] = _dropped.GetValueOrDefault(reason) + 1;

    private void OnStart(ConsensusInput.Start s)
    {
        if (s.Height == 0 || (_started && s.Height <= _height)) { Drop(DropReason.Stale); return; }
        _started = true;
        _height = s.Height;
        _validators = s.Validators;
        _proposerByRound.Clear();
        _proposerByRound.Add(s.Validators);
        _votes = new HeightVotes(s.Height, s.Validators, _config.MaxCatchupRoundsPerValidator);
        _proposals.Clear();
        _blocks.Clear();
        _verdicts.Clear();
        _validationRequested.Clear();
        _lastCommit = s.LastCommit;
        _decided = false;
        var maxAge = (ulong)_config.EvidenceMaxAgeHeights;
        _evidence.Prune(s.Height > maxAge ? s.Height - maxAge : 0);
        // Line 53: reset the locked and valid values for the new height.
        _lockedValue = null;
        _lockedRound = -1;
        _validValue = null;
        _validRound = -1;
        _prevoteTimeoutRound = _polRound = _precommitTimeoutRound = _requestedPayloadRound = -1;
        StartRound(0);
    }

    private void OnProposal(Proposal p)
    {
        if (!_started) { Drop(DropReason.NotStarted); return; }
        if (!p.Validate().IsValid) { Drop(DropReason.InvalidMessage); return; }
        if (p.Height != _height) { Drop(DropReason.WrongHeight); return; }
        // Blocks are large: only the next round's proposal is taken ahead of time; past rounds are one per round.
        if (p.Round > (ulong)_round + 1) { Drop(DropReason.RoundTooFarAhead); return; }
        if (ProposerOf(p.Round) != p.Proposer) { Drop(DropReason.NotProposer); return; }
        if (!p.VerifySignature(_config.ChainId, _config.Verifier)) { Drop(DropReason.BadSignature); return; }
        if (_proposals.TryGetValue(p.Round, out var known))
        {
            if (known.BlockHash != p.BlockHash || known.PolRound != p.PolRound)
            {
                // The first proposal stays the round's proposal; the second only proves the equivocation.
                Drop(DropReason.Equivocation);
                Found(DuplicateProposalEvidence.Create(known.ToSigned(), p.ToSigned()));
            }
            return;
        }
        _proposals[p.Round] = p;
        var hash = p.BlockHash;
        _blocks.TryAdd(hash, p.Block);
        RequestValidation(hash);
    }

    private void OnVote(Vote v)
    {
        if (!_started) { Drop(DropReason.NotStarted); return; }
        if (!v.Validate().IsValid) { Drop(DropReason.InvalidMessage); return; }
        if (v.Height != _height) { Drop(DropReason.WrongHeight); return; }
        if (!_validators.Contains(v.Validator)) { Drop(DropReason.UnknownValidator); return; }
        if (!_votes.Admits(v.Validator, v.Round, _round)) { Drop(DropReason.RoundTooFarAhead); return; }
        // Gossip resends votes: a copy of a vote already verified and kept changes nothing and costs no signature check (CometBFT's VoteSet does the same).
        if (_votes.Holds(v)) { Drop(DropReason.Duplicate); return; }
        if (!v.VerifySignatures(_config.ChainId, _config.Verifier)) { Drop(DropReason.BadSignature); return; }
        var result = _votes.Add(v, _round, out var evidence);
        switch (result)
        {
            case AddVoteResult.Added or AddVoteResult.Duplicate: break;
            case AddVoteResult.Conflicting:
                Drop(DropReason.Equivocation);
                Found(evidence!);
                break;
            default: throw new InvalidOperationException($"vote checks passed but the vote set answered {result}");
        }
    }

    /// <summary>Evidence this core found itself: pooled for its next proposal and reported once, for the node to gossip.</summary>
    private void Found(EquivocationEvidence evidence)
    {
        if (_evidence.Add(evidence)) _outputs.Add(new ConsensusOutput.EvidenceFound(evidence));
    }

    /// <summary>
    /// Evidence from a peer: pooled if well formed and signed for this chain, not from a later height, and, when it is
    /// of the current height, against a member of the current set. Older heights' sets are the ledger's to check: the
    /// application filters what the proposer offers.
    /// </summary>
    private void OnEvidence(EquivocationEvidence evidence)
    {
        if (!_started) { Drop(DropReason.NotStarted); return; }
        if (!evidence.Validate().IsValid) { Drop(DropReason.InvalidMessage); return; }
        if (evidence.Height > _height) { Drop(DropReason.WrongHeight); return; }
        if (evidence.Height == _height && !_validators.Contains(evidence.Offender)) { Drop(DropReason.UnknownValidator); return; }
        if (_evidence.Knows(evidence.Offence)) return;
        if (!evidence.Verify(_config.ChainId).IsValid) { Drop(DropReason.BadSignature); return; }
        _evidence.Add(evidence);
    }

    private void OnPayload(ConsensusInput.PayloadReady p)
    {
        var stale = !_started || _decided || p.Height != _height || p.Round != _round || _step != RoundStep.Propose ||
            _requestedPayloadRound != _round || _proposals.ContainsKey(_round);
        if (stale) { Drop(DropReason.Stale); return; }
        if (p.Block.Header.Height != _height) { Drop(DropReason.InvalidMessage); return; }
        var hash = p.Block.Hash();
        _verdicts[hash] = true;     // the application built it
        _validationRequested.Add(hash);
        Propose(p.Block, -1);
    }

    private void OnVerdict(ConsensusInput.BlockValidated b)
    {
        if (!_started || !_blocks.ContainsKey(b.BlockHash)) { Drop(DropReason.Stale); return; }
        _verdicts.TryAdd(b.BlockHash, b.Valid);
    }

    private void RequestValidation(Hash32 hash)
    {
        if (_verdicts.ContainsKey(hash) || !_validationRequested.Add(hash)) return;
        _outputs.Add(new ConsensusOutput.ValidateBlock(_blocks[hash]));
    }

    /// <summary>valid(v): true or false once the application answered, null while it has not.</summary>
    private bool? Valid(Hash32 hash)
    {
        if (_verdicts.TryGetValue(hash, out var valid)) return valid;
        if (_blocks.ContainsKey(hash)) RequestValidation(hash);
        return null;
    }

    private void Propose(Block block, int polRound)
    {
        var unsigned = new Proposal(_height, _round, polRound, block, _signer.PublicKey, Signature.Empty);
        var signed = _signer.SignProposal(_config.ChainId, unsigned);
        if (signed is null) { Drop(DropReason.SignRefused); return; }
        _outputs.Add(new ConsensusOutput.Broadcast(signed));
        _queue.Enqueue(new ConsensusInput.ProposalReceived(signed));
    }

    /// <summary>Signs (the signer persists first), broadcasts, and delivers the vote to this core too.</summary>
    private void CastVote(VoteType type, Hash32 blockHash)
    {
        if (!IsValidator) return;   // a full node follows the rules but has no vote
        PriceObservation? extension = null;
        if (type == VoteType.Precommit && blockHash != Hash32.Zero && _extension is { } obs && obs.Height == _height && obs.Validator == _signer.PublicKey)
            extension = _signer.SignExtension(_config.ChainId, obs);
        var unsigned = new Vote(type, _height, _round, blockHash, _signer.PublicKey, extension, Signature.Empty);
        var signed = _signer.SignVote(_config.ChainId, unsigned);
        if (signed is null) { Drop(DropReason.SignRefused); return; }
        _outputs.Add(new ConsensusOutput.Broadcast(signed));
        _queue.Enqueue(new ConsensusInput.VoteReceived(signed));
    }

    private void ScheduleTimeout(RoundStep step) =>
        _outputs.Add(new ConsensusOutput.ScheduleTimeout(_height, _round, step, _config.Timeouts.Duration(step, _round)));

    private bool IsValidator => _validators.Contains(_signer.PublicKey);
}
