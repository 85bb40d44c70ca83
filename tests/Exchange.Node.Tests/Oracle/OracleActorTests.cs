using Akka.Actor;
using Akka.TestKit.Xunit2;
using Exchange.Consensus;
using Exchange.Core.Crypto;
using Exchange.Core.Numerics;
using Exchange.Core.Oracle;
using Exchange.Node.Oracle;
using Exchange.Node.Tests.Market;
using Exchange.Node.Validator;

namespace Exchange.Node.Tests.Oracle;

public class OracleActorTests : TestKit
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(200);
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
            source ?? _source, ChainFixture.Validator.PublicKey, new FixedClock(ReadAt)));

    /// <summary>What the validator does with the observation: sign it as its precommit's vote extension.</summary>
    private static PriceObservation SignAsValidator(PriceObservation unsigned) =>
        new PrivValidator(ChainFixture.Validator, new InMemorySignStateStore()).SignExtension(ChainFixture.Chain, unsigned);

    [Fact]
    public void Observation_should_be_the_sources_reading_for_the_validator_and_height_and_verify_once_the_validator_signs_it()
    {
        var oracle = Oracle();
        oracle.Tell(new ObservationRequested(5));
        var observation = ExpectMsg<ObservationReady>().Observation;

        Assert.Equal((ChainFixture.Validator.PublicKey, 5UL, ReadAt.ToUnixTimeMilliseconds()), (observation.Validator, observation.Height, observation.TimeUnixMs));
        Assert.Equal(_source.Quotes(5), observation.Quotes);
        Assert.True(observation.Validate().IsValid);
        Assert.Equal(Signature.Empty, observation.Signature);
        var signed = SignAsValidator(observation);
        Assert.Equal(SignatureCheck.Valid, signed.Verify(ChainFixture.Chain));
        Assert.NotEqual(SignatureCheck.Valid, signed.Verify("another-chain"));
        Assert.Equal(signed, PriceObservation.Decode(signed.Encode()));

        // A later round of the same height gets the same observation.
        oracle.Tell(new ObservationRequested(5));
        Assert.Same(observation, ExpectMsg<ObservationReady>().Observation);
        oracle.Tell(new ObservationRequested(6));
        Assert.Equal(6UL, ExpectMsg<ObservationReady>().Observation.Height);
    }

    [Fact]
    public void Observation_should_move_the_chains_index()
    {
        var f = new ChainFixture();
        f.Block();
        var oracle = Oracle();
        oracle.Tell(new ObservationRequested(f.State.Height));
        var observation = SignAsValidator(ExpectMsg<ObservationReady>().Observation);

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
        Sys.EventStream.Subscribe(TestActor, typeof(ObservationUnavailable));
        void ExpectUnavailable(IPriceSource source, string reason, TimeSpan? timeout = null)
        {
            var validator = CreateTestProbe();
            Oracle(source, timeout).Tell(new ObservationRequested(3), validator.Ref);
            var unavailable = ExpectMsg<ObservationUnavailable>(TimeSpan.FromSeconds(3));
            Assert.Equal(3UL, unavailable.Height);
            Assert.Contains(reason, unavailable.Reason);
            validator.ExpectNoMsg(Quiet);
        }

        ExpectUnavailable(new ScriptedSource((_, _) => throw new HttpRequestException("connection refused")), "connection refused");
        ExpectUnavailable(new ScriptedSource((_, _) => Task.FromException<IReadOnlyList<IndexQuote>>(new InvalidOperationException("feed down"))), "feed down");
        var never = new TaskCompletionSource<IReadOnlyList<IndexQuote>>();
        ExpectUnavailable(new ScriptedSource((_, _) => never.Task), "did not answer within 100 ms", TimeSpan.FromMilliseconds(100));
        ExpectUnavailable(new ScriptedSource((_, _) => Task.FromResult<IReadOnlyList<IndexQuote>>([new IndexQuote("BTC", Price.Zero, 550_000)])), "unusable");

        Oracle().Tell(new ObservationRequested(0));
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
        oracle.Tell(new ObservationRequested(9));
        oracle.Tell(new ObservationRequested(9), other.Ref);
        AwaitCondition(() => Volatile.Read(ref reads) == 1);
        gate.SetResult(_source.Quotes(9));

        var mine = ExpectMsg<ObservationReady>().Observation;
        Assert.Same(mine, other.ExpectMsg<ObservationReady>().Observation);
        Assert.Equal(1, Volatile.Read(ref reads));
    }
}
