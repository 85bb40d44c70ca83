using Akka.Actor;
using Exchange.Consensus;
using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Node.Validator;

namespace Exchange.Node.Tests.Validator;

/// <summary>Switches a test flips while validators run; read by every test application.</summary>
internal sealed class AppSwitches
{
    private volatile Rule _rule = new(new HashSet<int>(), ulong.MaxValue);

    private sealed record Rule(IReadOnlySet<int> Nodes, ulong FromHeight);

    /// <summary>
    /// The applications of <paramref name="nodes"/> judge every block from <paramref name="fromHeight"/> on invalid
    /// (a proposer still votes for its own): with more than a third of the stake rejecting, rounds end in nil
    /// precommits and move on by timeouts.
    /// </summary>
    public void RejectBlocks(IEnumerable<int> nodes, ulong fromHeight) => _rule = new Rule(nodes.ToHashSet(), fromHeight);

    public void AcceptAll() => _rule = new Rule(new HashSet<int>(), ulong.MaxValue);

    public bool Rejects(int node, ulong height)
    {
        var rule = _rule;
        return height >= rule.FromHeight && rule.Nodes.Contains(node);
    }
}

/// <summary>
/// The application side of one test node: the proposer's block builder and the ledger, with <see cref="TestChain"/>'s
/// rules. It outlives the validator it serves, as a ledger does, so a restarted validator asks it where to resume.
/// </summary>
internal sealed class TestApplication : ReceiveActor
{
    public sealed record GetChain
    {
        public static readonly GetChain Instance = new();
    }

    /// <summary>Told to the observer for each block applied.</summary>
    public sealed record Committed(int Node, ulong Height, Block Block, Commit Commit);

    private readonly List<(Block Block, Commit Commit)> _chain = [];
    private readonly List<ValidatorSet> _sets = [];
    private ValidatorSchedule _schedule;

    public static Props Props(int node, PublicKey validator, ValidatorSet genesis, IActorRef observer, AppSwitches switches) =>
        Akka.Actor.Props.Create(() => new TestApplication(node, validator, genesis, observer, switches));

    public TestApplication(int node, PublicKey validator, ValidatorSet genesis, IActorRef observer, AppSwitches switches)
    {
        _schedule = ValidatorSchedule.Genesis(genesis);
        Receive<GetLastApplied>(_ => Sender.Tell(LastApplied()));
        Receive<BuildBlock>(b =>
        {
            var time = Math.Max(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), _chain.Count == 0 ? 0 : _chain[^1].Block.Header.TimeUnixMs);
            Sender.Tell(new BlockBuilt(b.Height, b.Round, TestChain.Build(b.Height, b.Round, time, b.LastCommit, ValidatorsAt(b.Height), validator)));
        });
        Receive<ValidateBlockRequest>(v =>
            Sender.Tell(new BlockValidity(v.Block.Hash(), !switches.Rejects(node, v.Block.Header.Height) && TestChain.Accepts(v.Block, _chain, ValidatorsAt))));
        Receive<BlockDecided>(d =>
        {
            if (d.Block.Header.Height == (ulong)_chain.Count + 1)
            {
                _chain.Add((d.Block, d.Commit));
                observer.Tell(new Committed(node, d.Block.Header.Height, d.Block, d.Commit));
            }
            Sender.Tell(LastApplied());
        });
        Receive<GetChain>(_ => Sender.Tell(_chain.ToList()));
    }

    private HeightApplied LastApplied()
    {
        var h = (ulong)_chain.Count;
        return new HeightApplied(h, h == 0 ? Commit.Empty : _chain[^1].Commit, ValidatorsAt(h + 1));
    }

    private ValidatorSet ValidatorsAt(ulong height)
    {
        while ((ulong)_sets.Count < height)
        {
            _sets.Add(_schedule.Validators);
            _schedule = _schedule.AfterCommit([]);
        }
        return _sets[(int)height - 1];
    }
}
