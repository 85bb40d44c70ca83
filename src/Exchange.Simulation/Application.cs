using Exchange.Consensus;
using Exchange.Core.Crypto;
using Exchange.Core.Ledger;

namespace Exchange.Simulation;

/// <summary>
/// The application each simulated node runs in place of the exchange: it builds transaction-free blocks that
/// chain to the node's committed history, and accepts a block only when it does. Its state after a block is a
/// hash of that block, so a block with any other app hash is one the application rejects (valid(v) false).
/// </summary>
public static class Application
{
    public const string AppHashTag = "exchange/sim-app/v1";

    /// <summary>The state the block at the next height must name: derived from the previous block's hash.</summary>
    public static Hash32 StateAfter(Hash32 previousBlock) => Hash32.Tagged(AppHashTag, previousBlock.ToArray());

    public static Block Build(ulong height, uint round, long timeMs, Commit lastCommit, ValidatorSet validators, PublicKey proposer, Hash32? appHash = null)
    {
        var prev = lastCommit.IsEmpty ? Hash32.Zero : lastCommit.BlockHash;
        var header = new BlockHeader(Simulation.ChainId, height, round, timeMs, prev, Block.ComputeTxRoot([]), appHash ?? StateAfter(prev),
            validators.Hash(), proposer, Block.ComputeLiquidationsHash([]), lastCommit.IsEmpty ? Hash32.Zero : lastCommit.Hash());
        return new Block(header, [], lastCommit);
    }

    /// <summary>
    /// valid(v) at a node whose committed chain is <paramref name="chain"/>: the block's own checks pass, it is the
    /// next height, names the previous committed block and the state after it, carries a commit for that block
    /// that verifies against the previous height's validators, and names this height's validator set.
    /// <paramref name="verifications"/> counts the signature checks made.
    /// </summary>
    public static bool Accepts(Block block, IReadOnlyList<(Block Block, Commit Commit)> chain, Func<ulong, ValidatorSet> validatorsAt, ref long verifications)
    {
        var h = (ulong)chain.Count + 1;
        var header = block.Header;
        if (header.Height != h || header.ChainId != Simulation.ChainId || !block.Validate().IsValid) return false;
        var prev = chain.Count == 0 ? Hash32.Zero : chain[^1].Block.Hash();
        if (header.PrevBlockHash != prev || header.AppHash != StateAfter(prev) || header.ValidatorsHash != validatorsAt(h).Hash()) return false;
        if (chain.Count == 0) return block.LastCommit.IsEmpty;
        if (header.TimeUnixMs < chain[^1].Block.Header.TimeUnixMs) return false;
        // A commit the node already holds for that block was verified when it was made or received.
        if (block.LastCommit.Hash() == chain[^1].Commit.Hash()) return true;
        var set = validatorsAt(h - 1);
        verifications += block.LastCommit.Signatures.Count;
        return block.LastCommit.Verify(Simulation.ChainId, h - 1, prev, set.PowerByKey(), set.TotalPower) == CommitCheck.Valid;
    }
}
