using Exchange.Core.Crypto;
using Exchange.Core.Ledger;

namespace Exchange.Node.Ledger;

/// <summary>
/// The ledger's one event: a committed block, its own commit, and the app hash this node computed by applying it.
/// The journal's sequence number is the block's height. Recovery applies the block again and halts when it computes
/// another app hash. Stored with <see cref="LedgerSerializer"/> (the Core codec), never JSON.
/// </summary>
public sealed record BlockCommitted(Block Block, Commit Commit, Hash32 AppHash)
{
    public ulong Height => Block.Header.Height;
}

/// <summary>
/// A snapshot of the whole state after block <paramref name="Height"/>: <see cref="Exchange.Core.State.ExchangeState.Snapshot"/>'s
/// bytes, with the height and app hash they must restore to, and the validator schedule (<see cref="StakeSchedule"/>)
/// as it stood, whose proposer priorities cannot be rebuilt from the state alone, and the block at that height, which
/// the next proposal must name as its parent.
/// </summary>
public sealed record LedgerSnapshot(ulong Height, Hash32 AppHash, byte[] State, byte[] Schedule, BlockCommitted? Tip);
