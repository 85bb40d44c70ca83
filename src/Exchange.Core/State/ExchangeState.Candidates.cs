using Exchange.Core.Crypto;

namespace Exchange.Core.State;

/// <summary>
/// An account whose equity is below its maintenance margin, as the proposer lists it for liquidation.
/// <see cref="Shortfall"/> is how far below (micro-USDC, positive).
/// </summary>
public sealed record LiquidationCandidate(PublicKey Account, long Equity, long MaintenanceMargin)
{
    public long Shortfall => MaintenanceMargin - Equity;
}

public sealed partial class ExchangeState
{
    /// <summary>
    /// The accounts the liquidation pass would act on at the current marks: not an agent key, holding a
    /// position, equity below maintenance margin (<see cref="IsLiquidatable"/>). Ranked by shortfall, largest
    /// first, then by key, and cut at <paramref name="max"/>, so every node that holds this state lists the same
    /// accounts in the same order. Index freshness is not checked: the next block's observations may refresh a
    /// stale index, and the block re-checks every candidate (stale ones are left alone there). This is what the
    /// node's margin engine hands the proposer; it reads the state and changes nothing.
    /// </summary>
    public IReadOnlyList<LiquidationCandidate> FindLiquidationCandidates(int max)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        var found = new List<LiquidationCandidate>();
        if (max == 0) return found;
        foreach (var account in _accounts)
        {
            if (account.PrincipalId is not null || !HasPosition(account)) continue;
            var equity = Equity(account);
            var maintenance = MaintenanceMargin(account);
            if (equity < maintenance) found.Add(new LiquidationCandidate(account.Key, equity, maintenance));
        }
        found.Sort(static (a, b) =>
        {
            var byShortfall = b.Shortfall.CompareTo(a.Shortfall);
            return byShortfall != 0 ? byShortfall : a.Account.CompareTo(b.Account);
        });
        if (found.Count > max) found.RemoveRange(max, found.Count - max);
        return found;
    }

    private static bool HasPosition(Account account)
    {
        foreach (var h in account.Holdings.Values)
            if (h.Position != 0) return true;
        return false;
    }
}
