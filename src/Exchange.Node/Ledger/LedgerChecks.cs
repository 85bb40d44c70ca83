using Exchange.Core.Ledger;
using Exchange.Core.State;

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
}
