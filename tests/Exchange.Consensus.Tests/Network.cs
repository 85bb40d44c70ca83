using Exchange.Consensus;
using Exchange.Core.Crypto;
using Exchange.Core.Ledger;

namespace Exchange.Consensus.Tests;

/// <summary>
/// N cores wired together in memory: every broadcast reaches every other core in FIFO order; payload and
/// validation requests are answered at once; timers are recorded, never fired on their own. Enough for
/// happy-path runs; the seeded adversarial simulator is a separate piece.
/// </summary>
public sealed class Network
{
    private readonly Queue<(int To, ConsensusInput Input)> _queue = new();
    public ValidatorStub[] Stubs { get; }
    public ConsensusCore[] Cores { get; }
    public ValidatorSchedule Schedule { get; private set; }
    public List<(int Node, ConsensusOutput.CommitBlock Commit)> Commits { get; } = [];
    public List<ConsensusOutput.RequestPayload> PayloadRequests { get; } = [];
    public Func<ulong, int, Exchange.Core.Oracle.PriceObservation?>? Extension { get; init; }

    public Network(int n)
    {
        Stubs = ConsensusFixture.Stubs(n);
        Schedule = ValidatorSchedule.Genesis(ConsensusFixture.EqualSet(Stubs));
        Cores = [.. Stubs.Select(s => new ConsensusCore(ConsensusFixture.Config, new PrivValidator(s.KeyPair, new InMemorySignStateStore())))];
    }

    /// <summary>Starts <paramref name="height"/> on every core and runs until no message is in flight.</summary>
    public void RunHeight(ulong height, Commit lastCommit)
    {
        for (var i = 0; i < Cores.Length; i++)
        {
            if (Extension?.Invoke(height, i) is { } obs) _queue.Enqueue((i, new ConsensusInput.ExtensionReady(obs)));
            _queue.Enqueue((i, new ConsensusInput.Start(height, Schedule.Validators, lastCommit)));
        }
        while (_queue.TryDequeue(out var item))
            foreach (var output in Cores[item.To].Handle(item.Input)) Route(item.To, output);
    }

    public void AdvanceSchedule() => Schedule = Schedule.AfterCommit([]);

    private void Route(int from, ConsensusOutput output)
    {
        switch (output)
        {
            case ConsensusOutput.Broadcast b:
                for (var i = 0; i < Cores.Length; i++)
                    if (i != from) _queue.Enqueue((i, b.Message is Vote v ? new ConsensusInput.VoteReceived(v) : new ConsensusInput.ProposalReceived((Proposal)b.Message)));
                break;
            case ConsensusOutput.RequestPayload p:
                PayloadRequests.Add(p);
                var block = ConsensusFixture.MakeBlock(p.Height, Stubs[from].Key, p.LastCommit, Schedule.Validators);
                _queue.Enqueue((from, new ConsensusInput.PayloadReady(p.Height, p.Round, block)));
                break;
            case ConsensusOutput.ValidateBlock v:
                _queue.Enqueue((from, new ConsensusInput.BlockValidated(v.Block.Hash(), true)));
                break;
            case ConsensusOutput.CommitBlock c:
                Commits.Add((from, c));
                break;
            case ConsensusOutput.ScheduleTimeout or ConsensusOutput.EvidenceFound:
                break;
            default: throw new ArgumentOutOfRangeException(nameof(output), output, "unknown output");
        }
    }
}
