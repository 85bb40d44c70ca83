using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.Ledger.Codec;
using Exchange.Core.Markets;
using Exchange.Core.Markets.Book;
using Exchange.Core.Numerics;

namespace Exchange.Core.State;

public sealed partial class ExchangeState
{
    public const byte SnapshotVersion = 2;

    /// <summary>
    /// The whole state in canonical binary form: what a node stores every N blocks and recovers from.
    /// Open-order reservations are not stored: restoring rebuilds them from the books, so the two can
    /// never disagree. The app hash chains from block to block and cannot be recomputed from a state
    /// alone, so the snapshot carries it, with the last checkpoint, and the state root as it stands:
    /// restoring recomputes that root and refuses a snapshot that does not reproduce it.
    /// </summary>
    public byte[] Snapshot()
    {
        var w = new CanonicalWriter(64 * 1024);
        w.WriteByte(SnapshotVersion);
        w.WriteText(Genesis.ChainId, Names.MaxChainIdLength);
        w.WriteVarUInt(Height);
        w.WriteVarInt(TimeUnixMs);
        w.WriteHash(AppHash);
        w.WriteVarUInt(CheckpointHeight);
        w.WriteHash(CheckpointRoot);
        w.WriteHash(ComputeStateRoot());
        w.WriteVarInt(InsuranceFund);
        w.WriteVarInt(FeePool);
        w.WriteVarInt(TotalDeposits);
        w.WriteVarInt(TotalWithdrawals);
        w.WriteHash(DepositsDigest);
        w.WriteVarInt(_nextQueueStamp);
        var credited = _creditedDeposits.Order().ToArray();
        w.WriteVarUInt((ulong)credited.Length);
        foreach (var id in credited) w.WriteHash(id);
        WriteSlashing(w);

        _oracle.WriteTo(w);

        w.WriteVarUInt((ulong)_accounts.Count);
        foreach (var a in _accounts)
        {
            w.WritePublicKey(a.Key);
            w.WriteVarUInt(a.Nonce);
            w.WriteVarInt(a.Balance);
            w.WriteVarInt(a.Stake);
            w.WriteByte((byte)a.Mode);
            w.WriteVarInt(a.PrincipalId is { } p ? p + 1L : 0);
            w.WriteVarInt(a.CoveredLosses);
            var positions = a.Holdings.Where(h => h.Value.Position != 0).ToArray();
            w.WriteVarUInt((ulong)positions.Length);
            foreach (var (instrument, h) in positions)
            {
                w.WriteVarInt(instrument);
                w.WriteVarInt(h.Position);
            }
        }

        w.WriteVarUInt((ulong)_instruments.Count);
        foreach (var listed in _instruments)
        {
            var series = listed.Instrument.Series;
            var spec = listed.Instrument.Spec;
            w.WriteText(series.Underlying, Names.MaxUnderlyingLength);
            w.WriteVarInt(series.ExpiryUnixSeconds);
            w.WriteVarInt(series.Strike.Raw);
            w.WriteByte((byte)series.Kind);
            w.WriteVarInt(spec.TickSize.Raw);
            w.WriteVarInt(spec.LotSize.Raw);
            w.WriteVarInt(spec.MinSize.Raw);
            w.WriteVarInt(spec.PriceBandBps);
            w.WriteVarInt(spec.MaxOpenOrdersPerAccount);
            w.WriteBool(listed.Settled);
            w.WriteVarInt(listed.Mark);
            if (listed.Settled || !_engine.TryGetBook(listed.Name, out var book))
            {
                w.WriteBool(false);
                continue;
            }
            w.WriteBool(true);
            w.WriteVarInt(book.NextSequence);
            var orders = book.Orders(Side.Buy).Concat(book.Orders(Side.Sell)).ToArray();
            w.WriteVarUInt((ulong)orders.Length);
            foreach (var o in orders)
            {
                w.WriteVarUInt(o.OrderId);
                w.WriteVarUInt(o.Account);
                w.WriteByte((byte)o.Side);
                w.WriteVarInt(o.Price.Raw);
                w.WriteVarInt(o.Quantity.Raw);
                w.WriteVarUInt(o.ClientOrderId);
                w.WriteByte((byte)o.Flags);
                w.WriteByte((byte)o.SelfTradePrevention);
                w.WriteVarInt(o.Sequence);
                w.WriteVarInt(_orders[o.OrderId].QueueStamp);
            }
        }
        return w.ToArray();
    }

