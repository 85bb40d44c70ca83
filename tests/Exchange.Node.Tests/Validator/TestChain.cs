using Exchange.Consensus;
using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.Ledger.Payloads;
using Exchange.Core.Numerics;

namespace Exchange.Node.Tests.Validator;

/// <summary>
/// The chain rules of the test application: real blocks and commits, a stand-in for the exchange state. The "app
/// hash" after a block is a tagged hash of that block, so a block naming anything else is invalid; blocks at even
/// heights carry two signed transfers.
/// </summary>
internal static class TestChain
{
    public const string ChainId = "exchange-test-1";
    private static readonly byte[] Aux = new byte[32];
    private static readonly KeyPair Trader = TestKeys.Validator(100);
    private static readonly KeyPair Other = TestKeys.Validator(101);

    public static ConsensusConfig Config(TimeoutConfig timeouts) => new(ChainId, timeouts);

    public static Hash32 StateAfter(Hash32 previousBlock) => Hash32.Tagged("exchange/test-app/v1", previousBlock.ToArray());

    public static IReadOnlyList<Transaction> TransactionsFor(ulong height) => height % 2 == 1 ? [] :
    [
        .. Enumerable.Range(0, 2).Select(i => Transaction.Create(ChainId, Trader.PublicKey, height * 10 + (ulong)i, new Transfer(Other.PublicKey, Money.FromWhole(i + 1)))
            .SignWith(Trader, Aux)),
    ];

    public static Block Build(ulong height, uint round, long timeMs, Commit lastCommit, ValidatorSet validators, PublicKey proposer)
    {
        var prev = lastCommit.IsEmpty ? Hash32.Zero : lastCommit.BlockHash;
        var txs = TransactionsFor(height);
        var header = new BlockHeader(ChainId, height, round, timeMs, prev, Block.ComputeTxRoot(txs), StateAfter(prev), validators.Hash(), proposer,
            Block.ComputeLiquidationsHash([]), lastCommit.IsEmpty ? Hash32.Zero : lastCommit.Hash());
        return new Block(header, txs, lastCommit);
    }

    /// <summary>valid(v) at a node whose chain is <paramref name="chain"/>: checks every header field against it, the transactions' signatures and the carried commit.</summary>
    public static bool Accepts(Block block, IReadOnlyList<(Block Block, Commit Commit)> chain, Func<ulong, ValidatorSet> validatorsAt)
    {
        var h = (ulong)chain.Count + 1;
        var header = block.Header;
        if (header.Height != h || header.ChainId != ChainId || !block.Validate().IsValid) return false;
        var prev = chain.Count == 0 ? Hash32.Zero : chain[^1].Block.Hash();
        if (header.PrevBlockHash != prev || header.AppHash != StateAfter(prev) || header.ValidatorsHash != validatorsAt(h).Hash()) return false;
        if (block.Transactions.Any(tx => tx.VerifySignature(ChainId) != SignatureCheck.Valid)) return false;
        if (chain.Count == 0) return block.LastCommit.IsEmpty;
        if (header.TimeUnixMs < chain[^1].Block.Header.TimeUnixMs) return false;
        var set = validatorsAt(h - 1);
        return block.LastCommit.Verify(ChainId, h - 1, prev, set.PowerByKey(), set.TotalPower) == CommitCheck.Valid;
    }
}
