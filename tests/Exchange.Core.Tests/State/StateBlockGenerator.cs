using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.Ledger.Payloads;
using Exchange.Core.Numerics;
using Exchange.Core.Oracle;
using Exchange.Core.State;

namespace Exchange.Core.Tests.State;

/// <summary>
/// Seeded random blocks for the state machine: deposits, transfers, withdrawals, stakes, agent
/// approvals, listings and, mostly, orders that cross and rest, cancels and amends; a share of them
/// invalid (bad nonces, foreign keys, unknown instruments, broken amounts, funds that are not there).
/// Liquidation candidates are every account with positions, so the state machine's own re-check is exercised.
/// Now and then a block carries equivocation evidence against the genesis validator or a trader who staked,
/// at a past height where the key was a validator, sometimes for an offence already slashed.
/// The generator reads the state only to pick plausible ids; the same seed gives the same blocks.
/// </summary>
internal sealed class StateBlockGenerator(ulong seed, int traders = 12)
{
    private ulong _state = seed;
    private readonly KeyPair[] _traders = [.. Enumerable.Range(0, traders).Select(i => StateFixture.Key($"trader-{i}"))];
    private readonly Dictionary<PublicKey, ulong> _nonces = [];
    private long _time = StateFixture.GenesisMs;
    private int _deposits;
    private long _index = 100_000_000_000;
    private long _vol = 550_000;

    public IReadOnlyList<KeyPair> Traders => _traders;

    private ulong Next()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private int Next(int max) => (int)(Next() % (ulong)max);
    private bool Chance(int percent) => Next(100) < percent;
    private T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    public Genesis Genesis() => StateFixture.Genesis() with
    {
        Balances = [.. _traders.Select((t, i) => (t.PublicKey, Money.FromWhole(20_000 + 15_000L * (i % 6)))),
            (StateFixture.Bridge.PublicKey, Money.FromWhole(1)), (StateFixture.Authority.PublicKey, Money.FromWhole(1))],
    };

    public Block NextBlock(ExchangeState state)
    {
        // Mostly seconds apart; now and then a jump of hours, so expiries pass during a run.
        _time += Chance(2) ? 3_600_000 * (1 + Next(30)) : 500 + Next(1_500);
        // Each trader signs at most one transaction per block, so one rejection does not cascade into bad nonces.
        var txs = new List<Transaction>();
        var signers = _traders.OrderBy(_ => Next()).Take(Next(_traders.Length + 1)).ToArray();
        foreach (var signer in signers) txs.Add(NextTransaction(state, signer));
        var candidates = state.Accounts.Where(a => a.Holdings.Values.Any(h => h.Position != 0) && Chance(30)).Select(a => a.Key).ToArray();
        var commit = NextCommit(state);
        var evidence = NextEvidence(state);
        var header = new BlockHeader(StateFixture.Chain, state.Height + 1, 0, _time, Hash32.Zero, Block.ComputeTxRoot(txs), state.AppHash,
            Hash32.Zero, StateFixture.Validator.PublicKey, Block.ComputeLiquidationsHash(candidates), commit.IsEmpty ? Hash32.Zero : commit.Hash(),
            Block.ComputeEvidenceHash(evidence));
        return new Block(header, txs, commit, candidates, evidence);
    }

    /// <summary>In 3% of blocks, a double prevote of a key that was a validator at a recent height (rounds 0-2, so offences repeat).</summary>
    private EquivocationEvidence[] NextEvidence(ExchangeState state)
    {
        if (state.Height == 0 || !Chance(3)) return [];
        var height = state.Height - (ulong)Next((int)Math.Min(state.Height, 20));
        var key = Chance(50) ? StateFixture.Validator : Pick(_traders);
        if (!state.WasValidatorAt(key.PublicKey, height)) key = StateFixture.Validator;
        return [Ledger.EvidenceFixtures.DoublePrevote(key, StateFixture.Chain, height, (uint)Next(3))];
    }

    /// <summary>
    /// The previous height's commit with the validator's signed observation as its vote extension: the index
    /// walks randomly, now and then jumps 8% (margin calls), and now and then no observation comes (staleness).
    /// </summary>
    private Commit NextCommit(ExchangeState state)
    {
        if (state.Height == 0) return Commit.Empty;
        _index = Math.Max(10_000_000_000, _index + _index / 1_000 * (Next(21) - 10) + (Chance(2) ? _index / 100 * 8 * (Chance(50) ? 1 : -1) : 0));
        _vol = Math.Clamp(_vol + 5_000 * (Next(11) - 5), 200_000, 2_000_000);
        var signatures = new List<CommitSignature>();
        var observation = Chance(95)
            ? PriceObservation.Create(StateFixture.Validator.PublicKey, state.Height, _time, [new IndexQuote("BTC", new Price(_index), _vol)])
                .Sign(StateFixture.Chain, StateFixture.Validator, new byte[32])
            : null;
        signatures.Add(new CommitSignature(StateFixture.Validator.PublicKey, Signature.Empty, observation));
        return Commit.Create(state.Height, 0, Hash32.Zero, signatures);
    }

