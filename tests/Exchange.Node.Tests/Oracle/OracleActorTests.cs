using Akka.Actor;
using Akka.TestKit.Xunit2;
using Exchange.Core.Crypto;
using Exchange.Core.Numerics;
using Exchange.Core.Oracle;
using Exchange.Node.Oracle;
using Exchange.Node.Tests.Market;

namespace Exchange.Node.Tests.Oracle;

public class OracleActorTests : TestKit
{
    private static readonly DateTimeOffset ReadAt = DateTimeOffset.FromUnixTimeMilliseconds(ChainFixture.GenesisMs + 5_000);
    private readonly SimulatedPriceSource _source =
        new(OracleSettings.Default.SimulatedFeed(ChainFixture.Genesis()), ChainFixture.Validator.PublicKey);

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    /// <summary>A source that answers with whatever the test gives it.</summary>
    private sealed class ScriptedSource(Func<ulong, CancellationToken, Task<IReadOnlyList<IndexQuote>>> read) : IPriceSource
    {
        public Task<IReadOnlyList<IndexQuote>> ReadAsync(ulong height, CancellationToken cancellationToken) => read(height, cancellationToken);
    }

    private IActorRef Oracle(IPriceSource? source = null, TimeSpan? timeout = null) =>
        Sys.ActorOf(OracleActor.Props(OracleSettings.Default with { ObserveTimeout = timeout ?? TimeSpan.FromSeconds(2) },
            source ?? _source, ChainFixture.Validator, ChainFixture.Chain, new FixedClock(ReadAt)));

    [Fact]
    public void Observation_should_be_the_sources_reading_signed_by_the_validator_for_this_chain_and_height()
    {
        var oracle = Oracle();
        oracle.Tell(new ObserveFor(5));
        var observation = ExpectMsg<ObservationReady>().Observation;

        Assert.Equal((ChainFixture.Validator.PublicKey, 5UL, ReadAt.ToUnixTimeMilliseconds()), (observation.Validator, observation.Height, observation.TimeUnixMs));
        Assert.Equal(_source.Quotes(5), observation.Quotes);
        Assert.True(observation.Validate().IsValid);
        Assert.Equal(SignatureCheck.Valid, observation.Verify(ChainFixture.Chain));
        Assert.NotEqual(SignatureCheck.Valid, observation.Verify("another-chain"));
        Assert.Equal(observation, PriceObservation.Decode(observation.Encode()));

        // A later round of the same height carries the same observation.
        oracle.Tell(new ObserveFor(5));
        Assert.Equal(observation.Signature, ExpectMsg<ObservationReady>().Observation.Signature);
        oracle.Tell(new ObserveFor(6));
        Assert.Equal(6UL, ExpectMsg<ObservationReady>().Observation.Height);
    }

    [Fact]
    public void Observation_should_move_the_chains_index()
    {
        var f = new ChainFixture();
        f.Block();
        var oracle = Oracle();
        oracle.Tell(new ObserveFor(f.State.Height));
        var observation = ExpectMsg<ObservationReady>().Observation;

        f.BlockWithObservation(f.Time + 1_000, observation, []);

        var (price, vol, fresh) = f.State.Index("BTC");
        Assert.Equal(observation.Quotes.Single().Price, price);
        Assert.Equal(550_000, vol);
        Assert.True(fresh);
        Assert.NotEqual(Price.FromWhole(100_000), price);
    }

    [Fact]
    public void Failing_slow_or_unusable_source_should_leave_the_validator_without_an_observation()
    {
        Oracle(new ScriptedSource((_, _) => throw new HttpRequestException("connection refused"))).Tell(new ObserveFor(3));
        var failed = ExpectMsg<ObservationUnavailable>();
        Assert.Equal(3UL, failed.Height);
        Assert.Contains("connection refused", failed.Reason);

        Oracle(new ScriptedSource((_, _) => Task.FromException<IReadOnlyList<IndexQuote>>(new InvalidOperationException("feed down")))).Tell(new ObserveFor(3));
        Assert.Contains("feed down", ExpectMsg<ObservationUnavailable>().Reason);

        var never = new TaskCompletionSource<IReadOnlyList<IndexQuote>>();
        Oracle(new ScriptedSource((_, _) => never.Task), TimeSpan.FromMilliseconds(100)).Tell(new ObserveFor(3));
        Assert.Contains("did not answer within 100 ms", ExpectMsg<ObservationUnavailable>(TimeSpan.FromSeconds(3)).Reason);

        Oracle(new ScriptedSource((_, _) => Task.FromResult<IReadOnlyList<IndexQuote>>([new IndexQuote("BTC", Price.Zero, 550_000)]))).Tell(new ObserveFor(3));
        Assert.Contains("unusable", ExpectMsg<ObservationUnavailable>().Reason);

        Oracle().Tell(new ObserveFor(0));
        Assert.Equal(0UL, ExpectMsg<ObservationUnavailable>().Height);
    }

    [Fact]
    public void Concurrent_asks_for_one_height_should_read_the_source_once()
    {
        var reads = 0;
        var gate = new TaskCompletionSource<IReadOnlyList<IndexQuote>>();
        var oracle = Oracle(new ScriptedSource((_, _) =>
        {
            Interlocked.Increment(ref reads);
            return gate.Task;
        }));
        var other = CreateTestProbe();
        oracle.Tell(new ObserveFor(9));
        oracle.Tell(new ObserveFor(9), other.Ref);
        AwaitCondition(() => Volatile.Read(ref reads) == 1);
        gate.SetResult(_source.Quotes(9));

        var mine = ExpectMsg<ObservationReady>().Observation;
        Assert.Equal(mine, other.ExpectMsg<ObservationReady>().Observation);
        Assert.Equal(1, Volatile.Read(ref reads));
    }
}
