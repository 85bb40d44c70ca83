using Exchange.Core.Crypto;

namespace Exchange.Core.State;

/// <summary>How an account's margin is computed (the same values as the wire's <see cref="Ledger.MarginModeKind"/>).</summary>
public enum MarginMode : byte { Standard = 1, Portfolio = 2 }

/// <summary>
/// One account's holding in one instrument, plus what its open orders there would add. Kept up to
/// date from book events, so a margin check never walks the account's orders.
/// </summary>
public sealed class Holding
{
    /// <summary>Contracts, in quantity raw units; positive long, negative short.</summary>
    public long Position;
    /// <summary>Open buy orders: total size and total premium they would pay at their limits (rounded up).</summary>
    public long OpenBuyQuantity, OpenBuyPremium;
    /// <summary>Open sell orders that could open or increase a short (reduce-only sells excluded).</summary>
    public long OpenSellQuantity;

    public bool IsEmpty => Position == 0 && OpenBuyQuantity == 0 && OpenSellQuantity == 0;
}

/// <summary>
/// A participant, keyed by its x-only public key and numbered densely in order of first appearance.
/// An agent key also has an account (for its nonce) and names the principal it trades for.
/// </summary>
public sealed class Account(uint id, PublicKey key)
{
    public uint Id { get; } = id;
    public PublicKey Key { get; } = key;
    /// <summary>The last nonce used; the next transaction must carry exactly one more.</summary>
    public ulong Nonce;
    /// <summary>USDC in micro-units. Negative only after a recorded loss event.</summary>
    public long Balance;
    /// <summary>USDC bonded as validator stake.</summary>
    public long Stake;
    public MarginMode Mode = MarginMode.Standard;
    /// <summary>For an agent key: the account it trades for. Null for ordinary accounts.</summary>
    public uint? PrincipalId;
    public readonly SortedSet<PublicKey> Agents = [];
    /// <summary>Holdings by instrument id; iteration is in id order, the same on every node. A sorted list: few entries, walked every block without allocating.</summary>
    public readonly SortedList<int, Holding> Holdings = new();
    /// <summary>Losses the insurance fund covered for this account, in micro-USDC.</summary>
    public long CoveredLosses;

    public Holding HoldingOf(int instrument)
    {
        if (!Holdings.TryGetValue(instrument, out var h)) Holdings[instrument] = h = new Holding();
        return h;
    }

    /// <summary>Drops a holding that no longer holds anything, so state (and its hash) carries no empty rows.</summary>
    public void Prune(int instrument)
    {
        if (Holdings.TryGetValue(instrument, out var h) && h.IsEmpty) Holdings.Remove(instrument);
    }
}
