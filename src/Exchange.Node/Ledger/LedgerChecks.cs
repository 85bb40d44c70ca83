using Exchange.Core.Ledger;
using Exchange.Core.State;
using Exchange.Node.Crypto;

namespace Exchange.Node.Ledger;

/// <summary>
/// What the ledger checks before a block touches the state, live and during recovery: the chain, the next height, a
/// later time, the app hash the header claims for the previous block, and that the commit names this block. Each
/// failure is one the state machine would otherwise halt on, or one that would store a block under the wrong commit.
/// The commit's signatures and power are the caller's to verify: they need the validator set.
/// </summary>
public static class LedgerChecks
{
    public static BlockRejected? Check(ExchangeState state, Block block, Commit commit)
    {
        var header = block.Header;
        if (header.ChainId != state.Genesis.ChainId)
            return new(header.Height, BlockRejection.WrongChain, $"block for chain '{header.ChainId}' offered to the ledger of '{state.Genesis.ChainId}'");
        if (header.Height != state.Height + 1)
            return new(header.Height, BlockRejection.WrongHeight, $"block {header.Height} offered at ledger height {state.Height}; the next block is {state.Height + 1}");
        if (header.TimeUnixMs <= state.TimeUnixMs)
            return new(header.Height, BlockRejection.TimeNotAfter, $"block {header.Height} has time {header.TimeUnixMs}, not after the previous block's {state.TimeUnixMs}");
        if (header.AppHash != state.AppHash)
            return new(header.Height, BlockRejection.AppHashMismatch,
                $"block {header.Height} says the state after height {state.Height} has app hash {header.AppHash}; this ledger computed {state.AppHash}");
        if (commit.Height != header.Height || commit.BlockHash != block.Hash())
            return new(header.Height, BlockRejection.CommitMismatch, $"the commit is for height {commit.Height} and block {commit.BlockHash}, not block {header.Height} ({block.Hash()})");
        return null;
    }

    /// <summary>
    /// valid(v) for a proposed block at the ledger's next height: its own checks, the chain, height, a later time, the
    /// app hash after the ledger's tip, the tip as its parent, the validator set that signs this height, a last commit
    /// for the tip that verifies against the set that signed it, and evidence the state admits. Transaction signatures
    /// are the caller's (they are verified in batches off the ledger's thread). Null when the block is acceptable.
    /// </summary>
    public static string? CheckProposal(ExchangeState state, Block block, BlockCommitted? tip, StakeSchedule schedule)
    {
        var own = block.Validate();
        if (!own.IsValid) return $"the block fails its own checks: {own}";
        var header = block.Header;
        if (Check(state, block, Commit.Empty) is { Code: not BlockRejection.CommitMismatch } rejected) return rejected.Reason;
        var tipHash = tip?.Block.Hash() ?? default;
        if (header.PrevBlockHash != tipHash) return $"block {header.Height} names parent {header.PrevBlockHash}, the ledger's tip is {tipHash}";
        if (header.ValidatorsHash != schedule.Schedule.Validators.Hash()) return $"block {header.Height} names another validator set";
        if (state.Height == 0)
        {
            if (!block.LastCommit.IsEmpty) return "block 1 carries a last commit";
        }
        else if (tip is null || block.LastCommit.Hash() != tip.Commit.Hash())
        {
            var signers = schedule.Previous ?? schedule.Schedule.Validators;
            // Most of these precommits arrived as votes and were verified then (VerifiedSignatures).
            var check = block.LastCommit.Verify(state.Genesis.ChainId, state.Height, tipHash, signers.PowerByKey(), signers.TotalPower,
                VerifiedSignatures.Shared.Verify);
            if (check != CommitCheck.Valid) return $"block {header.Height}'s last commit does not prove block {state.Height}: {check}";
        }
        var evidence = state.ValidateEvidence(block);
        return evidence.IsValid ? null : $"block {header.Height} carries evidence the state refuses: {evidence}";
    }

    /// <summary>A synced block's commit: signed by more than two thirds of the set that signs its height.</summary>
    public static string? CheckCommitSignatures(ExchangeState state, Block block, Commit commit, StakeSchedule schedule)
    {
        var set = schedule.Schedule.Validators;
        var check = commit.Verify(state.Genesis.ChainId, block.Header.Height, block.Hash(), set.PowerByKey(), set.TotalPower, VerifiedSignatures.Shared.Verify);
        return check == CommitCheck.Valid ? null : $"the commit for block {block.Header.Height} does not verify: {check}";
    }
}
