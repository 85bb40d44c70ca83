using Exchange.Node.Hosting;

namespace Exchange.Node.Tests.Hosting;

public class NodeConfigTests
{
    private static readonly string Hocon = Path.Combine(AppContext.BaseDirectory, "hocon");
    private static string File(string name) => Path.Combine(Hocon, name);

    private static readonly Dictionary<string, string?> NoEnvironment = [];

    private static readonly Dictionary<string, string?> KeyOnly = new() { [EnvironmentOverrides.KeyFile] = "/keys/node.json" };

    [Fact]
    public void Validator_conf_should_give_a_validator_with_the_base_settings_and_the_sqlite_journal()
    {
        var config = NodeConfig.Load([File("validator.conf")], KeyOnly);
        var settings = NodeSettings.Create(config);

        Assert.Equal(NodeRole.Validator, settings.Role);
        Assert.Equal("exchange", settings.SystemName);
        Assert.Equal("exchange-devnet-1", settings.ChainId);
        Assert.Equal("/keys/node.json", settings.KeyFile);
        Assert.Equal(["akka.tcp://exchange@127.0.0.1:4053"], settings.SeedNodes.Select(a => a.ToString()));
        Assert.Equal(4053, config.GetInt("akka.remote.socket-tcp.port"));
        Assert.Equal(["akka.remote.socket-tcp"], config.GetStringList("akka.remote.enabled-transports"));
        Assert.Equal("Exchange.Node.Remoting.SocketTransport, exchange", config.GetString("akka.remote.socket-tcp.transport-class"));
        Assert.True(config.GetBoolean("akka.remote.socket-tcp.tcp-nodelay"));
        Assert.Equal("keep-majority", config.GetString("akka.cluster.split-brain-resolver.active-strategy"));
        Assert.Equal("validator", config.GetString("akka.cluster.split-brain-resolver.keep-majority.role"));
        Assert.Equal("SQLite.MS", config.GetString("akka.persistence.journal.sql.provider-name"));
        Assert.Equal("Data Source=data/ledger.db", config.GetString("akka.persistence.journal.sql.connection-string"));
        Assert.Equal("Data Source=data/ledger.db", config.GetString("akka.persistence.snapshot-store.sql.connection-string"));
        Assert.Equal("Exchange.Node.Serialization.ExchangeSerializer, exchange", config.GetString("akka.actor.serializers.exchange-wire"));
        // The ledger's reference settings and journal serializer come along.
        Assert.Equal("ledger", config.GetString("exchange.ledger.persistence-id"));
        Assert.Equal("Exchange.Node.Ledger.LedgerSerializer, exchange", config.GetString("akka.actor.serializers.exchange-ledger"));
    }

    [Fact]
    public void Fullnode_conf_should_give_a_full_node_on_its_own_port()
    {
        var config = NodeConfig.Load([File("fullnode.conf")], KeyOnly);
        Assert.Equal(NodeRole.FullNode, NodeSettings.Create(config).Role);
        Assert.Equal(4060, config.GetInt("akka.remote.socket-tcp.port"));
        Assert.Equal(["akka.remote.socket-tcp"], config.GetStringList("akka.remote.enabled-transports"));
    }

    [Fact]
    public void Later_config_file_should_override_earlier_ones()
    {
        var config = NodeConfig.Load([File("validator.conf"), File("persistence-postgres.conf")], KeyOnly);
        Assert.Equal("PostgreSQL.15", config.GetString("akka.persistence.journal.sql.provider-name"));
        Assert.Equal("PostgreSQL.15", config.GetString("akka.persistence.query.journal.sql.provider-name"));
        Assert.StartsWith("Host=", config.GetString("akka.persistence.snapshot-store.sql.connection-string"));
    }

    [Fact]
    public void Environment_should_override_host_port_seeds_key_file_data_dir_and_connection_string()
    {
        var config = NodeConfig.Load([File("validator.conf")], new Dictionary<string, string?>
        {
            [EnvironmentOverrides.Host] = "0.0.0.0",
            [EnvironmentOverrides.PublicHost] = "validator-2",
            [EnvironmentOverrides.Port] = "5001",
            [EnvironmentOverrides.Seeds] = "validator-1:5000, akka.tcp://exchange@validator-2:5001",
            [EnvironmentOverrides.KeyFile] = "/run/secrets/key.json",
            [EnvironmentOverrides.DataDir] = "/var/lib/exchange",
        });
        var settings = NodeSettings.Create(config);

        Assert.Equal("0.0.0.0", config.GetString("akka.remote.socket-tcp.hostname"));
        Assert.Equal("validator-2", config.GetString("akka.remote.socket-tcp.public-hostname"));
        Assert.Equal(5001, config.GetInt("akka.remote.socket-tcp.port"));
        Assert.Equal(["akka.tcp://exchange@validator-1:5000", "akka.tcp://exchange@validator-2:5001"], settings.SeedNodes.Select(a => a.ToString()));
        Assert.Equal("/run/secrets/key.json", settings.KeyFile);
        Assert.Equal("/var/lib/exchange", settings.DataDir);
        // The SQLite file follows the data directory.
        Assert.Equal("Data Source=/var/lib/exchange/ledger.db", config.GetString("akka.persistence.journal.sql.connection-string"));
        Assert.Equal("Data Source=/var/lib/exchange/ledger.db", config.GetString("akka.persistence.query.journal.sql.connection-string"));
    }

