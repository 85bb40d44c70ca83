using Exchange.Consensus;
using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.Ledger.Payloads;
using Exchange.Core.Numerics;
using Exchange.Core.Oracle;
using Exchange.Core.State;

namespace Exchange.Simulation;

/// <summary>
/// The application each simulated node runs: the real state machine (<see cref="ExchangeState"/>) over a small genesis
/// (the scenario's validators with their stakes, three funded clients, a BTC index and nothing listed). Blocks carry a
/// few signed transfers between the clients, the pending evidence the state admits, and the previous height's commit
/// with the validators' price observations as vote extensions, which the state's oracle takes in. The app hash is the
/// state's, so a block with any other app hash is one the application rejects (valid(v) false).
/// </summary>
public static class Application
{
    /// <summary>2026-11-23 00:00 UTC: block times are this plus the virtual time.</summary>
    public const long GenesisTimeMs = 1_795_392_000_000;
    public const int MaxTransfersPerBlock = 3;
    public static readonly Price IndexPrice = Price.FromWhole(100_000);
    public const long ImpliedVolMicros = 550_000;

    private static readonly byte[] Aux = new byte[32];

    /// <summary>The three client accounts whose transfers fill blocks.</summary>
    public static readonly KeyPair[] Clients = [.. Enumerable.Range(0, 3).Select(i => FixedKey(0xC1, i))];
    private static readonly KeyPair Authority = FixedKey(0xA0, 0);
    private static readonly KeyPair Bridge = FixedKey(0xB0, 0);

    private static KeyPair FixedKey(byte tag, int index)
    {
        var secret = new byte[32];
        secret[0] = tag;
        secret[31] = (byte)(index + 1);
        return KeyPair.FromSecret(secret);
    }

    /// <summary>The genesis of a run: validators bond their scenario stake in whole USDC; 5% slashing (the default).</summary>
    public static Genesis GenesisFor(IEnumerable<(PublicKey Key, long Stake)> validators) => new(
        Simulation.ChainId, GenesisTimeMs, Authority.PublicKey, Bridge.PublicKey,
        [.. validators.Select(v => (v.Key, Money.FromWhole(v.Stake)))],
        [.. Clients.Select(c => (c.PublicKey, Money.FromWhole(1_000)))],
        [],
        [new InitialIndex("BTC", IndexPrice, ImpliedVolMicros)],
        new FeeSchedule(MakerBps: 3, TakerBps: 3, PremiumCapBps: 1_250, InsuranceShareBps: 5_000),
        new RiskParameters(RiskFreeRateMicros: 0, MarkBandBps: 3_000, LiquidationPenaltyBps: 100, LiquidationBandBps: 1_000, OracleMaxAgeMs: 60_000));

    /// <summary>The block time at virtual time <paramref name="nowMs"/>: strictly after the state's last block.</summary>
    public static long BlockTime(ExchangeState state, long nowMs) => Math.Max(GenesisTimeMs + 1 + nowMs, state.TimeUnixMs + 1);

    /// <summary>The validator's unsigned observation for its precommit at <paramref name="height"/> (the oracle's part of a node).</summary>
    public static PriceObservation Observation(PublicKey validator, ulong height, long nowMs, long driftMicros) =>
        PriceObservation.Create(validator, height, GenesisTimeMs + nowMs, [new IndexQuote("BTC", new Price(IndexPrice.Raw + driftMicros), ImpliedVolMicros)]);

    /// <summary>One to three signed transfers of a few micro-USDC between clients, with the nonces the state expects.</summary>
    public static Transaction[] Transfers(ExchangeState state, SplitMix64 rng)
    {
        var count = 1 + rng.Next(MaxTransfersPerBlock);
        var txs = new Transaction[count];
        var used = new ulong[Clients.Length];
        for (var i = 0; i < count; i++)
        {
            var from = rng.Next(Clients.Length);
            var to = (from + 1 + rng.Next(Clients.Length - 1)) % Clients.Length;
            state.TryGetAccount(Clients[from].PublicKey, out var account);
            var nonce = account.Nonce + ++used[from];
            txs[i] = Transaction.Create(Simulation.ChainId, Clients[from].PublicKey, nonce, new Transfer(Clients[to].PublicKey, new Money(1 + rng.Next(1_000))))
                .SignWith(Clients[from], Aux);
        }
        return txs;
    }

