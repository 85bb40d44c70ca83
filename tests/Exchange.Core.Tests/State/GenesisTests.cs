using Exchange.Core.State;

namespace Exchange.Core.Tests.State;

public class GenesisTests
{
    [Fact]
    public void Genesis_should_round_trip_through_its_json_file()
    {
        var genesis = StateFixture.Genesis();
        var json = genesis.ToJson();
        Assert.Contains("\"chain_id\": \"exchange-state-test\"", json);
        var back = Genesis.FromJson(json);
        Assert.Equal(json, back.ToJson());
        Assert.Equal(ExchangeState.FromGenesis(genesis).AppHash, ExchangeState.FromGenesis(back).AppHash);
    }

    [Theory]
    [InlineData("{", "not valid")]
    [InlineData("{\"chain_id\":\"x\"}", "not valid")]
    public void Malformed_genesis_should_be_refused_with_a_reason(string json, string reason) =>
        Assert.Contains(reason, Assert.Throws<FormatException>(() => Genesis.FromJson(json)).Message);

    [Fact]
    public void Genesis_with_broken_values_should_name_the_problem()
    {
        var json = StateFixture.Genesis().ToJson();
        Assert.Contains("chain_id", Assert.Throws<FormatException>(() => Genesis.FromJson(json.Replace("exchange-state-test", "Bad Chain"))).Message);
        var badAmount = Assert.Throws<FormatException>(() => Genesis.FromJson(json.Replace("\"1000000\"", "\"1e6\""))).Message;
        Assert.Contains("1e6", badAmount);
        Assert.Contains("unknown_field", Assert.Throws<FormatException>(() => Genesis.FromJson(json.Replace("{\n  \"chain_id\"", "{\n  \"unknown_field\": 1,\n  \"chain_id\""))).Message);
    }
}
