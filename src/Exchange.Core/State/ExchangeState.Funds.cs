using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.Numerics;
using Exchange.Core.Risk;

namespace Exchange.Core.State;

public sealed partial class ExchangeState
{
    /// <summary>Balance plus the value of every position at its mark: what the account is worth now.</summary>
    public long Equity(Account account)
    {
        var equity = (Int128)account.Balance;
        // By index: a SortedList's enumerator is boxed, and equity is asked for on every order and withdrawal.
        var holdings = account.Holdings;
        for (var i = 0; i < holdings.Count; i++)
        {
            var h = holdings.GetValueAtIndex(i);
            if (h.Position != 0) equity += (Int128)h.Position * _instruments[holdings.GetKeyAtIndex(i)].Mark / Quantity.Scale;
        }
        return checked((long)equity);
    }

    /// <summary>
    /// What may back new risk or leave the account: the smaller of balance and equity, so unrealized
    /// profit (option value above premium paid) is never withdrawn or pledged, while losses always count.
    /// </summary>
    public long Collateral(Account account) => Math.Min(account.Balance, Equity(account));

    /// <summary>Initial margin of positions and open orders (DESIGN.md section 3), in micro-USDC, rounded up.</summary>
    public long InitialMargin(Account account) => Margin.Initial(this, account);

    public long MaintenanceMargin(Account account) => Margin.Maintenance(this, account);

    /// <summary>Collateral not pledged to initial margin: what can be withdrawn, transferred or staked.</summary>
    public long FreeCollateral(Account account) => Collateral(account) - InitialMargin(account);

    internal void Credit(Account account, long amount)
    {
        account.Balance = checked(account.Balance + amount);
        _hasher.Touch(account.Id);
    }

    internal void Debit(Account account, long amount) => Credit(account, checked(-amount));

    internal Account EnsureAccount(PublicKey key) => AccountFor(key);

    internal bool IsCredited(Hash32 externalId) => _creditedDeposits.Contains(externalId);

    internal void RecordDeposit(Hash32 externalId, long amount)
    {
        _creditedDeposits.Add(externalId);
        TotalDeposits = checked(TotalDeposits + amount);
        Span<byte> buffer = stackalloc byte[64];
        DepositsDigest.CopyTo(buffer);
        externalId.CopyTo(buffer[32..]);
        DepositsDigest = Hash32.Compute(buffer);
    }

    internal void RecordWithdrawal(long amount) => TotalWithdrawals = checked(TotalWithdrawals + amount);

    internal void MoveToStake(Account account, long amount)
    {
        var before = account.Stake;
        account.Balance = checked(account.Balance - amount);
        account.Stake = checked(account.Stake + amount);
        _hasher.Touch(account.Id);
        NoteStakeChange(account, before);
    }

    internal void ChargeFee(Account account, long fee)
    {
        Debit(account, fee);
        var insurance = Genesis.Fees.InsuranceShare(new Money(fee)).Raw;
        InsuranceFund = checked(InsuranceFund + insurance);
        FeePool = checked(FeePool + fee - insurance);
    }

    internal void Touch(Account account) => _hasher.Touch(account.Id);

    internal void Link(Account agent, Account principal, bool approved)
    {
        if (approved)
        {
            agent.PrincipalId = principal.Id;
            principal.Agents.Add(agent.Key);
        }
        else
        {
            agent.PrincipalId = null;
            principal.Agents.Remove(agent.Key);
        }
        _hasher.Touch(agent.Id);
        _hasher.Touch(principal.Id);
    }

    internal bool IsListed(string name) => _instrumentByName.ContainsKey(name);

    internal int List(Markets.Instrument instrument)
    {
        ListInstrument(instrument);
        var listed = _instruments[^1];
        listed.Mark = Risk.Marks.Theoretical(this, listed);
        return listed.Id;
    }

}
