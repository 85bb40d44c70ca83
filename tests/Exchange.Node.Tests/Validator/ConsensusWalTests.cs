using Exchange.Consensus;
using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.Numerics;
using Exchange.Core.Oracle;
using Exchange.Node.Validator;

namespace Exchange.Node.Tests.Validator;

public sealed class ConsensusWalTests : IDisposable
{
    private static readonly byte[] Aux = new byte[32];
    private readonly string _dir = Directory.CreateTempSubdirectory("exchange-wal-").FullName;
    private readonly KeyPair[] _keys = [.. Enumerable.Range(0, 4).Select(TestKeys.Validator)];
    private readonly ValidatorSet _set;

    public ConsensusWalTests() => _set = ValidatorSet.Create(_keys.Select(k => (k.PublicKey, 10L)));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string WalPath => Path.Combine(_dir, ConsensusWal.FileName);
    private KeyPair Proposer => _keys.Single(k => k.PublicKey == _set.Proposer.Key);

    private Block BlockAt(ulong height) => TestChain.Build(height, 0, 1_000, Commit.Empty, _set, Proposer.PublicKey);

    private static Proposal SignedProposal(KeyPair key, Block block, uint round = 0)
    {
        var p = new Proposal(block.Header.Height, round, -1, block, key.PublicKey, Signature.Empty);
        return p with { Signature = key.Sign(p.SigningHash(TestChain.ChainId), Aux) };
    }

    private static Vote SignedVote(KeyPair key, VoteType type, ulong height, uint round, Hash32 block, PriceObservation? extension = null)
    {
        var v = new Vote(type, height, round, block, key.PublicKey, extension, Signature.Empty);
        return v with { Signature = key.Sign(v.SigningHash(TestChain.ChainId), Aux) };
    }

    private WalEntry[] OneOfEachKind()
    {
        var block = BlockAt(1);
        var observation = PriceObservation.Create(_keys[1].PublicKey, 1, 1_700_000_000_000, [new IndexQuote("BTC", new Price(60_000_000_000), 550_000)]);
        return
        [
            new(new ConsensusInput.ProposalReceived(SignedProposal(Proposer, block))),
            new(new ConsensusInput.VoteReceived(SignedVote(_keys[1], VoteType.Prevote, 1, 0, block.Hash()))),
            new(new ConsensusInput.VoteReceived(SignedVote(_keys[1], VoteType.Precommit, 1, 0, block.Hash(), observation.Sign(TestChain.ChainId, _keys[1], Aux)))),
            new(new ConsensusInput.TimeoutElapsed(1, 0, RoundStep.Prevote)),
            new(new ConsensusInput.PayloadReady(1, 2, BlockAt(1))),
            new(new ConsensusInput.BlockValidated(block.Hash(), false)),
            new(new ConsensusInput.ExtensionReady(observation)),
            WalEntry.OwnMessage(SignedProposal(Proposer, block, round: 3)),
            WalEntry.OwnMessage(SignedVote(_keys[2], VoteType.Prevote, 1, 3, Hash32.Zero)),
        ];
    }

    private static void AssertSameEntries(IEnumerable<WalEntry> expected, IEnumerable<WalEntry> actual) =>
        Assert.Equal(expected.Select(e => Convert.ToHexString(e.Encode())), actual.Select(e => Convert.ToHexString(e.Encode())));

    [Fact]
    public void Every_kind_of_record_should_read_back_after_reopening()
    {
        var entries = OneOfEachKind();
        using (var wal = ConsensusWal.Open(WalPath))
        {
            Assert.Equal(0UL, wal.Height);
            wal.Begin(7);
            foreach (var e in entries) wal.Append(e);
            wal.Sync();
        }
        using var reopened = ConsensusWal.Open(WalPath);
        Assert.Equal(7UL, reopened.Height);
        Assert.Equal(0, reopened.IgnoredBytes);
        AssertSameEntries(entries, reopened.Entries);
        Assert.Equal(entries.Select(e => e.Own), reopened.Entries.Select(e => e.Own));
    }

    [Fact]
    public void Torn_last_record_should_be_cut_and_new_records_should_follow_the_last_whole_one()
    {
        var entries = OneOfEachKind();
        using (var wal = ConsensusWal.Open(WalPath))
        {
            wal.Begin(2);
            foreach (var e in entries[..3]) wal.Append(e);
            wal.Sync();
        }
        using (var file = new FileStream(WalPath, FileMode.Open)) file.SetLength(file.Length - 5);

        using (var wal = ConsensusWal.Open(WalPath))
        {
            Assert.True(wal.IgnoredBytes > 0);
            AssertSameEntries(entries[..2], wal.Entries);
            wal.Append(entries[3]);
            wal.Sync();
        }
        using var reopened = ConsensusWal.Open(WalPath);
        Assert.Equal(0, reopened.IgnoredBytes);
        AssertSameEntries([entries[0], entries[1], entries[3]], reopened.Entries);
    }

