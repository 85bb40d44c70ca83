using Exchange.Core.Crypto;
using Exchange.Core.Ledger.Codec;

namespace Exchange.Core.State;

/// <summary>
/// The app hash, computed incrementally: accounts are leaves of an <see cref="IncrementalMerkle"/>
/// rehashed only when touched. A leaf holds the account and its resting orders, each with its queue
/// stamp, so the books are committed (orders and queue order) without hashing whole books. Everything
/// global (height, time, funds, totals, the oracle, instruments with their marks and status) is hashed
/// in full, as it is small.
/// </summary>
public sealed class StateHasher
{
    public const string Tag = "exchange/app/v1";
    private readonly IncrementalMerkle _accounts = new();
    private readonly HashSet<uint> _dirtyAccounts = [];
    private readonly CanonicalWriter _writer = new(512);

    public void Touch(uint account) => _dirtyAccounts.Add(account);

    public Hash32 Compute(ExchangeState state)
    {
        foreach (var id in _dirtyAccounts) _accounts.Set((int)id, AccountLeaf(state, state.Accounts[(int)id]));
        _dirtyAccounts.Clear();

        var w = _writer;
        w.Reset();
        w.WriteVarUInt(state.Height);
        w.WriteVarInt(state.TimeUnixMs);
        w.WriteVarInt(state.InsuranceFund);
        w.WriteVarInt(state.FeePool);
        w.WriteVarInt(state.TotalDeposits);
        w.WriteVarInt(state.TotalWithdrawals);
        w.WriteHash(state.DepositsDigest);
        w.WriteHash(state.SlashingHash);
        w.WriteHash(state.Oracle.Hash());
        foreach (var instrument in state.Instruments)
        {
            w.WriteText(instrument.Name, Ledger.Names.MaxInstrumentLength);
            w.WriteBool(instrument.Settled);
            w.WriteVarInt(instrument.Mark);
        }
        w.WriteVarInt(state.NextQueueStamp);
        w.WriteHash(_accounts.Root());
        return Hash32.Tagged(Tag, w.Written);
    }

    /// <summary>
    /// The account's Merkle leaf, <see cref="Ledger.MerkleTree.LeafHash"/> of its encoding: the leaf prefix is
    /// written ahead of the encoding and the whole hashed in one call, which gives the same hash without the
    /// hash object LeafHash creates for every leaf.
    /// </summary>
    private Hash32 AccountLeaf(ExchangeState state, Account a)
    {
        var w = _writer;
        w.Reset();
        w.WriteByte(Ledger.MerkleTree.LeafPrefix);
        w.WritePublicKey(a.Key);
        w.WriteVarUInt(a.Nonce);
        w.WriteVarInt(a.Balance);
        w.WriteVarInt(a.Stake);
        w.WriteByte((byte)a.Mode);
        w.WriteVarInt(a.PrincipalId is { } p ? p + 1L : 0);
        w.WriteVarInt(a.CoveredLosses);
        w.WriteVarUInt((ulong)a.Agents.Count);
        foreach (var agent in a.Agents) w.WritePublicKey(agent);
        w.WriteVarUInt((ulong)a.Holdings.Count);
        foreach (var (instrument, h) in a.Holdings)
        {
            w.WriteVarInt(instrument);
            w.WriteVarInt(h.Position);
            w.WriteVarInt(h.OpenBuyQuantity);
            w.WriteVarInt(h.OpenBuyPremium);
            w.WriteVarInt(h.OpenSellQuantity);
        }
        var orders = state.OrderIdsOf(a.Id);
        w.WriteVarUInt((ulong)(orders?.Count ?? 0));
        if (orders is not null)
            foreach (var id in orders)
            {
                var o = state.OrderIndex[id];
                w.WriteVarUInt(o.OrderId);
                w.WriteVarInt(o.Instrument);
                w.WriteByte((byte)o.Side);
                w.WriteVarInt(o.Price);
                w.WriteVarInt(o.Remaining);
                w.WriteVarUInt(o.ClientOrderId);
                w.WriteByte((byte)o.Flags);
                w.WriteByte((byte)o.Stp);
                w.WriteVarInt(o.Sequence);
                w.WriteVarInt(o.QueueStamp);
            }
        return Hash32.Compute(w.Written);
    }
}
