using Exchange.Node.Cli;

namespace Exchange.Node.Tests.Cli;

public class SimulateCommandTests
{
    private static int Invoke(params string[] args) => SimulateCommand.Create().Parse(args).Invoke();

    [Fact]
    public void Simulate_should_exit_0_when_no_run_breaks_a_property()
    {
        Assert.Equal(0, Invoke("--runs", "20", "--seed", "500"));
    }

    [Fact]
    public void Negative_control_should_exit_0_because_the_checker_finds_the_violation()
    {
        Assert.Equal(0, Invoke("--negative-control", "--runs", "2"));
    }

    [Theory]
    [InlineData("--validators", "3")]
    [InlineData("--runs", "0")]
    [InlineData("--mix", "Weather")]
    [InlineData("--byzantine", "polite")]
    public void Simulate_should_exit_2_on_options_it_cannot_run(string option, string value)
    {
        Assert.Equal(2, Invoke(option, value));
    }

    [Fact]
    public void Simulate_should_run_only_the_selected_mixes()
    {
        Assert.Equal(0, Invoke("--runs", "6", "--byzantine", "garbage,silent", "--validators", "5", "--heights", "2"));
    }
}
