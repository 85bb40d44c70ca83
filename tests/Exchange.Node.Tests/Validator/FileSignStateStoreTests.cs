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

    private static byte[] Flip(byte[] bytes, int at)
    {
        var copy = (byte[])bytes.Clone();
        copy[at] ^= 0x40;
        return copy;
    }
}
