using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Exchange.Consensus;
using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.Numerics;
using Exchange.Core.Oracle;
using Exchange.Node.Crypto;
using Exchange.Node.Mempool;
using Exchange.Node.Validator;
using Xunit.Abstractions;

namespace Exchange.Node.Tests.Validator;

/// <summary>
/// One ValidatorActor with the test in every other part (the base of the tests on real and on virtual time): a probe as its only peer, a probe as its application,
/// and the other three validators' keys to sign what they "send".
/// </summary>
public abstract class ValidatorHarness : TestKit
{
    protected static readonly byte[] Aux = new byte[32];
    protected static readonly TimeoutConfig Timeouts = new(ProposeMs: 400, ProposeDeltaMs: 200, PrevoteMs: 300, PrevoteDeltaMs: 100,
        PrecommitMs: 250, PrecommitDeltaMs: 100);

    protected readonly string Dir = Directory.CreateTempSubdirectory("exchange-validator-").FullName;
    protected readonly KeyPair[] Keys = [.. Enumerable.Range(0, 4).Select(TestKeys.Validator)];
    protected readonly ValidatorSet Genesis;
    protected readonly KeyPair Me;
    protected readonly KeyPair[] Others;
    protected readonly TestProbe Peer;
    protected readonly TestProbe App;

    protected ValidatorHarness(Akka.Configuration.Config config, ITestOutputHelper output) : base(config, output: output)
    {
        Genesis = ValidatorSet.Create(Keys.Select(k => (k.PublicKey, 10L)));
        // A validator that proposes neither round 0 nor round 1 of height 1, so only its timeouts make it vote.
        var proposers = new[] { Genesis.Proposer.Key, Genesis.IncrementProposerPriority(1).Proposer.Key };
        Me = Keys.First(k => !proposers.Contains(k.PublicKey));
        Others = [.. Keys.Where(k => k != Me)];
        Peer = CreateTestProbe("peer");
        App = CreateTestProbe("app");
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) Directory.Delete(Dir, recursive: true);
    }

    protected ValidatorSettings Settings(TimeoutConfig timeouts, IActorRef? oracle = null, IActorRef? mempool = null, TimeSpan? mempoolTimeout = null) =>
        new(TestChain.Config(timeouts), Me, Dir, App.Ref)
        {
            GossipInterval = TimeSpan.FromHours(1), Oracle = oracle ?? ActorRefs.Nobody, Mempool = mempool ?? ActorRefs.Nobody,
            MempoolTimeout = mempoolTimeout ?? TimeSpan.FromMilliseconds(300),
        };

    /// <summary>Starts the validator with the peer probe standing for one other validator, and answers its first question.</summary>
    protected IActorRef StartValidator(TimeoutConfig timeouts, ulong appliedHeight = 0, IActorRef? oracle = null, IActorRef? mempool = null,
        TimeSpan? mempoolTimeout = null)
    {
        var validator = Sys.ActorOf(ValidatorActor.Props(Settings(timeouts, oracle, mempool, mempoolTimeout)));
        validator.Tell(new ValidatorPeersChanged(new Dictionary<PublicKey, IActorRef> { [Others[0].PublicKey] = Peer.Ref }));
        App.ExpectMsg<GetLastApplied>();
        validator.Tell(new HeightApplied(appliedHeight, Commit.Empty, Genesis), App.Ref);
        return validator;
    }

    protected static Vote Signed(KeyPair key, VoteType type, ulong height, uint round, Hash32 block)
    {
        var v = new Vote(type, height, round, block, key.PublicKey, null, Signature.Empty);
        return v with { Signature = key.Sign(v.SigningHash(TestChain.ChainId), Aux) };
    }

    protected Vote ExpectVote(VoteType type, uint round) =>
        Peer.FishForMessage<Vote>(v => v.Type == type && v.Round == round, TimeSpan.FromSeconds(5));

    protected async Task<ValidatorStatus> StatusOf(IActorRef validator) =>
        await validator.Ask<ValidatorStatus>(GetValidatorStatus.Instance, TimeSpan.FromSeconds(5));
}

