using Exchange.Core.Ledger;
using Exchange.Consensus;
using Exchange.Core.Crypto;
using Exchange.Node.Validator;

namespace Exchange.Node.Tests.Validator;

public sealed class FileSignStateStoreTests : IDisposable
{
    private const string ChainId = "exchange-test-1";
    private readonly string _dir = Directory.CreateTempSubdirectory("exchange-signstate-").FullName;
    private readonly KeyPair _key = TestKeys.Validator(0);
    private string StatePath => Path.Combine(_dir, "validator", FileSignStateStore.FileName);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Vote Prevote(KeyPair key, ulong height, uint round, Hash32 block) =>
        new(VoteType.Prevote, height, round, block, key.PublicKey, null, Signature.Empty);

    [Fact]
    public void Missing_file_should_open_as_a_key_that_never_signed()
    {
        using var store = FileSignStateStore.Open(StatePath, _key.PublicKey);
        Assert.Null(store.Load());
        Assert.False(File.Exists(StatePath));
    }

    [Fact]
    public void Saved_state_should_read_back_after_reopening_and_leave_no_temporary_file()
    {
        var state = new LastSignState(7, 3, SignStep.Precommit, TestKeys.Hash(1), _key.Sign(TestKeys.Hash(1), new byte[32]));
        using (var store = FileSignStateStore.Open(StatePath, _key.PublicKey)) store.Save(state);
        using var reopened = FileSignStateStore.Open(StatePath, _key.PublicKey);
        Assert.Equal(state, reopened.Load());
        Assert.False(File.Exists(StatePath + ".tmp"));
        Assert.Equal(FileSignStateStore.FileLength, new FileInfo(StatePath).Length);
    }

    [Fact]
    public void Restarted_validator_should_refuse_to_sign_a_conflicting_vote()
    {
        Vote first;
        using (var store = FileSignStateStore.Open(StatePath, _key.PublicKey))
            first = new PrivValidator(_key, store).SignVote(ChainId, Prevote(_key, 5, 2, TestKeys.Hash(1)))!;

        // A new process: a new store over the same file, a new signer.
        using var reopened = FileSignStateStore.Open(StatePath, _key.PublicKey);
        var signer = new PrivValidator(_key, reopened);
        Assert.Null(signer.SignVote(ChainId, Prevote(_key, 5, 2, TestKeys.Hash(2))));      // another block, same step
        Assert.Null(signer.SignVote(ChainId, Prevote(_key, 5, 2, Hash32.Zero)));          // nil, same step
        Assert.Null(signer.SignVote(ChainId, Prevote(_key, 5, 1, TestKeys.Hash(1))));      // an earlier round
        Assert.Null(signer.SignVote(ChainId, Prevote(_key, 4, 9, TestKeys.Hash(1))));      // an earlier height
        Assert.Equal(4, signer.Refusals);
        // The identical vote is signed again with the stored signature, so a resend after a crash is the same message.
        Assert.Equal(first, signer.SignVote(ChainId, Prevote(_key, 5, 2, TestKeys.Hash(1))));
        Assert.NotNull(signer.SignVote(ChainId, Prevote(_key, 5, 3, TestKeys.Hash(2))));
    }

    [Theory]
    [InlineData("flip", "checksum")]
    [InlineData("truncate", "bytes, expected")]
    [InlineData("empty", "bytes, expected")]
    [InlineData("magic", "not a sign-state file")]
    public void Corrupt_file_should_refuse_to_open_and_stay_untouched(string damage, string expected)
    {
        using (var store = FileSignStateStore.Open(StatePath, _key.PublicKey))
            store.Save(new LastSignState(9, 0, SignStep.Prevote, TestKeys.Hash(3), _key.Sign(TestKeys.Hash(3), new byte[32])));
        var bytes = File.ReadAllBytes(StatePath);
        byte[] damaged = damage switch
        {
            "flip" => Flip(bytes, 50),
            "truncate" => bytes[..100],
            "empty" => [],
            "magic" => Flip(bytes, 0),
            _ => throw new ArgumentOutOfRangeException(nameof(damage)),
        };
        File.WriteAllBytes(StatePath, damaged);

        var e = Assert.Throws<ValidatorStateException>(() => FileSignStateStore.Open(StatePath, _key.PublicKey));
        Assert.Contains(expected, e.Message);
        Assert.Contains("will not start", e.Message);
        Assert.Equal(damaged, File.ReadAllBytes(StatePath));
    }

    [Fact]
    public void State_of_another_key_should_be_refused()
    {
        using (var store = FileSignStateStore.Open(StatePath, _key.PublicKey))
            store.Save(new LastSignState(1, 0, SignStep.Prevote, TestKeys.Hash(3), _key.Sign(TestKeys.Hash(3), new byte[32])));
        var other = TestKeys.Validator(1);
        var e = Assert.Throws<ValidatorStateException>(() => FileSignStateStore.Open(StatePath, other.PublicKey));
        Assert.Contains("belongs to validator", e.Message);
    }

    [Fact]
    public void Second_open_of_one_store_should_be_refused_while_the_first_is_open()
    {
        using var first = FileSignStateStore.Open(StatePath, _key.PublicKey);
        var e = Assert.Throws<ValidatorStateException>(() => FileSignStateStore.Open(StatePath, _key.PublicKey));
        Assert.Contains("in use by another process", e.Message);
    }