    /// <summary>The offered evidence the state would take in the next block and has not slashed yet, one piece per offence, at most <see cref="Block.MaxEvidence"/>.</summary>
    public static EquivocationEvidence[] Admissible(ExchangeState state, IEnumerable<EquivocationEvidence> offered) =>
        [.. offered.Where(e => !state.IsSlashed(e.Offence) && state.CheckEvidence(e).IsValid).DistinctBy(e => e.Offence).Order().Take(Block.MaxEvidence)];

    public static Block Build(ExchangeState state, ulong height, uint round, long timeMs, Commit lastCommit, ValidatorSet validators, PublicKey proposer,
        Transaction[] transactions, EquivocationEvidence[] evidence, Hash32? appHash = null)
    {
        var prev = lastCommit.IsEmpty ? Hash32.Zero : lastCommit.BlockHash;
        var header = new BlockHeader(Simulation.ChainId, height, round, timeMs, prev, Block.ComputeTxRoot(transactions), appHash ?? state.AppHash,
            validators.Hash(), proposer, Block.ComputeLiquidationsHash([]), lastCommit.IsEmpty ? Hash32.Zero : lastCommit.Hash(), Block.ComputeEvidenceHash(evidence));
        return new Block(header, transactions, lastCommit, [], evidence);
    }

    /// <summary>
    /// valid(v) at a node whose committed chain is <paramref name="chain"/> and whose state is after it: the block's own
    /// checks pass, it is the next height, names the previous committed block, the state's app hash and this height's
    /// validator set, is later than the last block, carries a commit for the previous block that verifies against the
    /// previous height's validators, its transactions are signed by their senders, and the state admits its evidence.
    /// <paramref name="verifications"/> counts the signature checks made.
    /// </summary>
    public static bool Accepts(Block block, IReadOnlyList<(Block Block, Commit Commit)> chain, ExchangeState state, Func<ulong, ValidatorSet> validatorsAt,
        ref long verifications)
    {
        var h = (ulong)chain.Count + 1;
        var header = block.Header;
        if (header.Height != h || header.ChainId != Simulation.ChainId || !block.Validate().IsValid) return false;
        var prev = chain.Count == 0 ? Hash32.Zero : chain[^1].Block.Hash();
        if (header.PrevBlockHash != prev || header.AppHash != state.AppHash || header.ValidatorsHash != validatorsAt(h).Hash()) return false;
        if (header.TimeUnixMs <= state.TimeUnixMs) return false;
        if (chain.Count == 0 ? !block.LastCommit.IsEmpty : !CommitVerifies(block, chain[^1].Commit, prev, validatorsAt(h - 1), ref verifications)) return false;
        verifications += block.Transactions.Count + 2L * block.EvidenceList.Count;
        foreach (var tx in block.Transactions)
            if (tx.VerifySignature(Simulation.ChainId) != SignatureCheck.Valid) return false;
        return state.ValidateEvidence(block).IsValid;
    }

    private static bool CommitVerifies(Block block, Commit held, Hash32 prev, ValidatorSet set, ref long verifications)
    {
        // A commit the node already holds for that block was verified when it was made or received.
        if (block.LastCommit.Hash() == held.Hash()) return true;
        verifications += block.LastCommit.Signatures.Count + block.LastCommit.Observations().Count;
        return block.LastCommit.Verify(Simulation.ChainId, block.Header.Height - 1, prev, set.PowerByKey(), set.TotalPower) == CommitCheck.Valid;
    }
}