/// <summary>The validator's behaviour on the real scheduler: what it drops, buffers, and asks of its neighbours.</summary>
public sealed class ValidatorActorTests(ITestOutputHelper output) : ValidatorHarness(ValidatorClusterTests.TestConfig, output)
{
    [Fact]
    public async Task Votes_with_bad_signatures_should_be_dropped_counted_and_never_counted_as_votes()
    {
        var validator = StartValidator(Timeouts);
        // Nil prevotes claiming to be from two other validators, signed with the wrong keys: were they counted, the
        // validator's own nil prevote would make 2f+1 and it would precommit nil at once.
        validator.Tell(Signed(Others[0], VoteType.Prevote, 1, 0, Hash32.Zero) with { Validator = Others[1].PublicKey });
        validator.Tell(Signed(Others[0], VoteType.Prevote, 1, 0, Hash32.Zero) with { Validator = Others[2].PublicKey });
        var forged = Signed(Others[1], VoteType.Prevote, 1, 0, Hash32.Zero);
        validator.Tell(forged with { Signature = new Signature(forged.Signature.S, forged.Signature.R) });

        Assert.True(ExpectVote(VoteType.Prevote, 0).IsNil);
        Peer.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        var status = await StatusOf(validator);
        Assert.Equal(3, status.CoreDrops.GetValueOrDefault(DropReason.BadSignature));
        Assert.Equal(RoundStep.Prevote, status.Step);

        // Nor are they in the write-ahead log: a peer sending forged votes cannot fill the disk.
        Watch(validator);
        Sys.Stop(validator);
        ExpectTerminated(validator);
        using var wal = ConsensusWal.Open(Path.Combine(Dir, ConsensusWal.FileName));
        Assert.All(wal.Entries, e => Assert.True(e.Own || e.Message is null, $"unexpected record {e.Input.GetType().Name}"));
    }

    [Fact]
    public async Task Messages_should_be_sorted_by_height_before_the_core_sees_them()
    {
        var validator = StartValidator(Timeouts with { ProposeMs = 60_000 }, appliedHeight: 2);
        var current = Signed(Others[0], VoteType.Prevote, 3, 0, Hash32.Zero);
        validator.Tell(current);
        validator.Tell(current);                                                   // a relayed copy
        validator.Tell(Signed(Others[0], VoteType.Prevote, 2, 0, Hash32.Zero));   // a past height
        validator.Tell(Signed(Others[0], VoteType.Prevote, 4, 0, Hash32.Zero));   // the next height: kept
        validator.Tell(Signed(Others[1], VoteType.Prevote, 4, 0, Hash32.Zero));
        validator.Tell(Signed(Others[0], VoteType.Prevote, 6, 0, Hash32.Zero));   // beyond: dropped
        validator.Tell(current with { Height = 0 });                               // fails its stateless checks

        var status = await StatusOf(validator);
        Assert.Equal(3UL, status.Height);
        Assert.Equal((1L, 1L, 2L, 1L, 1L), (status.Duplicates, status.Stale, status.EarlyBuffered, status.TooFarAhead, status.Invalid));
        Assert.Empty(status.CoreDrops);
        // A validator that gets a message from beyond the next height is behind: it tells the sender (here the test) its height.
        Assert.Equal(3UL, ExpectMsg<ConsensusStatus>().Height);
    }

    [Fact]
    public void Oracle_observation_should_ride_on_the_precommit_for_a_block()
    {
        var oracle = CreateTestProbe("oracle");
        var validator = StartValidator(Timeouts with { ProposeMs = 60_000 }, oracle: oracle.Ref);
        var requested = oracle.ExpectMsg<ObservationRequested>();
        Assert.Equal(1UL, requested.Height);
        validator.Tell(new ObservationReady(PriceObservation.Create(Me.PublicKey, 1, 1_700_000_000_000, [new IndexQuote("BTC", new Price(60_000_000_000), 550_000)])));

        var proposer = Keys.Single(k => k.PublicKey == Genesis.Proposer.Key);
        var block = TestChain.Build(1, 0, 1_000, Commit.Empty, Genesis, proposer.PublicKey);
        var unsigned = new Proposal(1, 0, -1, block, proposer.PublicKey, Signature.Empty);
        validator.Tell(unsigned with { Signature = proposer.Sign(unsigned.SigningHash(TestChain.ChainId), Aux) });
        var check = App.ExpectMsg<ValidateBlockRequest>();
        validator.Tell(new BlockValidity(check.Block.Hash(), true));
        Assert.Equal(block.Hash(), ExpectVote(VoteType.Prevote, 0).BlockHash);
        foreach (var k in Others.Where(k => k != proposer).Take(1).Append(proposer))
            validator.Tell(Signed(k, VoteType.Prevote, 1, 0, block.Hash()));

        var precommit = ExpectVote(VoteType.Precommit, 0);
        Assert.Equal(block.Hash(), precommit.BlockHash);
        Assert.NotNull(precommit.Extension);
        Assert.True(precommit.VerifySignatures(TestChain.ChainId));
    }