    /// <summary>Rebuilds a state from <see cref="Snapshot"/> bytes; the result computes the same app hash and continues identically.</summary>
    public static ExchangeState Restore(Genesis genesis, ReadOnlySpan<byte> snapshot, Func<InstrumentSpec, IOrderBook>? createBook = null)
    {
        var s = new ExchangeState(genesis, createBook ?? (spec => new FastOrderBook(spec)));
        var r = new CanonicalReader(snapshot);
        var version = r.ReadByte("snapshot.version");
        if (version != SnapshotVersion) throw new DecodeException(DecodeError.UnknownVersion, $"snapshot version {version}");
        var chain = r.ReadText("snapshot.chain_id", Names.MaxChainIdLength);
        if (chain != genesis.ChainId) throw new ArgumentException($"snapshot of chain '{chain}' given with the genesis of '{genesis.ChainId}'");
        s.Height = r.ReadVarUInt("snapshot.height");
        s.TimeUnixMs = r.ReadVarInt("snapshot.time");
        var appHash = r.ReadHash("snapshot.app_hash");
        var checkpointHeight = r.ReadVarUInt("snapshot.checkpoint_height");
        var checkpointRoot = r.ReadHash("snapshot.checkpoint_root");
        var stateRoot = r.ReadHash("snapshot.state_root");
        s.InsuranceFund = r.ReadVarInt("snapshot.insurance_fund");
        s.FeePool = r.ReadVarInt("snapshot.fee_pool");
        s.TotalDeposits = r.ReadVarInt("snapshot.deposits");
        s.TotalWithdrawals = r.ReadVarInt("snapshot.withdrawals");
        s.DepositsDigest = r.ReadHash("snapshot.deposits_digest");
        var nextQueueStamp = r.ReadVarInt("snapshot.next_queue_stamp");
        var credited = r.ReadLength("snapshot.credited", int.MaxValue);
        for (var i = 0; i < credited; i++) s._creditedDeposits.Add(r.ReadHash("snapshot.credited_id"));
        s.ReadSlashing(ref r);

        s._oracle = Exchange.Core.Oracle.OracleState.Read(ref r);

        var accounts = r.ReadLength("snapshot.accounts", int.MaxValue);
        for (var i = 0; i < accounts; i++)
        {
            var a = s.AccountFor(r.ReadPublicKey("snapshot.account_key"));
            a.Nonce = r.ReadVarUInt("snapshot.nonce");
            a.Balance = r.ReadVarInt("snapshot.balance");
            a.Stake = r.ReadVarInt("snapshot.stake");
            a.Mode = (MarginMode)r.ReadEnum("snapshot.margin_mode", 1, 2);
            var principal = r.ReadVarInt("snapshot.principal");
            a.PrincipalId = principal == 0 ? null : (uint)(principal - 1);
            a.CoveredLosses = r.ReadVarInt("snapshot.covered_losses");
            var positions = r.ReadLength("snapshot.positions", int.MaxValue);
            for (var p = 0; p < positions; p++) a.HoldingOf((int)r.ReadVarInt("snapshot.instrument")).Position = r.ReadVarInt("snapshot.position");
        }
        foreach (var a in s._accounts)
            if (a.PrincipalId is { } p) s._accounts[(int)p].Agents.Add(a.Key);

        var instruments = r.ReadLength("snapshot.instruments", int.MaxValue);
        for (var i = 0; i < instruments; i++)
        {
            var underlying = r.ReadText("snapshot.series_underlying", Names.MaxUnderlyingLength);
            var expiry = OptionSeries.ExpiryDayOf(r.ReadVarInt("snapshot.series_expiry"))
                ?? throw new DecodeException(DecodeError.UnknownEnumValue, "snapshot expiry is not 08:00 UTC");
            var strike = new Price(r.ReadVarInt("snapshot.series_strike"));
            var kind = (OptionKind)r.ReadEnum("snapshot.series_kind", 1, 2);
            var spec = new InstrumentSpec(new Price(r.ReadVarInt("snapshot.tick")), new Quantity(r.ReadVarInt("snapshot.lot")),
                new Quantity(r.ReadVarInt("snapshot.min_size")), (int)r.ReadVarInt("snapshot.band"), (int)r.ReadVarInt("snapshot.max_open"));
            var settled = r.ReadBool("snapshot.settled");
            var mark = r.ReadVarInt("snapshot.mark");
            s.ListInstrument(new Instrument(new OptionSeries(underlying, expiry, strike, kind), spec));
            var listed = s._instruments[^1];
            listed.Settled = settled;
            listed.Mark = mark;
            if (!r.ReadBool("snapshot.has_book")) continue;
            s._engine.TryGetBook(listed.Name, out var book);
            var next = r.ReadVarInt("snapshot.next_sequence");
            var orders = new RestingOrder[r.ReadLength("snapshot.orders", int.MaxValue)];
            var stamps = new long[orders.Length];
            for (var o = 0; o < orders.Length; o++)
            {
                orders[o] = new RestingOrder(r.ReadVarUInt("snapshot.order_id"), (uint)r.ReadVarUInt("snapshot.order_account"),
                    (Side)r.ReadEnum("snapshot.order_side", 1, 2), new Price(r.ReadVarInt("snapshot.order_price")),
                    new Quantity(r.ReadVarInt("snapshot.order_quantity")), r.ReadVarUInt("snapshot.client_order_id"),
                    (OrderFlags)r.ReadEnum("snapshot.order_flags", 0, 3), (SelfTradePrevention)r.ReadEnum("snapshot.order_stp", 1, 3),
                    r.ReadVarInt("snapshot.order_sequence"));
                stamps[o] = r.ReadVarInt("snapshot.queue_stamp");
            }
            book.Restore(orders, next);
            s._engine.Reindex(listed.Name);
            s._pendingInstrument = listed.Id;
            for (var o = 0; o < orders.Length; o++)
            {
                s.SyncOrder(orders[o].OrderId, requeued: false);
                s._orders[orders[o].OrderId] = s._orders[orders[o].OrderId] with { QueueStamp = stamps[o] };
            }
            s._pendingInstrument = -1;
        }
        foreach (var listed in s._instruments)
            if (listed.Settled) s._engine.Delist(listed.Name, new BookEvents());
        r.EnsureEnd("snapshot");
        s._nextQueueStamp = nextQueueStamp;

        if (checkpointHeight > s.Height || checkpointHeight % StateHasher.CheckpointInterval != 0)
            throw new DecodeException(DecodeError.ValueOutOfRange, $"snapshot checkpoint height {checkpointHeight} at height {s.Height}");
        s._hasher.Restored(s, checkpointHeight, checkpointRoot);
        s.AppHash = appHash;
        var root = s.ComputeStateRoot();
        if (root != stateRoot) throw new InvariantViolationException($"restored state has state root {root}, the snapshot recorded {stateRoot}");
        if (checkpointHeight == s.Height && root != checkpointRoot)
            throw new InvariantViolationException($"restored state at checkpoint height {s.Height} has state root {root}, its app hash committed to {checkpointRoot}");
        s.CheckSolvency();
        return s;
    }
}
