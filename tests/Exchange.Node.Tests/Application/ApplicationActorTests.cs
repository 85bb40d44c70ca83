using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using Exchange.Consensus;
using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.Ledger.Payloads;
using Exchange.Core.Numerics;
using Exchange.Node.Application;
using Exchange.Node.Ledger;
using Exchange.Node.Market;
using Exchange.Node.Mempool;
using Exchange.Node.Validator;

namespace Exchange.Node.Tests.Application;

/// <summary>
/// The application actor between consensus and the node's ledger, mempool and margin engine, with probes in their
/// places: it learns the tip before answering, builds the proposer's block from what they give, refuses a proposal
/// with a forged transaction signature or a time far ahead of its clock, and reports a height only once it is applied.
/// </summary>
public sealed class ApplicationActorTests : TestKit
{
    private const string Chain = "exchange-app-test";
    private static readonly KeyPair Proposer = KeyPair.FromSecret(Enumerable.Repeat((byte)7, 32).ToArray());
    private static readonly KeyPair Trader = KeyPair.FromSecret(Enumerable.Repeat((byte)9, 32).ToArray());
    private static readonly ValidatorSchedule Schedule = ValidatorSchedule.Genesis(ValidatorSet.Create([(Proposer.PublicKey, 100)]));
    private static readonly Hash32 GenesisAppHash = Hash32.Compute("genesis"u8);

    private readonly Akka.TestKit.TestProbe _ledger;
    private readonly Akka.TestKit.TestProbe _mempool;
    private readonly Akka.TestKit.TestProbe _margin;
    private readonly IActorRef _app;

    public ApplicationActorTests()
    {
        _ledger = CreateTestProbe();
        _mempool = CreateTestProbe();
        _margin = CreateTestProbe();
        _app = Sys.ActorOf(ApplicationActor.Props(ApplicationSettings.Create(ConfigurationFactory.Empty, Chain, _ledger, _mempool, _margin, Proposer.PublicKey) with
        {
            MinBlockInterval = TimeSpan.Zero,
        }));
        _ledger.ExpectMsg<GetStatus>();
        _ledger.ExpectMsg<GetSchedule>();
    }

    private void Ready()
    {
        _ledger.Reply(new LedgerStatus(0, GenesisAppHash, 1_000));
        _ledger.Send(_app, new ScheduleAt(0, Schedule));
    }

    private static Transaction Transfer(ulong nonce) =>
        Transaction.Create(Chain, Trader.PublicKey, nonce, new Transfer(Proposer.PublicKey, Money.FromWhole(1))).SignWith(Trader, new byte[32]);

    [Fact]
    public void Should_answer_the_validator_only_once_it_knows_the_tip()
    {
        _app.Tell(GetLastApplied.Instance, TestActor);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        Ready();
        var applied = ExpectMsg<HeightApplied>();
        Assert.Equal(0UL, applied.Height);
        Assert.True(applied.Commit.IsEmpty);
        Assert.Equal(Schedule.Validators.Hash(), applied.NextHeightValidators.Hash());
    }