    [Fact]
    public async Task Compact_proposal_should_be_rebuilt_from_verified_transactions_or_asked_for_whole()
    {
        var validator = StartValidator(Timeouts with { ProposeMs = 60_000 });
        var proposer = Keys.Single(k => k.PublicKey == Genesis.Proposer.Key);
        var trader = TestKeys.Validator(102);
        var nonce = (ulong)Random.Shared.NextInt64(1, long.MaxValue);   // transactions no other test has verified
        Transaction[] txs = [.. Enumerable.Range(0, 3).Select(i => Transaction.Create(TestChain.ChainId, trader.PublicKey, nonce + (ulong)i,
            new Exchange.Core.Ledger.Payloads.Transfer(Me.PublicKey, Money.FromWhole(1))).SignWith(trader, Aux))];
        var empty = TestChain.Build(1, 0, 1_000, Commit.Empty, Genesis, proposer.PublicKey);
        var block = new Block(empty.Header with { TxRoot = Block.ComputeTxRoot(txs) }, txs, Commit.Empty);
        var unsigned = new Proposal(1, 0, -1, block, proposer.PublicKey, Signature.Empty);
        var proposal = unsigned with { Signature = proposer.Sign(unsigned.SigningHash(TestChain.ChainId), Aux) };
        var sender = CreateTestProbe("sender");

        // Transactions this node has not verified: it asks the sender for the whole proposal and judges nothing yet.
        validator.Tell(CompactProposal.Of(proposal), sender.Ref);
        Assert.Equal(new ProposalWanted(1, 0), sender.ExpectMsg<ProposalWanted>());
        App.ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        // Once verified here (as the mempool records what it admits), the compact proposal is the proposal itself.
        foreach (var tx in txs) VerifiedTransactions.Shared.Add(tx.Hash(), tx);
        validator.Tell(CompactProposal.Of(proposal), sender.Ref);
        Assert.Equal(block.Hash(), App.ExpectMsg<ValidateBlockRequest>().Block.Hash());

        // A peer that lacks them gets the whole proposal from this node, which has it now.
        validator.Tell(new ProposalWanted(1, 0), sender.Ref);
        Assert.Equal(proposal, sender.ExpectMsg<Proposal>());
        Assert.Equal(1, (await StatusOf(validator)).ProposalsWanted);
        validator.Tell(new ProposalWanted(1, 0), sender.Ref);   // asked again within the gossip interval: not resent
        sender.ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        // Once the height is decided here, a peer still asking for its proposal gets the decided block and commit.
        validator.Tell(new BlockValidity(block.Hash(), true));
        foreach (var k in Others.Take(2)) validator.Tell(Signed(k, VoteType.Prevote, 1, 0, block.Hash()));
        foreach (var k in Others.Take(2)) validator.Tell(Signed(k, VoteType.Precommit, 1, 0, block.Hash()));
        var decided = App.FishForMessage<BlockDecided>(_ => true, TimeSpan.FromSeconds(5));
        validator.Tell(new HeightApplied(1, decided.Commit, Genesis), App.Ref);
        var late = CreateTestProbe("late");
        validator.Tell(new ProposalWanted(1, 0), late.Ref);
        var catchUp = late.ExpectMsg<DecidedBlock>();
        Assert.Equal((block.Hash(), decided.Commit), (catchUp.Block.Hash(), catchUp.Commit));
    }

