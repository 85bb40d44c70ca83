using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.State;
using Exchange.Core.Tests.State;
using Exchange.Node.Ledger;

namespace Exchange.Node.Tests.Ledger;

/// <summary>
/// A chain of real blocks for the ledger: the state tests' seeded generator (signed orders that cross, deposits,
/// transfers, rejected transactions) run through a shadow state, each block with its own commit signed by the
/// genesis validator, and the app hash the shadow state reached after it. The same seed gives the same chain in
/// every process, which the kill -9 test relies on.
/// </summary>
internal sealed class TestChain
{
    public const ulong DefaultSeed = 20261124;
    private static readonly Lazy<TestChain> Default = new(() => Build(DefaultSeed, 40));

    private TestChain(Genesis genesis, Hash32 genesisAppHash, IReadOnlyList<BlockCommitted> blocks)
    {
        Genesis = genesis;
        GenesisAppHash = genesisAppHash;
        Blocks = blocks;
    }

    /// <summary>The 40-block chain most tests share.</summary>
    public static TestChain Shared => Default.Value;

    public Genesis Genesis { get; }
    public Hash32 GenesisAppHash { get; }
    public IReadOnlyList<BlockCommitted> Blocks { get; }

    /// <summary>The block at <paramref name="height"/> (from 1) with its commit and the app hash after it.</summary>
    public BlockCommitted At(ulong height) => Blocks[(int)height - 1];

    public Hash32 AppHashAt(ulong height) => height == 0 ? GenesisAppHash : At(height).AppHash;

    public CommitBlock Command(ulong height) => new(At(height).Block, At(height).Commit);

    public static TestChain Build(ulong seed, int count)
    {
        var generator = new StateBlockGenerator(seed);
        var genesis = generator.Genesis();
        var shadow = ExchangeState.FromGenesis(genesis);
        var genesisAppHash = shadow.AppHash;
        var blocks = new List<BlockCommitted>(count);
        for (var i = 0; i < count; i++)
        {
            var block = generator.NextBlock(shadow);
            var result = shadow.Apply(block);
            generator.Observe(shadow);
            blocks.Add(new BlockCommitted(block, CommitFor(block), result.AppHash));
        }
        return new TestChain(genesis, genesisAppHash, blocks);
    }

    /// <summary>The block's own commit: the genesis validator's precommit signature over its hash.</summary>
    public static Commit CommitFor(Block block)
    {
        var h = block.Header;
        var hash = block.Hash();
        var validator = StateFixture.Validator;
        var signature = validator.Sign(Commit.PrecommitSigningHash(h.ChainId, h.Height, h.Round, hash), new byte[32]);
        return Commit.Create(h.Height, h.Round, hash, [new CommitSignature(validator.PublicKey, signature)]);
    }
}
