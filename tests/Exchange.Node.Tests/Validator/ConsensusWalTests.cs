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

    /// <summary>A log of <paramref name="height"/> holding <paramref name="entries"/>, synced and closed.</summary>
    private void WriteLog(ulong height, IEnumerable<WalEntry> entries)
    {
        using var wal = ConsensusWal.Open(WalPath);
        wal.Begin(height);
        foreach (var e in entries) wal.Append(e);
        wal.Sync();
    }

    /// <summary>
    /// Writes <paramref name="height"/> into a header's bytes and seals it with its checksum: over the whole header before
    /// the checksum in the current layout, over magic and height in the older ones.
    /// </summary>
    private static void SealHeader(byte[] header, ulong height)
    {
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(header.AsSpan(8), height);
        var body = header.AsSpan(0, 8).SequenceEqual("EXWALv03"u8) ? ConsensusWal.HeaderLength - 8 : 16;
        System.Security.Cryptography.SHA256.HashData(header.AsSpan(0, body)).AsSpan(0, 8).CopyTo(header.AsSpan(body));
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
        WriteLog(2, entries[..3]);
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
            secondRecordStart = new FileInfo(WalPath).Length - ConsensusWal.EndMarkLength;
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
    public void Begin_should_reuse_the_file_in_place_and_never_read_what_earlier_heights_left()
    {
        var entries = OneOfEachKind();
        long lengthAtThree;
        using (var wal = ConsensusWal.Open(WalPath))
        {
            wal.Begin(3);
            foreach (var e in entries) wal.Append(e);
            wal.Sync();
            lengthAtThree = new FileInfo(WalPath).Length;
            wal.Begin(4);
            Assert.False(File.Exists(WalPath + ".tmp"));
            wal.Append(entries[3]);
            wal.Sync();
        }
        // The records of height 3 are still on disk after the new end mark.
        Assert.Equal(lengthAtThree, new FileInfo(WalPath).Length);
        using var reopened = ConsensusWal.Open(WalPath);
        Assert.Equal(4UL, reopened.Height);
        Assert.Equal(0, reopened.IgnoredBytes);
        AssertSameEntries([entries[3]], reopened.Entries);
    }

    [Fact]
    public void Records_of_an_earlier_height_should_not_be_read_under_a_newer_header()
    {
        var entries = OneOfEachKind();
        WriteLog(3, entries[..3]);
        // A header for height 4 over the records of height 3, as if the new end mark never reached the disk.
        var bytes = File.ReadAllBytes(WalPath);
        SealHeader(bytes, 4);
        File.WriteAllBytes(WalPath, bytes);

        using var reopened = ConsensusWal.Open(WalPath);
        Assert.Equal(4UL, reopened.Height);
        Assert.Empty(reopened.Entries);
        Assert.Equal(bytes.Length - ConsensusWal.HeaderLength, reopened.IgnoredBytes);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Log_of_an_older_layout_should_be_read_and_rewritten_in_the_current_one(int version)
    {
        var entries = OneOfEachKind();
        var old = new List<byte>();
        var header = new byte[24];
        System.Text.Encoding.ASCII.GetBytes($"EXWALv0{version}").CopyTo(header, 0);
        SealHeader(header, 6);
        old.AddRange(header);
        foreach (var e in entries[..4])
        {
            var payload = e.Encode();
            var record = new byte[12];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(record, (uint)payload.Length);
            // v01 checksums the payload alone; v02 the height (8 bytes) and the payload, and ends with a zero length.
            var covered = version == 1 ? payload : [.. header.AsSpan(8, 8).ToArray(), .. payload];
            System.Security.Cryptography.SHA256.HashData(covered).AsSpan(0, 8).CopyTo(record.AsSpan(4));
            old.AddRange(record);
            old.AddRange(payload);
        }
        if (version == 2) old.AddRange(new byte[4]);
        File.WriteAllBytes(WalPath, [.. old]);

        using (var wal = ConsensusWal.Open(WalPath))
        {
            Assert.Equal(6UL, wal.Height);
            Assert.Null(wal.Carried);
            AssertSameEntries(entries[..4], wal.Entries);
            Assert.Equal("EXWALv03"u8.ToArray(), File.ReadAllBytes(WalPath)[..8]);
            wal.Append(entries[4]);
            wal.Sync();
        }
        using var reopened = ConsensusWal.Open(WalPath);
        Assert.Equal(0, reopened.IgnoredBytes);
        AssertSameEntries(entries[..5], reopened.Entries);
    }

    [Fact]
    public void Header_should_carry_the_sign_state_it_was_begun_with()
    {
        var signed = new LastSignState(4, 2, SignStep.Precommit, Hash32.Compute([4]), _keys[0].Sign(Hash32.Compute([4]), Aux));
        using (var wal = ConsensusWal.Open(WalPath))
        {
            wal.Begin(5, signed);
            Assert.Equal(signed, wal.Carried);
            wal.Append(OneOfEachKind()[0]);
            wal.Sync();
        }
        using (var reopened = ConsensusWal.Open(WalPath))
        {
            Assert.Equal(5UL, reopened.Height);
            Assert.Equal(signed, reopened.Carried);
            Assert.Single(reopened.Entries);
            // A height begun with nothing to carry carries nothing, even over a header that did.
            reopened.Begin(6);
            reopened.Sync();
        }
        using var last = ConsensusWal.Open(WalPath);
        Assert.Equal(6UL, last.Height);
        Assert.Null(last.Carried);
    }

    [Fact]
    public void Header_and_end_mark_should_fit_in_the_first_sector()
    {
        // Begin overwrites both in one write; a sector is written whole or not at all, so a crash leaves one header or the other.
        Assert.True(ConsensusWal.HeaderLength + ConsensusWal.EndMarkLength <= 512);
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
