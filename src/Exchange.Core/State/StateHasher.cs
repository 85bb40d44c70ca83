using Exchange.Core.Crypto;
using Exchange.Core.Ledger.Codec;

namespace Exchange.Core.State;

/// <summary>
/// The app hash, computed incrementally: accounts are leaves of an <see cref="IncrementalMerkle"/>
/// rehashed only when touched; each book's hash is recomputed only when a command touched that book;
/// everything global (height, time, funds, totals, index prices, instruments and their marks and
/// book hashes) is hashed in full, as it is small.
/// </summary>
public sealed class StateHasher
{
    public const string Tag = "exchange/app/v1";
    private readonly IncrementalMerkle _accounts = new();
    private readonly HashSet<uint> _dirtyAccounts = [];
    private readonly HashSet<int> _dirtyBooks = [];
    private readonly List<Hash32> _bookHashes = [];
    private readonly CanonicalWriter _writer = new(512);

    public void Touch(uint account) => _dirtyAccounts.Add(account);
    public void TouchBook(int instrument) => _dirtyBooks.Add(instrument);

    public Hash32 AccountsRoot => _accounts.Root();

    public Hash32 Compute(ExchangeState state)
    {
        foreach (var id in _dirtyAccounts) _accounts.Set((int)id, AccountLeaf(state.Accounts[(int)id]));
        _dirtyAccounts.Clear();
        while (_bookHashes.Count < state.Instruments.Count)
        {
            _dirtyBooks.Add(_bookHashes.Count);
            _bookHashes.Add(Hash32.Zero);
        }
        foreach (var id in _dirtyBooks)
            _bookHashes[id] = state.Engine.TryGetBook(state.Instruments[id].Name, out var book) ? book.StateHash() : Hash32.Zero;
        _dirtyBooks.Clear();

        var w = _writer;
        w.Reset();
        w.WriteVarUInt(state.Height);
        w.WriteVarInt(state.TimeUnixMs);
        w.WriteVarInt(state.InsuranceFund);
        w.WriteVarInt(state.FeePool);
        w.WriteVarInt(state.TotalDeposits);
        w.WriteVarInt(state.TotalWithdrawals);
        w.WriteHash(state.DepositsDigest);
        w.WriteHash(state.Oracle.Hash());
        foreach (var instrument in state.Instruments)
        {
            w.WriteText(instrument.Name, Ledger.Names.MaxInstrumentLength);
            w.WriteBool(instrument.Settled);
            w.WriteVarInt(instrument.Mark);
            w.WriteHash(_bookHashes[instrument.Id]);
        }
        w.WriteHash(_accounts.Root());
        return Hash32.Tagged(Tag, w.Written);
    }

    /// <summary>
    /// The account's Merkle leaf, <see cref="Ledger.MerkleTree.LeafHash"/> of its encoding: the leaf prefix is
    /// written ahead of the encoding and the whole hashed in one call, which gives the same hash without the
    /// hash object LeafHash creates for every leaf.
    /// </summary>
    private Hash32 AccountLeaf(Account a)
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
        return Hash32.Compute(w.Written);
    }
}