    private Transaction NextTransaction(ExchangeState state, KeyPair signer)
    {
        var roll = Next(100);
        Payload payload = roll switch
        {
            < 4 => new Deposit(Pick(_traders).PublicKey, Money.FromWhole(1 + Next(20_000)), Hash32.Compute(BitConverter.GetBytes(_deposits++ / (Chance(5) ? 2 : 1)))),
            < 8 => new Transfer(Pick(_traders).PublicKey, Money.FromWhole(Next(5_000))),
            < 11 => new Withdraw(Money.FromWhole(Next(20_000)), "0xabc"),
            < 13 => Chance(50) ? new Stake(Money.FromWhole(Next(2_000))) : new Unstake(Money.FromWhole(Next(2_000))),
            < 15 => new ApproveAgent(Pick(_traders).PublicKey, Chance(70)),
            < 16 => new ListInstrument("BTC", OptionExpiry(), Price.FromWhole(90_000 + 5_000 * Next(5)), Chance(50) ? OptionKind.Call : OptionKind.Put,
                Price.Parse("0.1"), Quantity.Parse("0.1"), Quantity.Parse("0.1")),
            < 17 => new SetMarginMode(Chance(50) ? MarginModeKind.Portfolio : MarginModeKind.Standard),
            < 62 => NextOrder(state),
            < 75 => new CancelOrder(OrderId(state, signer)),
            < 78 => new CancelAll(Chance(50) ? "" : Instrument(state)),
            _ => new AmendOrder(OrderId(state, signer), Price.FromWhole(500 + Next(9_000)), new Quantity(100_000L * (1 + Next(10)))),
        };
        if (payload is Deposit) signer = Chance(90) ? StateFixture.Bridge : signer;
        if (payload is ListInstrument) signer = Chance(80) ? StateFixture.Authority : signer;
        var nonce = _nonces[signer.PublicKey] = _nonces.GetValueOrDefault(signer.PublicKey) + 1;
        if (Chance(3)) nonce += (ulong)Next(3) - 1; // replayed, skipped or right
        var tx = Transaction.Create(StateFixture.Chain, signer.PublicKey, nonce, payload).SignWith(signer, new byte[32]);
        // The generator cannot know whether the state will accept it; it learns from the signer's account after the block.
        return tx;
    }

    /// <summary>Keeps the generator's nonces in step with what the state accepted.</summary>
    public void Observe(ExchangeState state)
    {
        foreach (var a in state.Accounts) _nonces[a.Key] = a.Nonce;
    }

    private long OptionExpiry() => (_time / 86_400_000 + 1 + Next(10)) * 86_400 + 8 * 3_600;

    private string Instrument(ExchangeState state)
    {
        var live = state.Instruments.Where(i => !i.Settled).ToArray();
        return live.Length == 0 || Chance(3) ? "BTC-1JAN27-1-C" : Pick(live).Name;
    }

    /// <summary>Mostly one of the signer's (or its principal's) resting orders; sometimes someone else's or none.</summary>
    private ulong OrderId(ExchangeState state, KeyPair signer)
    {
        var account = state.TryGetAccount(signer.PublicKey, out var own) && !Chance(5) ? own : state.Accounts[Next(state.Accounts.Count)];
        var trader = account.PrincipalId is { } p ? state.Accounts[(int)p] : account;
        var orders = state.OrdersOf(trader.Id).ToArray();
        return orders.Length == 0 || Chance(10) ? (ulong)Next(1_000_000) : Pick(orders).OrderId;
    }

    private PlaceOrder NextOrder(ExchangeState state)
    {
        var instrument = Instrument(state);
        var side = Chance(50) ? Side.Buy : Side.Sell;
        var mark = state.TryGetInstrument(instrument, out var listed) ? listed.Mark : 5_000_000_000;
        var ticks = Math.Max(1, mark / 100_000 + (side == Side.Buy ? -1 : 1) * (Next(40) - 12) * 10);
        var price = new Price(ticks * 100_000);
        var quantity = new Quantity(100_000L * (1 + Next(Chance(10) ? 40 : 8)));
        var type = Chance(8) ? OrderType.Market : OrderType.Limit;
        var tif = type == OrderType.Market ? TimeInForce.ImmediateOrCancel : (TimeInForce)(1 + Next(Chance(70) ? 1 : 3));
        var flags = (Chance(8) ? OrderFlags.ReduceOnly : OrderFlags.None) | (tif == TimeInForce.GoodTilCancelled && Chance(10) ? OrderFlags.PostOnly : OrderFlags.None);
        if (Chance(3)) price = new Price(price.Raw + 7); // off the tick
        return new PlaceOrder(instrument, side, type, tif, flags, type == OrderType.Market ? Price.Zero : price, quantity,
            Chance(30) ? (ulong)(1 + Next(10)) : 0, (SelfTradePrevention)(1 + Next(3)));
    }
}
