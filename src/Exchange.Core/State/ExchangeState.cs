using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.Ledger.Payloads;
using Exchange.Core.Markets;
using Exchange.Core.Markets.Book;
using Exchange.Core.Numerics;
using Exchange.Core.Oracle;

namespace Exchange.Core.State;

/// <summary>What applying one block produced: the state after it, what happened, and the app hash to put in the next header.</summary>
public sealed record BlockResult(ExchangeState State, IReadOnlyList<StateEvent> Events, Hash32 AppHash);

/// <summary>Raised when a block cannot be applied at all (wrong chain, height or time): the node must stop, not guess.</summary>
public sealed class StateMachineHaltException(string message) : Exception(message);

/// <summary>
/// The exchange: every account, instrument, order book, fund and price, and the one function that
/// moves it forward, <see cref="Apply"/>. Every validator runs the same blocks through it and must
/// reach the same app hash. It reads no clock (block time only), draws no randomness and iterates
/// nothing in hash order. It mutates in place for speed; <see cref="Snapshot"/> and
/// <see cref="Restore"/> copy it. Signatures are verified by the node, in parallel, before a
/// block reaches it.
/// </summary>
public sealed partial class ExchangeState
{
    private readonly List<Account> _accounts = [];
    private readonly Dictionary<PublicKey, uint> _accountByKey = [];
    private readonly List<ListedInstrument> _instruments = [];
    private readonly Dictionary<string, int> _instrumentByName = new(StringComparer.Ordinal);
    private readonly Dictionary<ulong, OrderInfo> _orders = [];
    private readonly Dictionary<uint, SortedSet<ulong>> _ordersByAccount = [];
    private readonly HashSet<Hash32> _creditedDeposits = [];
    private OracleState _oracle;
    private readonly MatchingEngine _engine;
    private readonly BookEvents _bookEvents = new();
    private readonly StateHasher _hasher = new();

    public Genesis Genesis { get; }
    public ulong Height { get; private set; }
    public long TimeUnixMs { get; private set; }
    public Hash32 AppHash { get; private set; }

    /// <summary>The last checkpoint height (a multiple of <see cref="StateHasher.CheckpointInterval"/>) and the state root the app hash committed there.</summary>
    public ulong CheckpointHeight => _hasher.CheckpointHeight;
    public Hash32 CheckpointRoot => _hasher.CheckpointRoot;

    /// <summary>The Merkle root over every account (with holdings and resting orders) as the state stands now; equals <see cref="CheckpointRoot"/> at a checkpoint height.</summary>
    public Hash32 ComputeStateRoot() => _hasher.ComputeStateRoot(this);

    public long InsuranceFund { get; private set; }
    public long FeePool { get; private set; }
    public long TotalDeposits { get; private set; }
    public long TotalWithdrawals { get; private set; }
    /// <summary>Running hash over every credited bridge transfer id, so the app hash commits to the set without rehashing it.</summary>
    public Hash32 DepositsDigest { get; private set; }

    /// <summary>Checks the solvency invariants after every block and halts on a violation.</summary>
    public bool CheckInvariants { get; init; } = true;

    private ExchangeState(Genesis genesis, Func<InstrumentSpec, IOrderBook> createBook)
    {
        Genesis = genesis;
        _engine = new MatchingEngine(createBook);
        _oracle = new OracleState(OracleParameters.Default with { MaxAgeMs = genesis.Risk.OracleMaxAgeMs });
    }

    public static ExchangeState FromGenesis(Genesis genesis, Func<InstrumentSpec, IOrderBook>? createBook = null)
    {
        if (genesis.Check() is { } error) throw new ArgumentException($"invalid genesis: {error}", nameof(genesis));
        var s = new ExchangeState(genesis, createBook ?? (spec => new FastOrderBook(spec)));
        s.TimeUnixMs = genesis.GenesisTimeUnixMs;
        foreach (var (key, amount) in genesis.Balances)
        {
            s.AccountFor(key).Balance += amount.Raw;
            s.TotalDeposits += amount.Raw;
        }
        foreach (var (key, stake) in genesis.Validators)
        {
            s.AccountFor(key).Stake += stake.Raw;
            s.TotalDeposits += stake.Raw;
            s.AddBondChange(key, new BondChange(1, true));
        }
        foreach (var index in genesis.Indexes)
            s._oracle.Seed(index.Underlying, genesis.GenesisTimeUnixMs, index.Price, index.ImpliedVolMicros);
        foreach (var rule in genesis.Listings)
            foreach (var instrument in rule.Instruments(genesis.GenesisDay))
                s.ListInstrument(instrument);
        s.RefreshMarks();
        s.AppHash = s._hasher.Compute(s, Hash32.Zero);
        s.CheckSolvency();
        return s;
    }

