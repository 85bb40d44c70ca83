using Exchange.Consensus;
using Exchange.Core.Ledger;
using Exchange.Node.Peers;

namespace Exchange.Node.Serialization;

/// <summary>
/// Every message the node sends to peers or persists, one line each: manifest, size limit, encoder, decoder.
/// To add a message: give it a canonical <c>Encode()</c> and a strict static <c>Decode(ReadOnlySpan&lt;byte&gt;)</c>,
/// mark it <see cref="IWireMessage"/> (or, for a Core or Consensus type, bind it by name in <c>reference.conf</c>),
/// and add its line here with a manifest no other type has ever used. The tests then round-trip it and send it
/// between actors with serialization forced on.
/// </summary>
public static class WireCatalog
{
    public static readonly WireRegistry Default = new(
    [
        // Ledger (Exchange.Core): the payload is the canonical encoding of docs/ledger-format.md.
        WireCodec.Of<Transaction>("tx", Transaction.MaxEncodedLength, t => t.Encode(), Transaction.Decode),
        WireCodec.Of<Block>("block", Block.MaxEncodedLength, b => b.Encode(), Block.Decode),
        WireCodec.Of<Commit>("commit", Commit.MaxEncodedLength, c => c.Encode(), Commit.Decode),

        // Consensus (Exchange.Consensus): decoding also runs the message's stateless validation.
        WireCodec.Of<Proposal>("proposal", Proposal.MaxEncodedLength, p => p.Encode(), Proposal.Decode),
        WireCodec.Of<Vote>("vote", Vote.MaxEncodedLength, v => v.Encode(), Vote.Decode),

        // Peers: the signed handshake.
        WireCodec.Of<Hello>("hello", Hello.MaxEncodedLength, h => h.Encode(), Hello.Decode),
    ]);
}
