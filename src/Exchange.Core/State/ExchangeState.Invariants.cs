using Exchange.Core.Numerics;

namespace Exchange.Core.State;

/// <summary>Raised when the state breaks a solvency invariant: the node stops rather than build on a wrong state.</summary>
public sealed class InvariantViolationException(string message) : Exception(message);

public sealed partial class ExchangeState
{
    /// <summary>
    /// The solvency invariants of DESIGN.md section 3, checked from scratch (not from running totals):
    /// every micro-USDC is somewhere (balances + stake + insurance fund + fee pool = deposits − withdrawals),
    /// long open interest equals short per instrument, and no balance is negative without a recorded loss.
    /// </summary>
    public void CheckSolvency()
    {
        Int128 held = (Int128)InsuranceFund + FeePool;
        var longs = new long[_instruments.Count];
        var shorts = new long[_instruments.Count];
        foreach (var a in _accounts)
        {
            held += (Int128)a.Balance + a.Stake;
            if (a.Balance < 0 && a.CoveredLosses == 0)
                throw new InvariantViolationException($"account {a.Key} has balance {new Money(a.Balance)} and no recorded loss");
            // Enumerating a sorted dictionary allocates even when it is empty; this loop runs over every account every block.
            if (a.Holdings.Count == 0) continue;
            foreach (var (id, h) in a.Holdings)
            {
                if (h.Position > 0) longs[id] = checked(longs[id] + h.Position);
                else shorts[id] = checked(shorts[id] - h.Position);
            }
        }
        var expected = (Int128)TotalDeposits - TotalWithdrawals;
        if (held != expected)
            throw new InvariantViolationException($"USDC not conserved at height {Height}: held {held}, deposits − withdrawals {expected}");
        for (var i = 0; i < longs.Length; i++)
            if (longs[i] != shorts[i])
                throw new InvariantViolationException($"{_instruments[i].Name}: long open interest {new Quantity(longs[i])} ≠ short {new Quantity(shorts[i])}");
    }
}
