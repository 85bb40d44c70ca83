using System.Security.Cryptography;
using Exchange.Core.Crypto;

namespace Exchange.Core.Ledger;

/// <summary>
/// The Merkle tree of RFC 6962 (Certificate Transparency): leaves hashed with a 0x00 prefix,
/// inner nodes with 0x01, so a leaf can never pass for a subtree; an odd tree splits at the largest
/// power of two below its size. Inclusion proofs let a light client check that a transaction is
/// in a block from the header alone.
/// </summary>
public static class MerkleTree
{
    internal const byte LeafPrefix = 0x00;
    private const byte NodePrefix = 0x01;

    /// <summary>The root of an empty tree: SHA-256 of no bytes.</summary>
    public static readonly Hash32 EmptyRoot = Hash32.Compute([]);

    public static Hash32 LeafHash(ReadOnlySpan<byte> data)
    {
        Span<byte> d = stackalloc byte[32];
        Sha256.Hash([LeafPrefix], data, [], d);
        return new Hash32(d);
    }

    public static Hash32 NodeHash(in Hash32 left, in Hash32 right)
    {
        Span<byte> buffer = stackalloc byte[65];
        buffer[0] = NodePrefix;
        left.CopyTo(buffer[1..]);
        right.CopyTo(buffer[33..]);
        return Hash32.Compute(buffer);
    }

    /// <summary>The root over leaf hashes already computed with <see cref="LeafHash"/>.</summary>
    public static Hash32 Root(ReadOnlySpan<Hash32> leaves) => leaves.Length == 0 ? EmptyRoot : Subtree(leaves);

    private static Hash32 Subtree(ReadOnlySpan<Hash32> leaves)
    {
        if (leaves.Length == 1) return leaves[0];
        var k = SplitPoint(leaves.Length);
        return NodeHash(Subtree(leaves[..k]), Subtree(leaves[k..]));
    }

    /// <summary>The largest power of two strictly below n (n ≥ 2).</summary>
    private static int SplitPoint(int n)
    {
        var k = 1;
        while (k << 1 < n) k <<= 1;
        return k;
    }

    /// <summary>The audit path for the leaf at <paramref name="index"/>: sibling hashes from the leaf up to the root.</summary>
    public static Hash32[] InclusionProof(ReadOnlySpan<Hash32> leaves, int index)
    {
        if ((uint)index >= (uint)leaves.Length) throw new ArgumentOutOfRangeException(nameof(index));
        var path = new List<Hash32>();
        Collect(leaves, index, path);
        return [.. path];
    }

    private static void Collect(ReadOnlySpan<Hash32> leaves, int index, List<Hash32> path)
    {
        if (leaves.Length == 1) return;
        var k = SplitPoint(leaves.Length);
        if (index < k)
        {
            Collect(leaves[..k], index, path);
            path.Add(Subtree(leaves[k..]));
        }
        else
        {
            Collect(leaves[k..], index - k, path);
            path.Add(Subtree(leaves[..k]));
        }
    }

    /// <summary>Checks an audit path (RFC 9162 section 2.1.3.2) for a leaf of a tree of <paramref name="size"/> leaves.</summary>
    public static bool VerifyInclusion(in Hash32 leaf, long index, long size, ReadOnlySpan<Hash32> proof, in Hash32 root)
    {
        if (index < 0 || index >= size) return false;
        long fn = index, sn = size - 1;
        var r = leaf;
        foreach (var p in proof)
        {
            if (sn == 0) return false;
            if ((fn & 1) == 1 || fn == sn)
            {
                r = NodeHash(p, r);
                if ((fn & 1) == 0)
                    while ((fn & 1) == 0 && fn != 0) { fn >>= 1; sn >>= 1; }
            }
            else
            {
                r = NodeHash(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && r == root;
    }
}