    /// <summary>A signed proposal for height 1 carrying <paramref name="count"/> transfers no test has verified before.</summary>
    private (Proposal Proposal, Transaction[] Txs) FreshProposal(uint round, int count)
    {
        var proposer = Keys.Single(k => k.PublicKey == Genesis.Proposer.Key);
        var trader = TestKeys.Validator(103);
        var nonce = (ulong)Random.Shared.NextInt64(1, long.MaxValue / 2);
        Transaction[] txs = [.. Enumerable.Range(0, count).Select(i => Transaction.Create(TestChain.ChainId, trader.PublicKey, nonce + (ulong)i,
            new Exchange.Core.Ledger.Payloads.Transfer(Me.PublicKey, Money.FromWhole(1))).SignWith(trader, Aux))];
        var empty = TestChain.Build(1, round, 1_000, Commit.Empty, Genesis, proposer.PublicKey);
        var block = new Block(empty.Header with { TxRoot = Block.ComputeTxRoot(txs) }, txs, Commit.Empty);
        var unsigned = new Proposal(1, round, -1, block, proposer.PublicKey, Signature.Empty);
        return (unsigned with { Signature = proposer.Sign(unsigned.SigningHash(TestChain.ChainId), Aux) }, txs);
    }

    [Fact]
    public async Task Compact_proposal_lacking_transactions_should_take_them_from_the_mempool_rather_than_fetch_the_block()
    {
        var mempool = CreateTestProbe("mempool");
        var validator = StartValidator(Timeouts with { ProposeMs = 60_000 }, mempool: mempool.Ref, mempoolTimeout: TimeSpan.FromSeconds(2));
        var (proposal, txs) = FreshProposal(0, 3);
        VerifiedTransactions.Shared.Add(txs[0].Hash(), txs[0]);
        var sender = CreateTestProbe("sender");

        // It names to its mempool exactly what it lacks, and neither judges the block nor asks the sender yet.
        validator.Tell(CompactProposal.Of(proposal), sender.Ref);
        var ask = mempool.ExpectMsg<FindTxs>();
        Assert.Equal(txs.Skip(1).Select(t => t.Hash()), ask.Ids);
        // The same proposal relayed by another peer meanwhile is not asked about twice.
        validator.Tell(CompactProposal.Of(proposal), CreateTestProbe("relay").Ref);
        mempool.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        App.ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        // The mempool's copies, not yet verified (the application verifies them before it judges the block).
        validator.Tell(new TxsFound(ask.RequestId, [txs[2], txs[1]], 0), mempool.Ref);
        Assert.Equal(proposal.Block.Hash(), App.ExpectMsg<ValidateBlockRequest>().Block.Hash());
        sender.ExpectNoMsg(TimeSpan.FromSeconds(2.2));   // past the mempool timeout: it was cancelled
        var status = await StatusOf(validator);
        Assert.Equal((1L, 0L), (status.ProposalsFilled, status.ProposalsWanted));
        // A late or repeated answer changes nothing.
        validator.Tell(new TxsFound(ask.RequestId, [txs[1], txs[2]], 0), mempool.Ref);
        App.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task Compact_proposal_should_be_asked_for_whole_when_the_mempool_lacks_its_transactions_or_is_silent()
    {
        var mempool = CreateTestProbe("mempool");
        var validator = StartValidator(Timeouts with { ProposeMs = 60_000 }, mempool: mempool.Ref);
        var sender = CreateTestProbe("sender");

        // Some were never seen by this node's mempool: only the proposer has them.
        var (unknown, _) = FreshProposal(0, 2);
        validator.Tell(CompactProposal.Of(unknown), sender.Ref);
        validator.Tell(new TxsFound(mempool.ExpectMsg<FindTxs>().RequestId, [], 2), mempool.Ref);
        Assert.Equal(new ProposalWanted(1, 0), sender.ExpectMsg<ProposalWanted>());

        // An answer that does not complete the block (here, another transaction): the whole proposal.
        var (short_, txs) = FreshProposal(1, 2);
        var (_, others) = FreshProposal(1, 1);
        validator.Tell(CompactProposal.Of(short_), sender.Ref);
        validator.Tell(new TxsFound(mempool.ExpectMsg<FindTxs>().RequestId, [txs[0], others[0]], 0), mempool.Ref);
        Assert.Equal(new ProposalWanted(1, 1), sender.ExpectMsg<ProposalWanted>());

        // No answer within the mempool timeout (300 ms here): the whole proposal, and a late answer is ignored.
        var (silent, silentTxs) = FreshProposal(2, 2);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        validator.Tell(CompactProposal.Of(silent), sender.Ref);
        var ask = mempool.ExpectMsg<FindTxs>();
        Assert.Equal(new ProposalWanted(1, 2), sender.ExpectMsg<ProposalWanted>(TimeSpan.FromSeconds(3)));
        Assert.True(waited.Elapsed >= TimeSpan.FromMilliseconds(290), $"asked after {waited.Elapsed.TotalMilliseconds:N0} ms, before the timeout");
        validator.Tell(new TxsFound(ask.RequestId, silentTxs, 0), mempool.Ref);
        sender.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        App.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        var status = await StatusOf(validator);
        Assert.Equal((0L, 3L), (status.ProposalsFilled, status.ProposalsWanted));

        // A faulty proposer's compact proposal naming one transaction twice, answered with it twice: refused by the
        // block's checks, and the validator carries on.
        var (twice, twiceTxs) = FreshProposal(3, 1);
        var compact = CompactProposal.Of(twice);
        validator.Tell(compact with { Block = compact.Block with { TxIds = [twiceTxs[0].Hash(), twiceTxs[0].Hash()] } }, sender.Ref);
        validator.Tell(new TxsFound(mempool.ExpectMsg<FindTxs>().RequestId, [twiceTxs[0], twiceTxs[0]], 0), mempool.Ref);
        App.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        Assert.Equal(1L, (await StatusOf(validator)).ProposalsFilled);
    }

    [Fact]
    public async Task Sign_state_behind_its_wal_should_be_raised_to_the_last_vote_the_wal_shows_before_anything_is_signed()
    {
        // A crash after the prevote was synced in the WAL (and sent) but before the deferred sign-state save reached the disk.
        var block = TestKeys.Hash(7);
        var prevote = Signed(Me, VoteType.Prevote, 1, 0, block);
        using (var wal = ConsensusWal.Open(Path.Combine(Dir, ConsensusWal.FileName)))
        {
            wal.Begin(1);
            wal.Append(WalEntry.OwnMessage(prevote));
            wal.Sync();
        }
        Assert.False(File.Exists(Path.Combine(Dir, FileSignStateStore.FileName)));

        var validator = StartValidator(Timeouts with { ProposeMs = 60_000 });
        Assert.Equal(1L, (await StatusOf(validator)).WalReplayed);
        Watch(validator);
        Sys.Stop(validator);
        ExpectTerminated(validator);

        using var store = FileSignStateStore.Open(Path.Combine(Dir, FileSignStateStore.FileName), Me.PublicKey);
        Assert.Equal(new LastSignState(1, 0, SignStep.Prevote, prevote.SigningHash(TestChain.ChainId), prevote.Signature), store.Load());
        // So the key cannot prevote anything else in that round.
        Assert.Null(new PrivValidator(Me, store).SignVote(TestChain.ChainId, prevote with { BlockHash = Hash32.Zero, Signature = Signature.Empty }));
    }

    [Fact]
    public async Task Sign_state_behind_what_its_wal_header_carries_should_be_raised_before_anything_is_signed()
    {
        // The WAL moved on to height 2 carrying the precommit of height 1; its own messages are gone and the store never synced.
        var precommit = Signed(Me, VoteType.Precommit, 1, 0, TestKeys.Hash(7));
        var carried = new LastSignState(1, 0, SignStep.Precommit, precommit.SigningHash(TestChain.ChainId), precommit.Signature);
        using (var wal = ConsensusWal.Open(Path.Combine(Dir, ConsensusWal.FileName)))
        {
            wal.Begin(2, carried);
            wal.Sync();
        }

        var validator = StartValidator(Timeouts with { ProposeMs = 60_000 });
        await StatusOf(validator);
        Watch(validator);
        Sys.Stop(validator);
        ExpectTerminated(validator);

        using var store = FileSignStateStore.Open(Path.Combine(Dir, FileSignStateStore.FileName), Me.PublicKey);
        Assert.Equal(carried, store.Load());
    }

    [Fact]
    public void Next_height_should_carry_the_last_signature_of_the_one_before_in_the_wal_header()
    {
        var validator = StartValidator(Timeouts with { ProposeMs = 60_000 });
        var decided = DecideHeightOne(validator);
        validator.Tell(new HeightApplied(1, decided.Commit, Genesis), App.Ref);
        AwaitAssert(() => Assert.Equal(2UL, StatusOf(validator).Result.Height), TimeSpan.FromSeconds(5));
        Watch(validator);
        Sys.Stop(validator);
        ExpectTerminated(validator);

        using var wal = ConsensusWal.Open(Path.Combine(Dir, ConsensusWal.FileName));
        var own = decided.Commit.Signatures.Single(s => s.Validator == Me.PublicKey);
        Assert.Equal(2UL, wal.Height);
        Assert.Equal(new LastSignState(1, 0, SignStep.Precommit, Commit.PrecommitSigningHash(TestChain.ChainId, 1, 0, decided.Block.Hash()), own.Signature),
            wal.Carried);
    }

    /// <summary>Drives height 1 to a decision: the proposer's block, judged valid, with two other validators' prevotes and precommits.</summary>
    private BlockDecided DecideHeightOne(IActorRef validator)
    {
        var proposer = Keys.Single(k => k.PublicKey == Genesis.Proposer.Key);
        var block = TestChain.Build(1, 0, 1_000, Commit.Empty, Genesis, proposer.PublicKey);
        var unsigned = new Proposal(1, 0, -1, block, proposer.PublicKey, Signature.Empty);
        validator.Tell(unsigned with { Signature = proposer.Sign(unsigned.SigningHash(TestChain.ChainId), Aux) });
        App.FishForMessage<ValidateBlockRequest>(_ => true, TimeSpan.FromSeconds(5));
        validator.Tell(new BlockValidity(block.Hash(), true));
        foreach (var k in Others.Take(2)) validator.Tell(Signed(k, VoteType.Prevote, 1, 0, block.Hash()));
        foreach (var k in Others.Take(2)) validator.Tell(Signed(k, VoteType.Precommit, 1, 0, block.Hash()));
        return App.FishForMessage<BlockDecided>(_ => true, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Height_started_with_nothing_buffered_should_ask_a_peer_already_past_it_at_once_not_at_the_next_tick()
    {
        // The harness's gossip interval is an hour: any status the validator sends here is not a tick's.
        var validator = StartValidator(Timeouts with { ProposeMs = 60_000 });
        var ahead = CreateTestProbe("ahead");
        validator.Tell(Signed(Others[1], VoteType.Prevote, 3, 0, Hash32.Zero), ahead.Ref);   // two heights ahead: dropped
        Assert.Equal(1UL, ahead.ExpectMsg<ConsensusStatus>().Height);

        var decided = DecideHeightOne(validator);
        ahead.ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        // Height 2 starts with nothing buffered for it, and the peer has been seen at 3: it has decided 2.
        validator.Tell(new HeightApplied(1, decided.Commit, Genesis), App.Ref);
        Assert.Equal(2UL, ahead.ExpectMsg<ConsensusStatus>(TimeSpan.FromSeconds(3)).Height);
        // Once told at this height, the same peer is not told again for it.
        validator.Tell(Signed(Others[1], VoteType.Prevote, 4, 0, Hash32.Zero), ahead.Ref);
        ahead.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Height_started_with_votes_but_no_proposal_should_ask_the_proposer_for_it_at_once()
    {
        var validator = StartValidator(Timeouts with { ProposeMs = 60_000 });
        var peers = CreateTestProbe("peers");
        validator.Tell(new ValidatorPeersChanged(Others.ToDictionary(k => k.PublicKey, _ => peers.Ref)));

        // Precommits of height 2 for a block whose proposal this validator never got (it came while it was further behind).
        var next = TestKeys.Hash(9);
        foreach (var k in Others) validator.Tell(Signed(k, VoteType.Precommit, 2, 0, next));

        var decided = DecideHeightOne(validator);
        validator.Tell(new HeightApplied(1, decided.Commit, Genesis), App.Ref);

        // Not at a precommit timeout or a gossip tick (an hour here): as the height starts.
        Assert.Equal(new ProposalWanted(2, 0), peers.FishForMessage<ProposalWanted>(_ => true, TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public void Corrupt_sign_state_should_stop_the_validator_before_it_does_anything()
    {
        File.WriteAllBytes(Path.Combine(Dir, FileSignStateStore.FileName), [1, 2, 3]);
        var validator = Sys.ActorOf(ValidatorActor.Props(Settings(Timeouts)));
        Watch(validator);
        ExpectTerminated(validator);
        App.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        Assert.Equal([1, 2, 3], File.ReadAllBytes(Path.Combine(Dir, FileSignStateStore.FileName)));
    }
}