    [Fact]
    public void Should_build_the_proposers_block_from_the_mempool_and_the_margin_engine()
    {
        Ready();
        _app.Tell(new BuildBlock(1, 0, Commit.Empty, []), TestActor);
        var reap = _mempool.ExpectMsg<ReapBatch>();
        var tx = Transfer(1);
        _mempool.Reply(new Batch([tx], tx.Encode().Length, reap.RequestId));
        _margin.Reply(new LiquidationCandidates(0, [], _margin.ExpectMsg<GetLiquidationCandidates>().RequestId));

        var built = ExpectMsg<BlockBuilt>();
        var header = built.Block.Header;
        Assert.Equal((1UL, 0u, Chain), (header.Height, header.Round, header.ChainId));
        Assert.Equal(GenesisAppHash, header.AppHash);
        Assert.Equal(Schedule.Validators.Hash(), header.ValidatorsHash);
        Assert.Equal(Proposer.PublicKey, header.Proposer);
        Assert.Equal([tx], built.Block.Transactions);
        Assert.True(built.Block.Validate().IsValid);
        Assert.True(header.TimeUnixMs > 1_000);
        // The tip's app hash is the application's own: a build asks the ledger nothing.
        _ledger.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Should_refuse_a_proposal_with_a_forged_transaction_signature()
    {
        Ready();
        var good = Transfer(1);
        var forged = Transfer(2) with { Signature = good.Signature };
        var block = BlockWith([good, forged], DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        _app.Tell(new ValidateBlockRequest(block), TestActor);
        _ledger.ExpectMsg<CheckProposal>();
        _ledger.Reply(new ProposalChecked(block.Hash(), 0, null));
        Assert.False(ExpectMsg<BlockValidity>().Valid);

        var honest = BlockWith([good], DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        _app.Tell(new ValidateBlockRequest(honest), TestActor);
        _ledger.ExpectMsg<CheckProposal>();
        _ledger.Reply(new ProposalChecked(honest.Hash(), 0, null));
        Assert.True(ExpectMsg<BlockValidity>().Valid);
    }

    [Fact]
    public void Should_refuse_a_proposal_the_ledger_refuses_or_dated_far_ahead()
    {
        Ready();
        var block = BlockWith([], DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        _app.Tell(new ValidateBlockRequest(block), TestActor);
        _ledger.ExpectMsg<CheckProposal>();
        _ledger.Reply(new ProposalChecked(block.Hash(), 0, "block 1 names another validator set"));
        Assert.False(ExpectMsg<BlockValidity>().Valid);

        var ahead = BlockWith([], DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeMilliseconds());
        _app.Tell(new ValidateBlockRequest(ahead), TestActor);
        Assert.False(ExpectMsg<BlockValidity>().Valid);
        _ledger.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Should_report_a_decided_height_once_the_ledger_applied_it()
    {
        Ready();
        _app.Tell(GetLastApplied.Instance, TestActor);
        ExpectMsg<HeightApplied>();
        var block = BlockWith([], 2_000);
        var commit = Commit.Create(1, 0, block.Hash(), []);
        _app.Tell(new BlockDecided(block, commit), TestActor);
        _ledger.ExpectMsg<CommitBlock>();
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        _ledger.Reply(new BlockApplied(1, Hash32.Compute("after-1"u8), block, []) { Commit = commit, NextValidators = Schedule.NextValidators });
        var applied = ExpectMsg<HeightApplied>();
        Assert.Equal(1UL, applied.Height);
        Assert.Equal(commit, applied.Commit);

        // The next block carries the app hash the ledger reported with the applied one.
        _app.Tell(new BuildBlock(2, 0, commit, []), TestActor);
        _mempool.Reply(new Batch([], 0, _mempool.ExpectMsg<ReapBatch>().RequestId));
        _margin.Reply(new LiquidationCandidates(1, [], _margin.ExpectMsg<GetLiquidationCandidates>().RequestId));
        var built = ExpectMsg<BlockBuilt>();
        Assert.Equal((2UL, Hash32.Compute("after-1"u8)), (built.Block.Header.Height, built.Block.Header.AppHash));
    }

    /// <summary>An application whose answers are awaited for <paramref name="timeout"/> only, ready at genesis.</summary>
    private IActorRef ImpatientApp(TimeSpan timeout)
    {
        var app = Sys.ActorOf(ApplicationActor.Props(ApplicationSettings.Create(ConfigurationFactory.Empty, Chain, _ledger, _mempool, _margin, Proposer.PublicKey) with
        {
            MinBlockInterval = TimeSpan.Zero,
            AskTimeout = timeout,
        }));
        _ledger.ExpectMsg<GetStatus>();
        _ledger.ExpectMsg<GetSchedule>();
        _ledger.Reply(new LedgerStatus(0, GenesisAppHash, 1_000));
        _ledger.Send(app, new ScheduleAt(0, Schedule));
        return app;
    }

    [Fact]
    public void Should_give_up_a_build_the_mempool_does_not_answer_and_never_put_its_late_batch_in_a_later_block()
    {
        var app = ImpatientApp(TimeSpan.FromMilliseconds(300));
        app.Tell(new BuildBlock(1, 0, Commit.Empty, []), TestActor);
        var first = _mempool.ExpectMsg<ReapBatch>();
        _margin.Reply(new LiquidationCandidates(0, [], _margin.ExpectMsg<GetLiquidationCandidates>().RequestId));
        ExpectNoMsg(TimeSpan.FromMilliseconds(600));

        // Round 1 asks again; the first batch arrives late, then the one asked for now.
        app.Tell(new BuildBlock(1, 1, Commit.Empty, []), TestActor);
        var second = _mempool.ExpectMsg<ReapBatch>();
        var stale = Transfer(1);
        var fresh = Transfer(2);
        _mempool.Reply(new Batch([stale], stale.Encode().Length, first.RequestId));
        _margin.Reply(new LiquidationCandidates(0, [], _margin.ExpectMsg<GetLiquidationCandidates>().RequestId));
        _mempool.Reply(new Batch([fresh], fresh.Encode().Length, second.RequestId));

        var built = ExpectMsg<BlockBuilt>();
        Assert.Equal(1u, built.Round);
        Assert.Equal([fresh], built.Block.Transactions);
    }

    [Fact]
    public void Should_let_the_mempool_hold_an_empty_build_for_the_rest_of_the_empty_block_interval_and_ask_once()
    {
        var app = Sys.ActorOf(ApplicationActor.Props(ApplicationSettings.Create(ConfigurationFactory.Empty, Chain, _ledger, _mempool, _margin, Proposer.PublicKey) with
        {
            MinBlockInterval = TimeSpan.FromSeconds(30),
        }));
        _ledger.ExpectMsg<GetStatus>();
        _ledger.ExpectMsg<GetSchedule>();
        var tipTime = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        _ledger.Reply(new LedgerStatus(0, GenesisAppHash, tipTime));
        _ledger.Send(app, new ScheduleAt(0, Schedule));

        app.Tell(new BuildBlock(1, 0, Commit.Empty, []), TestActor);
        var reap = _mempool.ExpectMsg<ReapBatch>();
        Assert.InRange(reap.WaitForFirst, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(30));
        _margin.Reply(new LiquidationCandidates(0, [], _margin.ExpectMsg<GetLiquidationCandidates>().RequestId));
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        // The mempool answers when it has something or the wait is over; the block is built then, dated then, and
        // the mempool is not asked again meanwhile.
        var tx = Transfer(1);
        _mempool.Reply(new Batch([tx], tx.Encode().Length, reap.RequestId));
        var built = ExpectMsg<BlockBuilt>();
        Assert.Equal([tx], built.Block.Transactions);
        Assert.True(built.Block.Header.TimeUnixMs > tipTime);
        _mempool.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Should_build_without_candidates_when_the_margin_engine_does_not_answer()
    {
        var app = ImpatientApp(TimeSpan.FromMilliseconds(300));
        app.Tell(new BuildBlock(1, 0, Commit.Empty, []), TestActor);
        var tx = Transfer(1);
        _mempool.Reply(new Batch([tx], tx.Encode().Length, _mempool.ExpectMsg<ReapBatch>().RequestId));
        _margin.ExpectMsg<GetLiquidationCandidates>();

        var built = ExpectMsg<BlockBuilt>(TimeSpan.FromSeconds(3));
        Assert.Equal([tx], built.Block.Transactions);
        Assert.Empty(built.Block.LiquidationCandidates);
        Assert.True(built.Block.Validate().IsValid);
    }

    [Fact]
    public void Should_refuse_a_proposal_the_ledger_does_not_judge_in_time_and_answer_every_asker_once()
    {
        var app = ImpatientApp(TimeSpan.FromMilliseconds(300));
        var block = BlockWith([Transfer(1)], DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var other = CreateTestProbe();
        app.Tell(new ValidateBlockRequest(block), TestActor);
        app.Tell(new ValidateBlockRequest(block), other);
        _ledger.ExpectMsg<CheckProposal>();

        Assert.False(ExpectMsg<BlockValidity>(TimeSpan.FromSeconds(3)).Valid);
        Assert.False(other.ExpectMsg<BlockValidity>().Valid);
        // The ledger's late verdict changes nothing and answers nobody again.
        _ledger.Reply(new ProposalChecked(block.Hash(), 0, null));
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        other.ExpectNoMsg(TimeSpan.Zero);
    }

    private static Block BlockWith(IReadOnlyList<Transaction> txs, long timeMs)
    {
        var header = new BlockHeader(Chain, 1, 0, timeMs, Hash32.Zero, Block.ComputeTxRoot(txs), GenesisAppHash, Schedule.Validators.Hash(),
            Proposer.PublicKey, Block.ComputeLiquidationsHash([]), Hash32.Zero, Block.ComputeEvidenceHash([]));
        return new Block(header, txs, Commit.Empty, [], []);
    }
}
