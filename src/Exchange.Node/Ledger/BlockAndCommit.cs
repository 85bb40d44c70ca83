using Exchange.Core.Ledger;
using Exchange.Core.Ledger.Codec;

namespace Exchange.Node.Ledger;

/// <summary>
/// A block followed by the commit that finalized it, each length-prefixed: the body of the ledger's journal event and
/// of the validator's <c>DecidedBlock</c>. Written in place, so the block is copied once into the message.
/// </summary>
internal static class BlockAndCommit
{
    /// <summary>The same bytes as <c>WriteBytes(block.Encode())</c> then <c>WriteBytes(commit.Encode())</c>.</summary>
    public static void Write(CanonicalWriter w, Block block, Commit commit)
    {
        var b = w.BeginNested();
        block.WriteTo(w);
        w.EndNested(b);
        var c = w.BeginNested();
        commit.WriteTo(w);
        w.EndNested(c);
    }
}