    [Fact]
    public void Leftover_temporary_file_should_be_ignored_and_removed()
    {
        var state = new LastSignState(3, 1, SignStep.Propose, TestKeys.Hash(4), _key.Sign(TestKeys.Hash(4), new byte[32]));
        using (var store = FileSignStateStore.Open(StatePath, _key.PublicKey)) store.Save(state);
        File.WriteAllBytes(StatePath + ".tmp", [1, 2, 3]);
        using var reopened = FileSignStateStore.Open(StatePath, _key.PublicKey);
        Assert.Equal(state, reopened.Load());
        Assert.False(File.Exists(StatePath + ".tmp"));
    }

    private LastSignState StateAt(ulong height, uint round, SignStep step, int block) =>
        new(height, round, step, TestKeys.Hash(block), _key.Sign(TestKeys.Hash(block), new byte[32]));

    [Fact]
    public void Saves_should_alternate_between_the_two_slots_in_place_and_reopen_at_the_newest()
    {
        var states = new[] { StateAt(1, 0, SignStep.Prevote, 1), StateAt(1, 0, SignStep.Precommit, 1), StateAt(2, 0, SignStep.Propose, 2) };
        using (var store = FileSignStateStore.Open(StatePath, _key.PublicKey))
        {
            foreach (var state in states)
            {
                store.Save(state);
                Assert.False(File.Exists(StatePath + ".tmp"));
                Assert.Equal(FileSignStateStore.FileLength, new FileInfo(StatePath).Length);
            }
        }
        var bytes = File.ReadAllBytes(StatePath);
        // The third save went where the first was; the second is still in the other slot.
        Assert.Equal(3UL, System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(8)));
        Assert.Equal(2UL, System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(FileSignStateStore.SlotStride + 8)));
        using var reopened = FileSignStateStore.Open(StatePath, _key.PublicKey);
        Assert.Equal(states[2], reopened.Load());
    }

    [Fact]
    public void Save_torn_by_a_crash_should_leave_the_state_before_it_and_the_next_save_should_go_to_the_torn_slot()
    {
        var first = StateAt(4, 0, SignStep.Prevote, 1);
        var second = StateAt(4, 0, SignStep.Precommit, 1);
        using (var store = FileSignStateStore.Open(StatePath, _key.PublicKey))
        {
            store.Save(first);
            store.Save(second);
        }
        // The second save's slot is cut mid-write: its first half new, the rest zeros.
        var bytes = File.ReadAllBytes(StatePath);
        bytes.AsSpan(FileSignStateStore.SlotStride + 90, 100).Clear();
        File.WriteAllBytes(StatePath, bytes);

        var third = StateAt(5, 0, SignStep.Prevote, 2);
        using (var reopened = FileSignStateStore.Open(StatePath, _key.PublicKey))
        {
            Assert.Equal(first, reopened.Load());
            reopened.Save(third);
        }
        Assert.Equal(bytes[..FileSignStateStore.SlotStride], File.ReadAllBytes(StatePath)[..FileSignStateStore.SlotStride]);
        using var again = FileSignStateStore.Open(StatePath, _key.PublicKey);
        Assert.Equal(third, again.Load());
    }

    [Fact]
    public void File_of_the_one_slot_layout_should_be_read_and_rewritten_in_two_slots_on_the_next_save()
    {
        var old = StateAt(9, 1, SignStep.Precommit, 3);
        var v1 = new byte[181];
        "EXSIGNv1"u8.CopyTo(v1);
        _key.PublicKey.CopyTo(v1.AsSpan(8));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(v1.AsSpan(40), old.Height);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(v1.AsSpan(48), old.Round);
        v1[52] = (byte)old.Step;
        old.SigningHash.CopyTo(v1.AsSpan(53));
        old.Signature.CopyTo(v1.AsSpan(85));
        System.Security.Cryptography.SHA256.HashData(v1.AsSpan(0, 149), v1.AsSpan(149));
        Directory.CreateDirectory(Path.GetDirectoryName(StatePath)!);
        File.WriteAllBytes(StatePath, v1);

        var next = StateAt(10, 0, SignStep.Prevote, 4);
        using (var store = FileSignStateStore.Open(StatePath, _key.PublicKey))
        {
            Assert.Equal(old, store.Load());
            Assert.Null(new PrivValidator(_key, store).SignVote(ChainId, Prevote(_key, 9, 0, TestKeys.Hash(3))));
            store.Save(next);
        }
        Assert.Equal(FileSignStateStore.FileLength, new FileInfo(StatePath).Length);
        using var reopened = FileSignStateStore.Open(StatePath, _key.PublicKey);
        Assert.Equal(next, reopened.Load());
    }

    [Fact]
    public void Deferred_saves_should_be_synced_by_sync_or_a_clean_close_and_catch_up_should_only_ever_raise_the_state()
    {
        var first = StateAt(2, 0, SignStep.Prevote, 1);
        var second = StateAt(2, 0, SignStep.Precommit, 1);
        using (var store = FileSignStateStore.Open(StatePath, _key.PublicKey, deferSync: true))
        {
            store.Save(first);
            store.Save(second);
            store.Sync();
            store.Sync();                                   // nothing pending: no second wait for the disk
            Assert.False(store.CatchUp(first));             // lower than what it holds
            Assert.False(store.CatchUp(second));            // the same
            Assert.Equal(second, store.Load());
        }
        var third = StateAt(3, 1, SignStep.Propose, 2);
        using (var reopened = FileSignStateStore.Open(StatePath, _key.PublicKey, deferSync: true))
        {
            Assert.Equal(second, reopened.Load());
            Assert.True(reopened.CatchUp(third));
        }
        using var again = FileSignStateStore.Open(StatePath, _key.PublicKey);
        Assert.Equal(third, again.Load());
    }

    private static byte[] Flip(byte[] bytes, int at)
    {
        var copy = (byte[])bytes.Clone();
        copy[at] ^= 0x40;
        return copy;
    }
}
