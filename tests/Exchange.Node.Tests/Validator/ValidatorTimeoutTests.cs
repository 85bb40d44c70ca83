using Akka.Configuration;
using Akka.TestKit;
using Exchange.Consensus;
using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Xunit.Abstractions;

namespace Exchange.Node.Tests.Validator;

/// <summary>
/// The validator's timers on Akka's test scheduler: time moves only when the test advances it, so each timeout is
/// shown to fire exactly at its configured duration (and not a millisecond before), whatever the machine's load.
/// </summary>
public sealed class ValidatorTimeoutTests(ITestOutputHelper output) : ValidatorHarness(VirtualTime, output)
{
    private static readonly Config VirtualTime = ConfigurationFactory
        .ParseString("akka.scheduler.implementation = \"Akka.TestKit.TestScheduler, Akka.TestKit\"")
        .WithFallback(ValidatorClusterTests.TestConfig);

    /// <summary>Long enough for a vote that was going to be sent to reach the probe; virtual time does not move meanwhile.</summary>
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(150);

    private TestScheduler Clock => (TestScheduler)Sys.Scheduler;

    [Fact]
    public async Task Timeouts_should_fire_at_their_configured_durations_growing_with_the_round()
    {
        var validator = StartValidator(Timeouts);
        await StatusOf(validator);   // the start is handled, so the propose timer is armed

        // No proposal arrives: the propose timeout of round 0 makes it prevote nil, not a millisecond earlier.
        AdvanceExpectingSilence(Timeouts.ProposeMs - 1);
        Clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(ExpectVote(VoteType.Prevote, 0).IsNil);

        // Two more nil prevotes: 2f+1 for nil, so it precommits nil at once, with no timer involved.
        foreach (var k in Others[..2]) validator.Tell(Signed(k, VoteType.Prevote, 1, 0, Hash32.Zero), Akka.Actor.ActorRefs.NoSender);
        Assert.True(ExpectVote(VoteType.Precommit, 0).IsNil);

        // Two more nil precommits start the precommit timeout; then round 1 waits its longer propose timeout.
        foreach (var k in Others[..2]) validator.Tell(Signed(k, VoteType.Precommit, 1, 0, Hash32.Zero), Akka.Actor.ActorRefs.NoSender);
        await StatusOf(validator);
        AdvanceExpectingSilence(Timeouts.Duration(RoundStep.Precommit, 0) - 1);
        Clock.Advance(TimeSpan.FromMilliseconds(1));
        var status = await StatusOf(validator);
        Assert.Equal((1u, RoundStep.Propose), (status.Round, status.Step));

        AdvanceExpectingSilence(Timeouts.Duration(RoundStep.Propose, 1) - 1);
        Assert.True(Timeouts.Duration(RoundStep.Propose, 1) > Timeouts.Duration(RoundStep.Propose, 0));
        Clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(ExpectVote(VoteType.Prevote, 1).IsNil);
    }

    /// <summary>Moves virtual time on by <paramref name="ms"/> and shows the validator sent no vote meanwhile.</summary>
    private void AdvanceExpectingSilence(long ms)
    {
        Clock.Advance(TimeSpan.FromMilliseconds(ms));
        Peer.ExpectNoMsg(Quiet);
    }
}
