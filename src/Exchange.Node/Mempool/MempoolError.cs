using Exchange.Core.Crypto;

namespace Exchange.Node.Mempool;

/// <summary>
/// Why the mempool refused a transaction. A refusal changes nothing in the pool. Codes are stable
/// (clients and the gateway may match on them) and sit in the 900s, after the state machine's
/// <see cref="Core.State.StateError"/> (600s to 800s), grouped by the stage that refuses: bytes,
/// stateless rules, signature, committed state, the pool itself.
/// </summary>
public enum MempoolError
{
    None = 0,

    // 910s: the bytes
    /// <summary>Not one canonical transaction; the message names the <see cref="Core.Ledger.Codec.DecodeError"/>.</summary>
    Malformed = 911,
    /// <summary>Longer than <see cref="Core.Ledger.Transaction.MaxEncodedLength"/>; refused before parsing.</summary>
    Oversized = 912,

    // 920s: stateless rules
    /// <summary>A field breaks <see cref="Core.Ledger.Transaction.Validate"/>: a non-positive amount, a bad name; the message names the <see cref="Core.Ledger.TxError"/>.</summary>
    InvalidFields = 921,
    /// <summary>Signed for another chain.</summary>
    WrongChain = 922,

    // 930s: the signature
    /// <summary>The BIP340 signature does not verify for the sender, or the sender is not a valid key.</summary>
    BadSignature = 931,

    // 940s: the committed state
    /// <summary>The sender has no account: fund it or approve it as an agent first.</summary>
    UnknownSigner = 941,
    /// <summary>The nonce is at or below the sender's last committed nonce.</summary>
    ReplayedNonce = 942,
    /// <summary>The nonce skips ahead of the next one this pool can accept for the sender; the message names the expected nonce.</summary>
    NonceGap = 943,
    /// <summary>Another pending transaction of the sender already carries this nonce (there is no replacement).</summary>
    NonceTaken = 944,
    /// <summary>An order names an instrument that is not listed or no longer trades.</summary>
    UnknownInstrument = 945,
    /// <summary>A withdrawal, transfer or stake exceeds the sender's committed balance, so it cannot succeed.</summary>
    InsufficientBalance = 946,
    /// <summary>The sender may never send this: an agent moving funds, a deposit not from the bridge key, a listing not from the authority.</summary>
    Unauthorized = 947,

    // 950s: the pool
    /// <summary>The same transaction (by hash) is already pending or being verified.</summary>
    Duplicate = 951,
    /// <summary>The pool holds its maximum count or bytes; retry after the next block.</summary>
    PoolFull = 952,
    /// <summary>The sender has its maximum of pending transactions; retry after the next block.</summary>
    SenderLimit = 953,
    /// <summary>Too many transactions wait for signature verification; retry shortly.</summary>
    QueueFull = 954,
    /// <summary>Signature verification itself failed (the native library could not run); nothing was admitted.</summary>
    VerifierUnavailable = 955,
}

/// <summary>A refusal: its code and a reason a person can act on.</summary>
public readonly record struct MempoolRejection(MempoolError Error, string Message)
{
    public override string ToString() => $"{Error} ({(int)Error}): {Message}";
}

/// <summary>What became of one submission: accepted into the pool under <see cref="Hash"/>, or refused.</summary>
/// <param name="Hash">The transaction id (SHA-256 of its bytes); zero when the bytes were too long to look at.</param>
public readonly record struct SubmitOutcome(Hash32 Hash, MempoolError Error, string Message)
{
    public bool IsAccepted => Error == MempoolError.None;

    public static SubmitOutcome Accepted(Hash32 hash) => new(hash, MempoolError.None, "");
    public static SubmitOutcome Rejected(Hash32 hash, MempoolRejection rejection) => new(hash, rejection.Error, rejection.Message);

    public override string ToString() => IsAccepted ? $"accepted {Hash}" : $"{Error} ({(int)Error}): {Message}";
}
