using Akka.Actor;
using Akka.TestKit.Xunit2;
using Exchange.Core.Ledger;
using Exchange.Core.Numerics;
using Exchange.Core.State;
using Exchange.Node.Market;
using static Exchange.Node.Tests.Market.ChainFixture;

namespace Exchange.Node.Tests.Market;

public class MarginEngineActorTests : TestKit
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(200);
    private readonly ChainFixture _f = new();
    private readonly ReadModelExtractor _extractor = new(ReadModelSettings.Default);
    private readonly IActorRef _margin;

    public MarginEngineActorTests()
    {
        _margin = Sys.ActorOf(MarginEngineActor.Props(subscribeToEventStream: false));
        _margin.Tell(_extractor.Current(_f.State));
    }

    private BlockResult Publish(BlockResult block)
    {
        _margin.Tell(_extractor.Next(_f.State, block.Events));
        return block;
    }

    private AccountRisk Risk(Exchange.Core.Crypto.KeyPair who)
    {
        _margin.Tell(new GetAccountRisk(who.PublicKey));
        return ExpectMsg<AccountRisk>();
    }

    [Fact]
    public void Account_risk_should_equal_the_states_margin_figures_after_each_block()
    {
        RiskAssert.MatchesState(_f, Risk(Alice));
        Publish(_f.QuoteAroundTheMoney());
        Publish(_f.Block(_f.Tx(Alice, Limit(Call, Side.Buy, "3100", "1")), _f.Tx(Alice, Limit(Put, Side.Sell, "2800", "1"))));

        var alice = Risk(Alice);
        RiskAssert.MatchesState(_f, alice);
        Assert.Equal(2, alice.Positions.Count);
        Assert.True(alice.InitialMargin.IsPositive && alice.MaintenanceMargin.IsPositive);
        Assert.True(alice.FreeCollateral < alice.Collateral);
        RiskAssert.MatchesState(_f, Risk(Bob));
    }

    [Fact]
    public void Unknown_account_should_get_a_clear_answer()
    {
        _margin.Tell(new GetAccountRisk(Stranger.PublicKey));
        var unknown = ExpectMsg<UnknownAccount>();
        Assert.Equal(Stranger.PublicKey, unknown.Account);
        Assert.Contains("funded", unknown.Message);
    }

    [Fact]
    public void Liquidation_candidates_should_be_the_accounts_under_maintenance_which_the_state_then_liquidates()
    {
        _margin.Tell(new GetLiquidationCandidates(10));
        Assert.Empty(ExpectMsg<LiquidationCandidates>().Candidates);
        Publish(_f.Block(_f.Tx(Bob, Limit(Call, Side.Buy, "3000", "2"))));
        Publish(_f.Block(_f.Tx(Carol, Limit(Call, Side.Sell, "3000", "2"))));
        Publish(_f.BlockWithIndex(_f.Time + 1_000, "115000"));
        var offer = new Price(_f.Instrument(Call).Mark).MulDivCeil(103, 100).CeilToTick(Price.Parse("0.1"));
        Publish(_f.BlockWithIndex(_f.Time + 1_000, "115000", _f.Tx(Bob, Limit(Call, Side.Sell, offer.ToString(), "5"))));

        _margin.Tell(new GetLiquidationCandidates(10));
        var found = ExpectMsg<LiquidationCandidates>();
        Assert.Equal(_f.State.Height, found.Height);
        Assert.Equal(_f.State.Accounts.Where(a => _f.State.IsLiquidatable(a)).Select(a => a.Key), found.Keys);
        Assert.Equal([Carol.PublicKey], found.Keys);
        Assert.True(Risk(Carol).Liquidatable);
        _margin.Tell(new GetLiquidationCandidates(0));
        Assert.Empty(ExpectMsg<LiquidationCandidates>().Candidates);

        // The proposer lists them; the state machine re-checks and liquidates.
        var block = Publish(_f.BlockWith(_f.Time + 1_000, Price.FromWhole(115_000), found.Keys));
        Assert.Contains(block.Events.OfType<Liquidated>(), l => l.Account == Carol.PublicKey);
        _margin.Tell(new GetLiquidationCandidates(10));
        Assert.Empty(ExpectMsg<LiquidationCandidates>().Candidates);
        RiskAssert.MatchesState(_f, Risk(Carol));
    }

    [Fact]
    public async Task Account_subscriber_should_hear_when_its_account_changes_and_be_dropped_when_it_stops()
    {
        var client = CreateTestProbe();
        _margin.Tell(new SubscribeAccount(Alice.PublicKey, client.Ref));
        ExpectMsg(new AccountSubscribed(Alice.PublicKey));
        Assert.Equal(0UL, client.ExpectMsg<AccountRiskUpdate>().Risk.Height);

        Publish(_f.QuoteAroundTheMoney());
        client.ExpectNoMsg(Quiet);
        Publish(_f.Block(_f.Tx(Alice, Limit(Call, Side.Buy, "3100", "1"))));
        var update = client.ExpectMsg<AccountRiskUpdate>().Risk;
        RiskAssert.MatchesState(_f, update);
        Assert.Single(update.Positions);

        _margin.Tell(new UnsubscribeAccount(Alice.PublicKey, client.Ref));
        ExpectMsg(new AccountUnsubscribed(Alice.PublicKey));
        Publish(_f.Block(_f.Tx(Alice, Limit(Call, Side.Buy, "3200", "1"))));
        client.ExpectNoMsg(Quiet);

        var other = CreateTestProbe();
        _margin.Tell(new SubscribeAccount(Bob.PublicKey, other.Ref));
        _margin.Tell(new SubscribeAccount(Alice.PublicKey, other.Ref));
        Assert.Equal(1, await _margin.Ask<int>(CountSubscribers.Instance, TimeSpan.FromSeconds(3)));
        Sys.Stop(other.Ref);
        await AwaitAssertAsync(async () => Assert.Equal(0, await _margin.Ask<int>(CountSubscribers.Instance, TimeSpan.FromSeconds(3))));
    }
}