    [Fact]
    public void Connection_string_from_the_environment_should_reach_journal_snapshots_and_queries()
    {
        const string postgres = "Host=db;Database=exchange_v1;Username=exchange;Password=p\"w\\d";
        var config = NodeConfig.Load([File("validator.conf"), File("persistence-postgres.conf")],
            new Dictionary<string, string?>(KeyOnly) { [EnvironmentOverrides.ConnectionString] = postgres });
        Assert.Equal(postgres, config.GetString("akka.persistence.journal.sql.connection-string"));
        Assert.Equal(postgres, config.GetString("akka.persistence.snapshot-store.sql.connection-string"));
        Assert.Equal(postgres, config.GetString("akka.persistence.query.journal.sql.connection-string"));
    }

    [Theory]
    [InlineData(EnvironmentOverrides.Port, "http")]
    [InlineData(EnvironmentOverrides.Port, "70000")]
    [InlineData(EnvironmentOverrides.Seeds, "just-a-host")]
    public void Malformed_environment_value_should_be_refused_by_name(string variable, string value)
    {
        var e = Assert.Throws<NodeConfigException>(() => NodeConfig.Load([File("validator.conf")], new Dictionary<string, string?> { [variable] = value }));
        Assert.Contains(variable, e.Message);
    }

    [Fact]
    public void Node_without_a_key_file_should_be_refused_with_the_command_that_makes_one()
    {
        var e = Assert.Throws<NodeConfigException>(() => NodeSettings.Create(NodeConfig.Load([File("validator.conf")], NoEnvironment)));
        Assert.Contains("exchange keygen", e.Message);
    }

    [Fact]
    public void Config_with_no_role_or_two_roles_should_be_refused()
    {
        var twoRoles = WriteTemp("""
            include "base.conf"
            akka.cluster.roles = [validator, fullnode]
            """);
        Assert.Throws<NodeConfigException>(() => NodeSettings.Create(NodeConfig.Load([File("base.conf"), twoRoles], KeyOnly)));
        Assert.Throws<NodeConfigException>(() => NodeSettings.Create(NodeConfig.Load([File("base.conf")], KeyOnly)));
    }

    [Fact]
    public void Seed_of_another_actor_system_should_be_refused()
    {
        var e = Assert.Throws<NodeConfigException>(() => NodeSettings.Create(NodeConfig.Load([File("validator.conf")],
            new Dictionary<string, string?>(KeyOnly) { [EnvironmentOverrides.Seeds] = "akka.tcp://other@127.0.0.1:4053" })));
        Assert.Contains("other", e.Message);
    }

    [Fact]
    public void Missing_config_file_should_be_refused_by_name()
    {
        var e = Assert.Throws<NodeConfigException>(() => NodeConfig.Load(["no/such/file.conf"], NoEnvironment));
        Assert.Contains("no/such/file.conf", e.Message);
    }

    [Fact]
    public void Every_key_in_the_hocon_files_should_have_a_comment_above_it()
    {
        var files = Directory.GetFiles(Hocon, "*.conf");
        Assert.Equal(5, files.Length);
        foreach (var file in files)
        {
            var lines = System.IO.File.ReadAllLines(file).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
            for (var i = 0; i < lines.Length; i++)
            {
                if (!lines[i].Contains('=') || lines[i].StartsWith('#')) continue;
                Assert.True(i > 0 && lines[i - 1].StartsWith('#'), $"{Path.GetFileName(file)}: '{lines[i]}' has no comment above it");
            }
        }
    }

    private static string WriteTemp(string text)
    {
        var dir = Directory.CreateTempSubdirectory("exchange-config-").FullName;
        System.IO.File.Copy(File("base.conf"), Path.Combine(dir, "base.conf"));
        var path = Path.Combine(dir, "test.conf");
        System.IO.File.WriteAllText(path, text);
        return path;
    }
}