    public IReadOnlyList<Account> Accounts => _accounts;

    /// <summary>
    /// The ids (indexes into <see cref="Accounts"/>) of the accounts the last applied block created or changed, in id
    /// order: exactly those the app hash committed to. Valid until the next block is applied; empty for a state just
    /// restored from a snapshot. A copy of the accounts kept beside the state follows it by these alone.
    /// </summary>
    public ReadOnlySpan<uint> AccountsChangedByLastBlock => _hasher.LastBlockAccounts;
    public IReadOnlyList<ListedInstrument> Instruments => _instruments;
    public MatchingEngine Engine => _engine;
    public int RestingOrders => _orders.Count;

    public bool TryGetAccount(PublicKey key, out Account account)
    {
        if (_accountByKey.TryGetValue(key, out var id)) { account = _accounts[(int)id]; return true; }
        account = null!;
        return false;
    }

    public bool TryGetInstrument(string name, out ListedInstrument instrument)
    {
        if (_instrumentByName.TryGetValue(name, out var id)) { instrument = _instruments[id]; return true; }
        instrument = null!;
        return false;
    }

    public IEnumerable<OrderInfo> OrdersOf(uint account) =>
        _ordersByAccount.TryGetValue(account, out var ids) ? ids.Select(id => _orders[id]) : [];

    internal IReadOnlyDictionary<ulong, OrderInfo> OrderIndex => _orders;

    /// <summary>The latest index price of an underlying, its implied volatility, and whether it is fresh at the current block time.</summary>
    public (Price Price, long ImpliedVolMicros, bool Fresh) Index(string underlying)
    {
        if (!_oracle.TryGetLatest(underlying, out var reading)) throw new InvalidOperationException($"no index for {underlying}");
        return (reading.Price, reading.ImpliedVol, _oracle.IsFresh(underlying, TimeUnixMs));
    }

    public OracleState Oracle => _oracle;

    /// <summary>
    /// The settlement price of an expiry: the oracle's 30-minute time-weighted average when the window had
    /// fresh data. When it did not (the chain or the feed was down across the expiry), settlement waits for the
    /// first index updated after the expiry and uses it: a late price, never an old one. Until then the series
    /// stays open for settlement and closed for trading.
    /// </summary>
    private bool TrySettlementPrice(string underlying, long expiryUnixMs, out Price price)
    {
        var status = _oracle.SettlementPrice(underlying, expiryUnixMs, out price);
        if (status == SettlementStatus.Settled) return true;
        if (status is not (SettlementStatus.NoUpdateInWindow or SettlementStatus.StaleAtExpiry or SettlementStatus.WindowNotRetained)) return false;
        if (!_oracle.TryGetLatest(underlying, out var latest) || latest.UpdatedAtMs <= expiryUnixMs || !_oracle.IsFresh(underlying, TimeUnixMs)) return false;
        price = latest.Price;
        return true;
    }

    /// <summary>Bonded stake by key: the weights of the oracle's median (consensus applies set changes two heights later).</summary>
    private (Dictionary<PublicKey, long> Power, long Total) StakeWeights()
    {
        var power = new Dictionary<PublicKey, long>();
        long total = 0;
        foreach (var a in _accounts)
        {
            if (a.Stake <= 0) continue;
            power[a.Key] = a.Stake;
            total = checked(total + a.Stake);
        }
        return (power, total);
    }

    private Account AccountFor(PublicKey key)
    {
        if (_accountByKey.TryGetValue(key, out var id)) return _accounts[(int)id];
        var account = new Account((uint)_accounts.Count, key);
        _accounts.Add(account);
        _accountByKey.Add(key, account.Id);
        _hasher.Touch(account.Id);
        return account;
    }

    private void ListInstrument(Instrument instrument)
    {
        var listed = new ListedInstrument(_instruments.Count, instrument);
        _instruments.Add(listed);
        _instrumentByName.Add(instrument.Name, listed.Id);
        _engine.List(instrument);
    }

    /// <summary>
    /// Applies a block that consensus has committed and whose signatures the node has verified.
    /// Transactions run in block order; each either applies whole or is rejected with an event and
    /// no effect. Then the block's own work (expiries) runs, the invariants are checked, and the app hash is computed.
    /// </summary>
    public BlockResult Apply(Block block)
    {
        var events = BeginBlock(block);
        for (var i = 0; i < block.Transactions.Count; i++) ApplyTransaction(block.Transactions[i], i, events);
        EndBlock(block.LiquidationCandidates, events);
        return CommitBlock(events);
    }

    // Apply's phases, run only in this order and only through Apply; internal so the state benchmark
    // (bench/Exchange.Bench/State) can time each phase of the same code, the app hash on its own.

