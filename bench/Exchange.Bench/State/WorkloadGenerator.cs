using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.Numerics;
using Exchange.Core.Oracle;
using Exchange.Core.State;

namespace Exchange.Bench.State;

/// <summary>
/// Builds and signs the benchmark's blocks once, against a shadow state that applies each transaction
/// as soon as it is chosen (through the same phases <see cref="ExchangeState.Apply"/> runs), so every
/// nonce is the next one and every cancel names a live order. Each block's commit carries the
/// validator's signed index observation: a random walk of ±0.05% a block, with a jump of +8% and,
/// later, one of −15% that put the leveraged accounts under maintenance; each block lists as
/// liquidation candidates the accounts the shadow finds under maintenance (<see cref="ExchangeState.FindLiquidationCandidates"/>),
/// as a proposer's margin engine would.
/// </summary>
internal sealed class WorkloadGenerator
{
    public const int TransactionsPerBlock = 1_000;
    /// <summary>Blocks of mostly quotes, then blocks of mostly takers (every trader once), before anything is measured.</summary>
    public const int QuotingBlocks = 3, TradingBlocks = 12;
    public const int WarmUpBlocks = QuotingBlocks + TradingBlocks;
    public const long BlockIntervalMs = 1_000;
    private static readonly byte[] AuxRand = new byte[32];

    private readonly BenchChain _chain;
    private readonly ExchangeState _shadow;
    private readonly TradingMix _mix;
    private long _index = BenchChain.InitialIndex;

    private WorkloadGenerator(BenchChain chain, ulong seed)
    {
        _chain = chain;
        _shadow = ExchangeState.FromGenesis(chain.Genesis);
        _mix = new TradingMix(chain, seed);
    }

    /// <summary>Blocks are generated in the order they are applied; the jumps fall a third and two thirds into the measured blocks.</summary>
    public static StateWorkload Generate(BenchChain chain, int measuredBlocks, ulong seed = 20261123)
    {
        var generator = new WorkloadGenerator(chain, seed);
        var warmUp = new List<BenchBlock>();
        for (var b = 0; b < WarmUpBlocks; b++) warmUp.Add(generator.NextBlock(warmUp: true, jumpPercent: 0));

        var roles = Enum.GetValues<TxRole>().ToDictionary(r => r, _ => 0);
        var rejections = new SortedDictionary<int, int>();
        var restingAtStart = generator._shadow.RestingOrders;
        var candidates = 0;
        var measured = new List<BenchBlock>();
        for (var b = 0; b < measuredBlocks; b++)
        {
            var jump = b == measuredBlocks / 3 ? 8 : b == 2 * measuredBlocks / 3 ? -15 : 0;
            var block = generator.NextBlock(warmUp: false, jump, rejections);
            measured.Add(block);
            foreach (var role in block.Roles) roles[role]++;
            candidates += block.Block.LiquidationCandidates.Count;
        }
        var census = new WorkloadCensus(roles, rejections, restingAtStart, generator._shadow.RestingOrders, candidates);
        return new StateWorkload(chain, warmUp, measured, census);
    }

    private BenchBlock NextBlock(bool warmUp, int jumpPercent, SortedDictionary<int, int>? rejections = null)
    {
        var state = _shadow;
        var height = state.Height + 1;
        var time = BenchChain.GenesisMs + (long)height * BlockIntervalMs;
        var commit = NextCommit(height, time, jumpPercent);
        var previousAppHash = state.AppHash;
        var provisional = new Block(Header(height, time, Hash32.Zero, previousAppHash, Hash32.Zero, commit), [], commit);

        var events = state.BeginBlock(provisional);
        var txs = new List<Transaction>(TransactionsPerBlock);
        var roles = new List<TxRole>(TransactionsPerBlock);
        var opening = warmUp && height == WarmUpBlocks ? 2 * TradingMix.LeveragedPerKind : 0;
        for (var i = 0; i < TransactionsPerBlock; i++)
        {
            var (role, signer, payload) =
                i < opening ? _mix.OpenShort(state, i)
                : !warmUp ? _mix.Measured(state)
                : height <= QuotingBlocks ? _mix.Quoting(state)
                : _mix.Trading(state);
            var nonce = state.TryGetAccount(signer.PublicKey, out var account) ? account.Nonce + 1 : 1;
            var tx = Transaction.Create(BenchChain.ChainId, signer.PublicKey, nonce, payload).SignWith(signer, AuxRand);
            var before = events.Count;
            state.ApplyTransaction(tx, i, events);
            if (rejections is not null && events.Count > before && events[^1] is TxRejected { TxIndex: var at, Code: var code } && at == i)
                rejections[code] = rejections.GetValueOrDefault(code) + 1;
            txs.Add(tx);
            roles.Add(role);
        }
        var candidates = state.FindLiquidationCandidates(Block.MaxLiquidations).Select(c => c.Account).ToArray();
        state.EndBlock(candidates, events);
        var appHash = state.CommitBlock(events).AppHash;

        var header = Header(height, time, Block.ComputeTxRoot(txs), previousAppHash, Block.ComputeLiquidationsHash(candidates), commit);
        return new BenchBlock(new Block(header, txs, commit, candidates), [.. roles], appHash);
    }

    private BlockHeader Header(ulong height, long time, Hash32 txRoot, Hash32 previousAppHash, Hash32 liquidationsHash, Commit commit) =>
        new(BenchChain.ChainId, height, 0, time, Hash32.Zero, txRoot, previousAppHash, Hash32.Zero, _chain.Validator.PublicKey,
            liquidationsHash, commit.IsEmpty ? Hash32.Zero : commit.Hash());

    /// <summary>The commit of the previous height, carrying the validator's signed observation of the index (none at height 1).</summary>
    private Commit NextCommit(ulong height, long time, int jumpPercent)
    {
        if (height == 1) return Commit.Empty;
        _index = jumpPercent != 0
            ? _index / 100 * (100 + jumpPercent)
            : _index + _index / 10_000 * _mix.Between(-5, 5);
        var observation = PriceObservation.Create(_chain.Validator.PublicKey, height - 1, time,
                [new IndexQuote(BenchChain.Underlying, new Price(_index), BenchChain.ImpliedVol)])
            .Sign(BenchChain.ChainId, _chain.Validator, AuxRand);
        return Commit.Create(height - 1, 0, Hash32.Zero, [new CommitSignature(_chain.Validator.PublicKey, Signature.Empty, observation)]);
    }
}
