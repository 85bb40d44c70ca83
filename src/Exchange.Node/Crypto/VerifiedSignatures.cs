using Exchange.Core.Crypto;

namespace Exchange.Node.Crypto;

/// <summary>
/// Consensus signatures this process has verified: a precommit and its price observation are checked when the vote
/// arrives, and again inside the next block's commit when the proposal is judged. <see cref="Verify"/> answers the
/// second time from here. Only valid outcomes are kept, keyed by the key, the message and the signature together, so
/// an answer from here is exactly what <see cref="Schnorr.Verify(in PublicKey, in Hash32, in Signature)"/> would say;
/// anything not kept is verified for real. Bounded; the oldest are forgotten first. Safe to share between threads.
/// </summary>
public sealed class VerifiedSignatures(int capacity)
{
    /// <summary>
    /// Every vote of a few hundred heights on a small validator set: a commit is checked one height after its votes arrive.
    /// </summary>
    public static VerifiedSignatures Shared { get; } = new(8_192);

    private readonly record struct Checked(PublicKey Key, Hash32 Message, Signature Signature);

    private readonly object _gate = new();
    private readonly HashSet<Checked> _valid = [];
    private readonly Queue<Checked> _order = new();
    private long _hits, _checks;

    /// <summary>Answers from the record when this exact signature was found valid before; otherwise verifies it (and records it when valid).</summary>
    public SignatureCheck Verify(in PublicKey key, in Hash32 message, in Signature signature)
    {
        var entry = new Checked(key, message, signature);
        lock (_gate)
        {
            if (_valid.Contains(entry))
            {
                _hits++;
                return SignatureCheck.Valid;
            }
            _checks++;
        }
        var check = Schnorr.Verify(key, message, signature);
        if (check != SignatureCheck.Valid) return check;
        lock (_gate)
        {
            if (!_valid.Add(entry)) return check;
            _order.Enqueue(entry);
            if (_order.Count > capacity) _valid.Remove(_order.Dequeue());
        }
        return check;
    }

    /// <summary>Answers taken from the record, and signatures verified for real, so far.</summary>
    public (long Hits, long Checks) Counts
    {
        get { lock (_gate) return (_hits, _checks); }
    }
}
