using Exchange.Core.Crypto;
using Exchange.Core.Ledger;

namespace Exchange.Core.Tests.Ledger;

public class MerkleTreeTests
{
    // The Certificate Transparency reference inputs and tree heads (RFC 6962 test data).
    private static readonly byte[][] ReferenceLeaves =
        new[] { "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f" }
            .Select(Convert.FromHexString).ToArray();

    private static readonly string[] ReferenceRoots =
    [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];

    private static Hash32[] LeafHashes(int n) => ReferenceLeaves.Take(n).Select(l => MerkleTree.LeafHash(l)).ToArray();

    [Fact]
    public void Roots_should_match_the_RFC_6962_reference_for_every_size_up_to_8()
    {
        for (var n = 0; n <= 8; n++)
            Assert.Equal(ReferenceRoots[n], MerkleTree.Root(LeafHashes(n)).ToString());
    }

    [Fact]
    public void Inclusion_proofs_should_match_the_RFC_6962_reference()
    {
        var leaves = LeafHashes(8);
        Assert.Equal(
            ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
             "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
             "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"],
            MerkleTree.InclusionProof(leaves, 0).Select(h => h.ToString()));
        Assert.Equal(
            ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
             "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
             "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"],
            MerkleTree.InclusionProof(leaves, 5).Select(h => h.ToString()));
    }

    [Fact]
    public void Every_leaf_of_every_tree_size_should_prove_its_inclusion_and_nothing_else()
    {
        for (var size = 1; size <= 40; size++)
        {
            var leaves = Enumerable.Range(0, size).Select(i => MerkleTree.LeafHash(BitConverter.GetBytes(i))).ToArray();
            var root = MerkleTree.Root(leaves);
            for (var i = 0; i < size; i++)
            {
                var proof = MerkleTree.InclusionProof(leaves, i);
                Assert.True(MerkleTree.VerifyInclusion(leaves[i], i, size, proof, root), $"size {size}, leaf {i}");
                Assert.False(MerkleTree.VerifyInclusion(leaves[(i + 1) % size], i, size, proof, root) && size > 1, $"size {size}, wrong leaf {i}");
                if (proof.Length > 0)
                {
                    proof[0] = MerkleTree.LeafHash([0xFF]);
                    Assert.False(MerkleTree.VerifyInclusion(leaves[i], i, size, proof, root), $"size {size}, tampered proof");
                }
            }
        }
    }

    [Fact]
    public void A_leaf_should_never_pass_for_an_inner_node()
    {
        var a = MerkleTree.LeafHash("a"u8);
        var b = MerkleTree.LeafHash("b"u8);
        byte[] concatenated = [.. a.ToArray(), .. b.ToArray()];
        Assert.NotEqual(MerkleTree.Root([a, b]), MerkleTree.LeafHash(concatenated));
        Assert.NotEqual(MerkleTree.Root([a, b]), MerkleTree.Root([b, a]));
    }
}