    [Fact]
    public void Record_with_a_bad_checksum_should_end_the_log()
    {
        var entries = OneOfEachKind();
        long secondRecordStart;
        using (var wal = ConsensusWal.Open(WalPath))
        {
            wal.Begin(2);
            wal.Append(entries[0]);
            wal.Sync();
            secondRecordStart = new FileInfo(WalPath).Length;
            wal.Append(entries[1]);
            wal.Append(entries[3]);
            wal.Sync();
        }
        var bytes = File.ReadAllBytes(WalPath);
        bytes[secondRecordStart + 20] ^= 0x01;
        File.WriteAllBytes(WalPath, bytes);

        using var reopened = ConsensusWal.Open(WalPath);
        AssertSameEntries(entries[..1], reopened.Entries);
        Assert.Equal(bytes.Length - secondRecordStart, reopened.IgnoredBytes);
    }

    [Fact]
    public void Damaged_header_should_stop_the_validator_with_advice()
    {
        using (var wal = ConsensusWal.Open(WalPath)) wal.Begin(5);
        var bytes = File.ReadAllBytes(WalPath);
        bytes[10] ^= 0x01;
        File.WriteAllBytes(WalPath, bytes);

        var e = Assert.Throws<ValidatorStateException>(() => ConsensusWal.Open(WalPath));
        Assert.Contains("no valid header", e.Message);
        Assert.Contains("forgets its lock", e.Message);
    }

    [Fact]
    public void Begin_should_replace_the_log_of_the_previous_height()
    {
        using (var wal = ConsensusWal.Open(WalPath))
        {
            wal.Begin(3);
            wal.Append(OneOfEachKind()[3]);
            wal.Sync();
            wal.Begin(4);
        }
        using var reopened = ConsensusWal.Open(WalPath);
        Assert.Equal(4UL, reopened.Height);
        Assert.Empty(reopened.Entries);
    }

    [Fact]
    public void Replaying_the_log_should_rebuild_round_step_and_lock_after_a_restart()
    {
        var me = _keys.First(k => k != Proposer);
        var other = _keys.First(k => k != Proposer && k != me);
        var third = _keys.Last(k => k != Proposer && k != me);
        var config = TestChain.Config(TimeoutConfig.Default);
        var signStatePath = Path.Combine(_dir, FileSignStateStore.FileName);
        var block = BlockAt(1);
        var hash = block.Hash();
        var start = new ConsensusInput.Start(1, _set, Commit.Empty);

        ConsensusCore before;
        using (var store = FileSignStateStore.Open(signStatePath, me.PublicKey))
        using (var wal = ConsensusWal.Open(WalPath))
        {
            before = new ConsensusCore(config, new PrivValidator(me, store));
            wal.Begin(1);
            before.Handle(start);
            void Feed(ConsensusInput input)
            {
                wal.Append(new WalEntry(input));
                foreach (var o in before.Handle(input))
                    if (o is ConsensusOutput.Broadcast b) wal.Append(WalEntry.OwnMessage(b.Message));
                wal.Sync();
            }
            Feed(new ConsensusInput.ProposalReceived(SignedProposal(Proposer, block)));
            Feed(new ConsensusInput.BlockValidated(hash, true));
            Feed(new ConsensusInput.VoteReceived(SignedVote(Proposer, VoteType.Prevote, 1, 0, hash)));
            Feed(new ConsensusInput.VoteReceived(SignedVote(other, VoteType.Prevote, 1, 0, hash)));
            Feed(new ConsensusInput.VoteReceived(SignedVote(other, VoteType.Precommit, 1, 0, Hash32.Zero)));
            Feed(new ConsensusInput.VoteReceived(SignedVote(third, VoteType.Precommit, 1, 0, Hash32.Zero)));
            Feed(new ConsensusInput.TimeoutElapsed(1, 0, RoundStep.Precommit));
        }
        Assert.Equal(1U, before.Round);
        Assert.Equal(0, before.LockedRound);
        Assert.Equal(hash, before.LockedValue);

        using var reopenedStore = FileSignStateStore.Open(signStatePath, me.PublicKey);
        using var reopenedWal = ConsensusWal.Open(WalPath);
        var after = new ConsensusCore(config, new PrivValidator(me, reopenedStore));
        after.Handle(start);
        foreach (var entry in reopenedWal.Entries) after.Handle(entry.Input);

        Assert.Equal((before.Height, before.Round, before.Step), (after.Height, after.Round, after.Step));
        Assert.Equal((before.LockedRound, before.LockedValue), (after.LockedRound, after.LockedValue));
        Assert.Equal((before.ValidRound, before.ValidValue), (after.ValidRound, after.ValidValue));
        // Without the log the same restart would forget the lock: that is what the WAL is for.
        var amnesiac = new ConsensusCore(config, new PrivValidator(me, reopenedStore));
        amnesiac.Handle(start);
        Assert.Equal(-1, amnesiac.LockedRound);
    }
}
