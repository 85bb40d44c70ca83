using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.State;
using Exchange.Node.Serialization;

namespace Exchange.Node.Ledger;

/// <summary>Every message the ledger actor takes or answers.</summary>
public interface ILedgerMessage;

/// <summary>
/// Store and apply a block that consensus committed at the ledger's next height. <paramref name="Commit"/> is the
/// block's own commit (its +2/3 precommits), not the previous one the block carries. The caller has verified the
/// transactions' signatures and the commit's signatures and voting power against the validator set; the ledger
/// checks only that the commit names this block. Answered by <see cref="BlockApplied"/> once the block is durable
/// in the journal, or by <see cref="BlockRejected"/>.
/// </summary>
public sealed record CommitBlock(Block Block, Commit Commit) : ILedgerMessage;

/// <summary>
/// A block is in the journal and applied: the reply to <see cref="CommitBlock"/>, also published on the actor
/// system's event stream for read models in this process. <see cref="AppHash"/> is the state after the block,
/// what the next block's header must carry.
/// </summary>
public sealed record BlockApplied(ulong Height, Hash32 AppHash, Block Block, IReadOnlyList<StateEvent> Events) : ILedgerMessage
{
    /// <summary>The validator set that signs height <see cref="Height"/> + 1 (see <see cref="StakeSchedule"/>).</summary>
    public Exchange.Consensus.ValidatorSet? NextValidators { get; init; }

    /// <summary>The commit that made the block final.</summary>
    public Commit? Commit { get; init; }
}

/// <summary>Asks for the validator schedule after the last applied block; answered with <see cref="ScheduleAt"/>.</summary>
public sealed record GetSchedule : ILedgerMessage
{
    public static readonly GetSchedule Instance = new();
}

/// <summary>The schedule after block <paramref name="Height"/>: its <c>Validators</c> sign <paramref name="Height"/> + 1.</summary>
public sealed record ScheduleAt(ulong Height, Exchange.Consensus.ValidatorSchedule Schedule) : ILedgerMessage;

/// <summary>Why the ledger refused a block; in every case it stored and changed nothing.</summary>
public enum BlockRejection
{
    /// <summary>The block is not at the ledger's next height.</summary>
    WrongHeight = 1,
    /// <summary>The block is for another chain.</summary>
    WrongChain = 2,
    /// <summary>The block's time is not after the previous block's.</summary>
    TimeNotAfter = 3,
    /// <summary>The commit is for another height or another block.</summary>
    CommitMismatch = 4,
    /// <summary>The header's app hash is not the one this ledger computed for the previous block: this node's state has diverged.</summary>
    AppHashMismatch = 5,
    /// <summary>The state machine refused the block; the ledger has halted.</summary>
    Halted = 6,
    /// <summary>A synced block's commit is not signed by more than two thirds of its height's validators.</summary>
    CommitNotSigned = 7,
}

public sealed record BlockRejected(ulong Height, BlockRejection Code, string Reason) : ILedgerMessage;

/// <summary>Asks for the ledger's height and app hash; answered by <see cref="LedgerStatus"/>.</summary>
public sealed record GetStatus : ILedgerMessage, IWireMessage
{
    public static readonly GetStatus Instance = new();
}

/// <param name="Height">The last applied block; 0 at genesis.</param>
/// <param name="AppHash">The state after that block.</param>
/// <param name="TimeUnixMs">That block's agreed time (the genesis time at height 0).</param>
public sealed record LedgerStatus(ulong Height, Hash32 AppHash, long TimeUnixMs) : ILedgerMessage, IWireMessage;

/// <summary>Asks for one committed block; answered by <see cref="BlockFound"/> or <see cref="BlockNotFound"/>.</summary>
public sealed record GetBlock(ulong Height) : ILedgerMessage, IWireMessage;

public sealed record BlockFound(BlockCommitted Block) : ILedgerMessage, IWireMessage;

public sealed record BlockNotFound(ulong Height, ulong LedgerHeight) : ILedgerMessage, IWireMessage;

/// <summary>
/// Asks for committed blocks from <paramref name="FromHeight"/> on, at most <paramref name="MaxBlocks"/> and at most
/// the ledger's own limit per request: what block sync asks a peer. Answered by <see cref="BlockRange"/>, or by
/// <see cref="BlocksUnavailable"/> when the journal could not be read.
/// </summary>
public sealed record GetBlocks(ulong FromHeight, int MaxBlocks) : ILedgerMessage, IWireMessage;

/// <summary>
/// Consecutive blocks from <paramref name="FromHeight"/>; empty when the ledger has none there yet. The ledger stops
/// adding blocks once their encodings would pass <see cref="LedgerWireCodec.BlockRangeBudget"/>, so a reply may hold fewer
/// than asked (always at least one when it has any) and always fits in one remote frame.
/// </summary>
public sealed record BlockRange(ulong FromHeight, IReadOnlyList<BlockCommitted> Blocks, ulong LedgerHeight) : ILedgerMessage, IWireMessage;

public sealed record BlocksUnavailable(ulong FromHeight, string Reason) : ILedgerMessage, IWireMessage;

/// <summary>
/// Published on the event stream when the ledger stops for good: a recovered block whose app hash differs from the
/// recorded one, a journal or snapshot that does not decode, a block the state machine refuses, or a write the
/// store failed. The node cannot go on without its ledger.
/// </summary>
public sealed record LedgerHalted(string Reason) : ILedgerMessage;

/// <summary>valid(v): may this block follow the ledger's tip? Answered with <see cref="ProposalChecked"/> (see <see cref="LedgerChecks.CheckProposal"/>).</summary>
public sealed record CheckProposal(Block Block) : ILedgerMessage;

/// <param name="Problem">Null when the block may follow the tip, else why not.</param>
public sealed record ProposalChecked(Hash32 BlockHash, ulong LedgerHeight, string? Problem) : ILedgerMessage;

/// <summary>
/// A block fetched from a peer by block sync: committed like <see cref="CommitBlock"/> once its commit verifies against
/// the validator set that signs its height. Answered like <see cref="CommitBlock"/>; a commit that does not verify is
/// refused with <see cref="BlockRejection.CommitNotSigned"/>.
/// </summary>
public sealed record SyncBlock(Block Block, Commit Commit) : ILedgerMessage;

/// <summary>
/// Asks for one account's committed nonce and balance, what a client needs to sign its next transaction; answered by
/// <see cref="AccountInfo"/>.
/// </summary>
public sealed record GetAccount(PublicKey Key) : ILedgerMessage, IWireMessage;

/// <param name="Exists">False when the key has no account yet: its first transaction carries nonce 1.</param>
/// <param name="Nonce">The last nonce the account used; its next transaction carries <paramref name="Nonce"/> + 1.</param>
/// <param name="Balance">USDC in micro-units.</param>
/// <param name="Height">The ledger height the answer is at.</param>
public sealed record AccountInfo(PublicKey Key, bool Exists, ulong Nonce, long Balance, ulong Height) : ILedgerMessage, IWireMessage;