    /// <summary>Checks the header and the evidence, moves height and time, feeds the commit's observations to the oracle, refreshes marks and slashes equivocators.</summary>
    internal List<StateEvent> BeginBlock(Block block)
    {
        var header = block.Header;
        if (header.ChainId != Genesis.ChainId) throw new StateMachineHaltException($"block for chain '{header.ChainId}' given to chain '{Genesis.ChainId}'");
        if (header.Height != Height + 1) throw new StateMachineHaltException($"block {header.Height} given at height {Height}");
        if (header.TimeUnixMs <= TimeUnixMs) throw new StateMachineHaltException($"block time {header.TimeUnixMs} is not after the previous block's {TimeUnixMs}");
        if (ValidateEvidence(block) is { IsValid: false } evidence) throw new StateMachineHaltException($"block {header.Height} carries invalid evidence: {evidence.Message}");

        Height = header.Height;
        TimeUnixMs = header.TimeUnixMs;
        var events = new List<StateEvent>(block.Transactions.Count + 16);
        var (power, total) = StakeWeights();
        if (total > 0) _oracle.Apply(Height, TimeUnixMs, block.LastCommit.Observations(), power, total);
        RefreshMarks();
        ApplyEvidence(block.EvidenceList, events);
        _blockActions = 0;
        return events;
    }

    /// <summary>The block's own work after its transactions: liquidations, expiries, then the solvency check.</summary>
    internal void EndBlock(IReadOnlyList<PublicKey> liquidationCandidates, List<StateEvent> events)
    {
        Liquidate(liquidationCandidates, events);
        SettleExpired(events);
        if (CheckInvariants) CheckSolvency();
    }

    /// <summary>Computes the app hash over what the block changed.</summary>
    internal BlockResult CommitBlock(List<StateEvent> events)
    {
        AppHash = _hasher.Compute(this, AppHash);
        return new BlockResult(this, events, AppHash);
    }

    internal void ApplyTransaction(Transaction tx, int index, List<StateEvent> events)
    {
        var outcome = Execute(tx, index, events);
        if (outcome.IsOk) return;
        events.Add(new TxRejected(index, tx.Hash(), tx.Sender, outcome.Code, outcome.Reason));
    }

    private Outcome Execute(Transaction tx, int index, List<StateEvent> events)
    {
        if (tx.ChainId != Genesis.ChainId) return Outcome.Fail(StateError.WrongChain, $"transaction for chain '{tx.ChainId}'");
        var valid = tx.Validate();
        if (!valid.IsValid) return new Outcome((int)valid.Error, valid.Message);
        if (!_accountByKey.TryGetValue(tx.Sender, out var signerId))
            return Outcome.Fail(StateError.UnknownSigner, "the signer has no account: fund it first (deposit or transfer) or approve it as an agent");
        var signer = _accounts[(int)signerId];
        if (tx.Nonce != signer.Nonce + 1)
            return Outcome.Fail(StateError.BadNonce, $"nonce {tx.Nonce} is not the next one ({signer.Nonce + 1})");

        var context = new TxContext(this, signer, index, events);
        var outcome = tx.Payload switch
        {
            Deposit p => Handlers.DepositHandler.Handle(context, p),
            Withdraw p => Handlers.WithdrawHandler.Handle(context, p),
            Transfer p => Handlers.TransferHandler.Handle(context, p),
            PlaceOrder p => Handlers.PlaceOrderHandler.Handle(context, p),
            CancelOrder p => Handlers.CancelOrderHandler.Handle(context, p),
            CancelAll p => Handlers.CancelAllHandler.Handle(context, p),
            AmendOrder p => Handlers.AmendOrderHandler.Handle(context, p),
            ApproveAgent p => Handlers.ApproveAgentHandler.Handle(context, p),
            ListInstrument p => Handlers.ListInstrumentHandler.Handle(context, p),
            Stake p => Handlers.StakeHandler.Handle(context, p),
            Unstake p => Handlers.UnstakeHandler.Handle(context, p),
            SetMarginMode p => Handlers.SetMarginModeHandler.Handle(context, p),
            _ => throw new InvalidOperationException($"no handler for payload {tx.Payload.Kind}"),
        };
        if (!outcome.IsOk) return outcome;
        signer.Nonce = tx.Nonce;
        _hasher.Touch(signer.Id);
        return outcome;
    }
}

/// <summary>A handler's verdict: success, or a numbered code with a reason a person can act on.</summary>
public readonly record struct Outcome(int Code, string Reason)
{
    public static readonly Outcome Ok = new(0, "");
    public bool IsOk => Code == 0;
    public static Outcome Fail(StateError error, string reason) => new((int)error, reason);
}
