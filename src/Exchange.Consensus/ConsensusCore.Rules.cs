using Exchange.Core.Crypto;
using Exchange.Core.Ledger;

namespace Exchange.Consensus;

/// <summary>The rules of Algorithm 1, each marked with the paper's line numbers.</summary>
public sealed partial class ConsensusCore
{
    /// <summary>Lines 11-21: StartRound(round).</summary>
    private void StartRound(uint round)
    {
        _round = round;                                                   // line 12
        _step = RoundStep.Propose;                                        // line 13
        if (IsValidator && ProposerOf(round) == _signer.PublicKey)        // line 14
        {
            if (_validValue is not null)                                  // lines 15-16
            {
                Propose(_validValue, _validRound);                        // line 19
                return;
            }
            // Line 18, getValue(): the application builds the block and answers with PayloadReady. The
            // proposer also sets the propose timeout, so a slow application costs a round, not the height.
            _requestedPayloadRound = round;
            _outputs.Add(new ConsensusOutput.RequestPayload(_height, round, _lastCommit, _evidence.Take(Block.MaxEvidence)));
            ScheduleTimeout(RoundStep.Propose);
            return;
        }
        ScheduleTimeout(RoundStep.Propose);                               // line 21
    }

    /// <summary>Lines 57-67: the three timeouts. Each first drops itself when the core has moved on.</summary>
    private void OnTimeout(ConsensusInput.TimeoutElapsed t)
    {
        if (!_started || _decided || t.Height != _height || t.Round != _round) { Drop(DropReason.Stale); return; }
        switch (t.Step)
        {
            case RoundStep.Propose:                                       // lines 57-60
                if (_step != RoundStep.Propose) { Drop(DropReason.Stale); return; }
                CastVote(VoteType.Prevote, Hash32.Zero);
                _step = RoundStep.Prevote;
                break;
            case RoundStep.Prevote:                                       // lines 61-64
                if (_step != RoundStep.Prevote) { Drop(DropReason.Stale); return; }
                CastVote(VoteType.Precommit, Hash32.Zero);
                _step = RoundStep.Precommit;
                break;
            case RoundStep.Precommit:                                     // lines 65-67
                StartRound(_round + 1);
                break;
            default: throw new ArgumentOutOfRangeException(nameof(t), t.Step, "unknown step");
        }
    }

    /// <summary>Fires the upon-rules until none applies. Each rule that changes state returns true.</summary>
    private void RunRules()
    {
        while (!_decided && FireOne()) { }
    }

    private bool FireOne() =>
        TryDecide() || TrySkipRound() || TryPrevoteOnProposal() || TryPrevoteOnProofOfLock() ||
        TrySchedulePrevoteTimeout() || TryLockOrUpdateValid() || TryPrecommitNil() || TrySchedulePrecommitTimeout();

    /// <summary>Lines 49-54: a proposal for v and 2f+1 precommits for id(v) in any round r decide v, if valid(v).</summary>
    private bool TryDecide()
    {
        foreach (var r in _votes.Rounds.ToArray())
        {
            var precommits = _votes.Precommits(r);
            if (precommits.TwoThirdsMajority() is not { } hash || hash == Hash32.Zero) continue;
            if (!_blocks.TryGetValue(hash, out var block) || Valid(hash) != true) continue;   // line 50
            var signatures = precommits.VotesFor(hash)
                .Select(v => new CommitSignature(v.Validator, v.Signature, v.Extension));
            var commit = Commit.Create(_height, r, hash, signatures);
            _decided = true;                                                                   // line 51
            _lastCommit = commit;
            _evidence.MarkCommitted(block.EvidenceList);
            _outputs.Add(new ConsensusOutput.CommitBlock(block, commit));
            // Lines 52-54 (next height, reset, StartRound(0)) run when the node sends Start(h+1) with that
            // height's validator set, after it has applied the block.
            return true;
        }
        return false;
    }

    /// <summary>Lines 55-56: f+1 messages from a round above round_p make the core start that round.</summary>
    private bool TrySkipRound()
    {
        foreach (var r in _votes.Rounds.Reverse().ToArray())
        {
            if (r <= _round) break;
            var proposer = _proposals.TryGetValue(r, out var p) ? p.Proposer : (PublicKey?)null;
            if (!_validators.HasOneThird(_votes.PowerOfSenders(r, proposer))) continue;
            StartRound(r);
            return true;
        }
        return false;
    }

