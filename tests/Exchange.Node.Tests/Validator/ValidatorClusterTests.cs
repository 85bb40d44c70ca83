using Akka.Configuration;
using Akka.TestKit.Xunit2;
using Exchange.Consensus;
using Exchange.Core.Ledger;
using Exchange.Node.Validator;
using Xunit.Abstractions;

namespace Exchange.Node.Tests.Validator;

/// <summary>Four ValidatorActors in one ActorSystem, each with its own test application, deciding real blocks.</summary>
public sealed class ValidatorClusterTests : TestKit
{
    internal static readonly Config TestConfig = ConfigurationFactory.ParseString("""
        akka.actor.serialize-messages = off
        akka.loglevel = WARNING
        akka.stdout-loglevel = WARNING
        """);

    private static readonly int[] All = [0, 1, 2, 3];
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly ValidatorCluster _cluster;

    public ValidatorClusterTests(ITestOutputHelper output) : base(TestConfig, output: output) => _cluster = new ValidatorCluster(this, 4);

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) _cluster.Dispose();
    }

    [Fact]
    public async Task Four_validators_should_decide_the_same_block_at_every_height()
    {
        var evidence = CreateTestProbe();
        Sys.EventStream.Subscribe(evidence, typeof(EvidenceObserved));
        _cluster.StartAll();

        await _cluster.WaitForHeight(All, 5, Patience);

        await _cluster.AssertSameChains(All);
        var chain = await _cluster.ChainOf(0);
        Assert.Contains(chain, c => c.Block.Transactions.Count > 0);
        for (var h = 0; h < chain.Count; h++)
        {
            var (block, commit) = chain[h];
            Assert.Equal(CommitCheck.Valid, commit.Verify(TestChain.ChainId, (ulong)h + 1, block.Hash(), _cluster.Genesis.PowerByKey(), _cluster.Genesis.TotalPower));
        }
        foreach (var node in All)
        {
            var status = await _cluster.StatusOf(node);
            Assert.Equal(0, status.CoreDrops.GetValueOrDefault(DropReason.BadSignature));
            Assert.Equal(0, status.Invalid);
        }
        Assert.False(evidence.HasMessages);
        Assert.Empty(_cluster.Network.ConflictingVotes());
    }

    [Fact]
    public async Task Three_of_four_validators_should_keep_deciding_when_one_stops()
    {
        _cluster.StartAll();
        await _cluster.WaitForHeight(All, 2, Patience);

        _cluster.Stop(3);
        var reached = (ulong)(await _cluster.ChainOf(0)).Count;
        // Four more heights: the stopped validator's turn to propose comes up, and its round times out.
        await _cluster.WaitForHeight([0, 1, 2], reached + 4, Patience);

        await _cluster.AssertSameChains([0, 1, 2]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Restarted_validator_should_never_sign_a_conflicting_vote(bool keepWal)
    {
        var evidence = CreateTestProbe();
        Sys.EventStream.Subscribe(evidence, typeof(EvidenceObserved));
        // From height 3 on, validators 0 to 2 refuse every block and validator 3 accepts them: at height 3
        // validator 3 prevotes a block in round 0 and in later rounds while the others vote nil, and rounds move
        // on by timeouts. Without its sign state, a restarted validator 3 would prevote nil in round 0.
        const ulong stuck = 3;
        _cluster.Switches.RejectBlocks([0, 1, 2], fromHeight: stuck);
        _cluster.StartAll();
        var before = await _cluster.WaitForStatus(3, s => s.Height == stuck && s.Round >= 2, Patience, "round 2 of the stuck height");
        _cluster.Stop(3);

        if (keepWal)
        {
            _cluster.Start(3);
            var resumed = await _cluster.WaitForStatus(3, s => s.Height == stuck && s.WalReplayed > 0, Patience, "the WAL replay");
            Assert.True(resumed.Round >= before.Round, $"resumed in round {resumed.Round}, had reached {before.Round}");
        }
        else
        {
            File.Delete(Path.Combine(_cluster.DataDirectory(3), ConsensusWal.FileName));
            // Alone, the restarted validator enters the height at round 0 and its propose timeout makes it try to sign there.
            _cluster.Network.Isolate(3);
            _cluster.Start(3);
            await _cluster.WaitForStatus(3, s => s.CoreDrops.GetValueOrDefault(DropReason.SignRefused) > 0, Patience, "a refused signature");
            _cluster.Network.Heal(3);
        }

        _cluster.Switches.AcceptAll();
        await _cluster.WaitForHeight(All, stuck + 1, Patience);

        await _cluster.AssertSameChains(All);
        Assert.True(_cluster.Network.VotesSentBy(_cluster.Keys[3].PublicKey) > 0);
        Assert.Empty(_cluster.Network.ConflictingVotes());
        Assert.False(evidence.HasMessages);
    }

    [Fact]
    public async Task Validator_that_missed_heights_should_catch_up_from_its_peers_decisions()
    {
        // Heights 5 and later wait until the test lets them through, so the others stop at 4 and keep the
        // decisions the lagging validator needs.
        const ulong frozen = 5;
        _cluster.Switches.RejectBlocks(All, fromHeight: frozen);
        _cluster.StartAll();
        await _cluster.WaitForHeight(All, 1, Patience);

        _cluster.Network.Isolate(3);
        var behind = (ulong)(await _cluster.ChainOf(3)).Count;
        await _cluster.WaitForHeight([0, 1, 2], frozen - 1, Patience);
        _cluster.Network.Heal(3);

        await _cluster.WaitForHeight([3], frozen - 1, Patience);
        var status = await _cluster.StatusOf(3);
        Assert.True(status.CatchUpsTaken >= (long)(frozen - 1 - behind) - 1, $"validator 3 took {status.CatchUpsTaken} decided blocks from peers, was {frozen - 1 - behind} behind");
        Assert.Equal(0, status.CatchUpsRefused);

        _cluster.Switches.AcceptAll();
        await _cluster.WaitForHeight(All, frozen + 1, Patience);
        await _cluster.AssertSameChains(All);
    }
}
