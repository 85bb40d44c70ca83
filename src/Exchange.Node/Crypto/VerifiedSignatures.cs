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

    private readonly BoundedRecord<Checked, bool> _valid = new(capacity);
    private long _hits, _checks;

    /// <summary>Answers from the record when this exact signature was found valid before; otherwise verifies it (and records it when valid).</summary>
    public SignatureCheck Verify(in PublicKey key, in Hash32 message, in Signature signature)
    {
        var entry = new Checked(key, message, signature);
        if (_valid.Contains(entry))
        {
            Interlocked.Increment(ref _hits);
            return SignatureCheck.Valid;
        }
        Interlocked.Increment(ref _checks);
        var check = ParsedKeys.Shared.Verify(key, message, signature);
        if (check == SignatureCheck.Valid) _valid.Add(entry, true);
        return check;
    }

    /// <summary>Answers taken from the record, and signatures verified for real, so far.</summary>
    public (long Hits, long Checks) Counts => (Interlocked.Read(ref _hits), Interlocked.Read(ref _checks));
}
