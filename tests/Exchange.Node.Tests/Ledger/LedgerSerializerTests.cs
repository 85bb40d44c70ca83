using System.Runtime.Serialization;
using Akka.Serialization;
using Exchange.Core.State;
using Exchange.Node.Ledger;

namespace Exchange.Node.Tests.Ledger;

/// <summary>What the journal stores goes through the ledger's own serializer over the Core codec, never JSON.</summary>
public sealed class LedgerSerializerTests()
    : Akka.TestKit.Xunit2.TestKit(Akka.Configuration.ConfigurationFactory.ParseString(LedgerNode.QuietLogging).WithFallback(LedgerSettings.DefaultConfig))
{
    private static TestChain Chain => TestChain.Shared;

    [Fact]
    public void Actor_system_should_bind_journal_events_and_snapshots_to_the_ledger_serializer()
    {
        var block = Chain.At(3);
        var snapshot = new LedgerSnapshot(3, block.AppHash, [1, 2, 3], [4, 5], block with { Block = block.Block with { Header = block.Block.Header with { Height = 3 } } });
        foreach (var stored in (object[])[block, snapshot])
        {
            var serializer = Sys.Serialization.FindSerializerFor(stored);
            Assert.IsType<LedgerSerializer>(serializer);
            Assert.Equal(1201, serializer.Identifier);
        }
        Assert.Equal("bc1", Akka.Serialization.Serialization.ManifestFor(Sys.Serialization.FindSerializerFor(block), block));
    }

    [Fact]
    public void Block_and_snapshot_should_round_trip_byte_for_byte()
    {
        var serializer = (LedgerSerializer)Sys.Serialization.FindSerializerFor(Chain.At(1));
        foreach (var block in Chain.Blocks.Take(10))
        {
            var bytes = serializer.ToBinary(block);
            var back = Assert.IsType<BlockCommitted>(serializer.FromBinary(bytes, serializer.Manifest(block)));
            Assert.Equal(block, back);
            Assert.Equal(bytes, serializer.ToBinary(back));
        }

        var state = ExchangeState.FromGenesis(Chain.Genesis);
        foreach (var block in Chain.Blocks.Take(5)) state.Apply(block.Block);
        var schedule = StakeSchedule.Genesis(ExchangeState.FromGenesis(Chain.Genesis));
        var replay = ExchangeState.FromGenesis(Chain.Genesis);
        foreach (var block in Chain.Blocks.Take(5))
        {
            replay.Apply(block.Block);
            schedule.AfterBlock(replay);
        }
        var scheduleWriter = new Exchange.Core.Ledger.Codec.CanonicalWriter();
        schedule.WriteTo(scheduleWriter);
        var snapshot = new LedgerSnapshot(state.Height, state.AppHash, state.Snapshot(), scheduleWriter.ToArray(), Chain.Blocks[4]);
        var restored = Assert.IsType<LedgerSnapshot>(serializer.FromBinary(serializer.ToBinary(snapshot), LedgerSerializer.SnapshotManifest));
        Assert.Equal((snapshot.Height, snapshot.AppHash), (restored.Height, restored.AppHash));
        Assert.Equal(snapshot.State, restored.State);
        var scheduleReader = new Exchange.Core.Ledger.Codec.CanonicalReader(restored.Schedule);
        var scheduleBack = StakeSchedule.Read(ref scheduleReader, state);
        Assert.Equal(schedule.Schedule.Validators.Hash(), scheduleBack.Schedule.Validators.Hash());
        Assert.Equal(schedule.Schedule.NextValidators.Proposer, scheduleBack.Schedule.NextValidators.Proposer);
        Assert.Equal(Chain.AppHashAt(5), ExchangeState.Restore(Chain.Genesis, restored.State).AppHash);
    }

    [Fact]
    public void Damaged_record_or_unknown_manifest_should_fail_with_a_serialization_error()
    {
        var serializer = (LedgerSerializer)Sys.Serialization.FindSerializerFor(Chain.At(1));
        var bytes = serializer.ToBinary(Chain.At(2));
        var trailing = Assert.Throws<SerializationException>(() => serializer.FromBinary([.. bytes, 0], LedgerSerializer.BlockCommittedManifest));
        Assert.Contains("does not decode", trailing.Message);
        Assert.Throws<SerializationException>(() => serializer.FromBinary(bytes[..^1], LedgerSerializer.BlockCommittedManifest));
        Assert.Throws<SerializationException>(() => serializer.FromBinary(bytes, "bc9"));
        Assert.Throws<ArgumentException>(() => serializer.ToBinary("not a ledger record"));
    }
}