    /// <summary>Lines 22-27: a fresh proposal (vr = -1) in the propose step is prevoted if valid and compatible with the lock.</summary>
    private bool TryPrevoteOnProposal()
    {
        if (_step != RoundStep.Propose || !_proposals.TryGetValue(_round, out var p) || p.PolRound != -1) return false;
        var hash = p.BlockHash;
        if (Valid(hash) is not { } valid) return false;
        var accept = valid && (_lockedRound == -1 || _lockedValue!.Hash() == hash);        // line 23
        CastVote(VoteType.Prevote, accept ? hash : Hash32.Zero);                         // lines 24 and 26
        _step = RoundStep.Prevote;                                                       // line 27
        return true;
    }

    /// <summary>Lines 28-33: a re-proposal with 2f+1 prevotes for it in round vr &lt; round_p unlocks a validator locked in a round ≤ vr.</summary>
    private bool TryPrevoteOnProofOfLock()
    {
        if (_step != RoundStep.Propose || !_proposals.TryGetValue(_round, out var p) || p.PolRound < 0) return false;
        var vr = (uint)p.PolRound;
        var hash = p.BlockHash;
        if (!_votes.Prevotes(vr).HasTwoThirdsFor(hash)) return false;                   // line 28
        if (Valid(hash) is not { } valid) return false;
        var accept = valid && (_lockedRound <= p.PolRound || _lockedValue!.Hash() == hash); // line 29
        CastVote(VoteType.Prevote, accept ? hash : Hash32.Zero);                         // lines 30 and 32
        _step = RoundStep.Prevote;                                                       // line 33
        return true;
    }

    /// <summary>Lines 34-35: 2f+1 prevotes of any kind in the prevote step start the prevote timeout, once per round.</summary>
    private bool TrySchedulePrevoteTimeout()
    {
        if (_step != RoundStep.Prevote || _prevoteTimeoutRound == _round || !_votes.Prevotes(_round).HasTwoThirdsAny) return false;
        _prevoteTimeoutRound = _round;
        ScheduleTimeout(RoundStep.Prevote);
        return true;
    }

    /// <summary>Lines 36-43: a valid proposal with 2f+1 prevotes for it (a proof of lock) locks it if still prevoting, and makes it the valid value.</summary>
    private bool TryLockOrUpdateValid()
    {
        if (_step < RoundStep.Prevote || _polRound == _round || !_proposals.TryGetValue(_round, out var p)) return false;
        var hash = p.BlockHash;
        if (!_votes.Prevotes(_round).HasTwoThirdsFor(hash) || Valid(hash) != true) return false;
        _polRound = _round;
        if (_step == RoundStep.Prevote)                                                  // line 37
        {
            _lockedValue = p.Block;                                                      // line 38
            _lockedRound = (int)_round;                                                  // line 39
            CastVote(VoteType.Precommit, hash);                                          // line 40
            _step = RoundStep.Precommit;                                                 // line 41
        }
        _validValue = p.Block;                                                           // line 42
        _validRound = (int)_round;                                                       // line 43
        return true;
    }

    /// <summary>Lines 44-46: 2f+1 prevotes for nil in the prevote step: precommit nil.</summary>
    private bool TryPrecommitNil()
    {
        if (_step != RoundStep.Prevote || !_votes.Prevotes(_round).HasTwoThirdsFor(Hash32.Zero)) return false;
        CastVote(VoteType.Precommit, Hash32.Zero);                                       // line 45
        _step = RoundStep.Precommit;                                                     // line 46
        return true;
    }

    /// <summary>Lines 47-48: 2f+1 precommits of any kind in round_p start the precommit timeout, once per round.</summary>
    private bool TrySchedulePrecommitTimeout()
    {
        if (_precommitTimeoutRound == _round || !_votes.Precommits(_round).HasTwoThirdsAny) return false;
        _precommitTimeoutRound = _round;
        ScheduleTimeout(RoundStep.Precommit);
        return true;
    }
}
