using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.Ledger.Payloads;
using Exchange.Core.Numerics;

namespace Exchange.Core.Tests.Ledger;

/// <summary>A small chain of valid blocks, finalized by four equal-power validators.</summary>
internal static class BlockFixtures
{
    public static readonly KeyPair[] Validators = [.. Enumerable.Range(0, 4).Select(i => LedgerFixtures.Key($"validator-{i}"))];

    public static IReadOnlyDictionary<PublicKey, long> Power =>
        Validators.ToDictionary(v => v.PublicKey, _ => 10L);

    public const long TotalPower = 40;

    public static Commit CommitFor(BlockHeader header, IEnumerable<KeyPair> signers) =>
        Commit.Create(header.Height, header.Round, header.Hash(), signers.Select(v =>
            new CommitSignature(v.PublicKey, v.Sign(Commit.PrecommitSigningHash(header.ChainId, header.Height, header.Round, header.Hash()), LedgerFixtures.ZeroAux))));

    public static List<Block> ChainOf(int blocks, int txsPerBlock)
    {
        var chain = new List<Block>();
        var nonce = 0UL;
        var lastCommit = Commit.Empty;
        var prevHash = Hash32.Zero;
        for (var h = 1UL; h <= (ulong)blocks; h++)
        {
            var txs = Enumerable.Range(0, txsPerBlock)
                .Select(_ => LedgerFixtures.Signed(LedgerFixtures.Alice, ++nonce, new Transfer(LedgerFixtures.Bob.PublicKey, Money.FromWhole(1))))
                .ToArray();
            var header = new BlockHeader(LedgerFixtures.ChainA, h, 0, 1_798_000_000_000 + (long)h * 1000, prevHash,
                Block.ComputeTxRoot(txs), Hash32.Compute(BitConverter.GetBytes(h)), Hash32.Compute("validators"u8),
                Validators[(int)(h % 4)].PublicKey, LastCommitHash: lastCommit.IsEmpty ? Hash32.Zero : lastCommit.Hash());
            var block = new Block(header, txs, lastCommit);
            chain.Add(block);
            prevHash = header.Hash();
            lastCommit = CommitFor(header, Validators.Take(3));
        }
        return chain;
    }
}
