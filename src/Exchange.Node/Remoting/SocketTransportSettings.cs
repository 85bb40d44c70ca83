using Akka.Configuration;

namespace Exchange.Node.Remoting;

/// <summary>
/// The keys of <c>akka.remote.socket-tcp</c> (commented in the node's reference.conf). The names are those of Akka's
/// DotNetty transport where the two share a meaning, so a deployment's host, port and sizes read the same.
/// </summary>
public sealed record SocketTransportSettings(
    string Hostname,
    string PublicHostname,
    int Port,
    int MaximumFrameSize,
    int SendBufferSize,
    int ReceiveBufferSize,
    bool TcpNoDelay,
    bool TcpKeepAlive,
    int Backlog,
    int MaxInboundConnections,
    TimeSpan ConnectionTimeout,
    TimeSpan WriteTimeout,
    TimeSpan CloseTimeout)
{
    /// <summary>The host peers dial: the public hostname when one is set, else the listening one.</summary>
    public string AdvertisedHostname => PublicHostname is "" ? Hostname : PublicHostname;

    public static SocketTransportSettings Create(Config config)
    {
        var settings = new SocketTransportSettings(
            config.GetString("hostname", "127.0.0.1"),
            config.GetString("public-hostname", ""),
            config.GetInt("port", 0),
            Bytes(config, "maximum-frame-size", 128_000),
            Bytes(config, "send-buffer-size", 256_000),
            Bytes(config, "receive-buffer-size", 256_000),
            config.GetBoolean("tcp-nodelay", true),
            config.GetBoolean("tcp-keepalive", true),
            config.GetInt("backlog", 512),
            config.GetInt("max-inbound-connections", 1024),
            config.GetTimeSpan("connection-timeout", TimeSpan.FromSeconds(15)),
            config.GetTimeSpan("write-timeout", TimeSpan.FromSeconds(10)),
            config.GetTimeSpan("close-timeout", TimeSpan.FromSeconds(2)));
        settings.Validate();
        return settings;
    }

    private void Validate()
    {
        if (Port is < 0 or > 65535) throw new ConfigurationException($"socket-tcp.port = {Port} is not a TCP port (0 to 65535)");
        if (MaximumFrameSize < 32_000)
            throw new ConfigurationException($"socket-tcp.maximum-frame-size = {MaximumFrameSize} is below Akka's minimum of 32000 bytes");
        if (SendBufferSize <= 0 || ReceiveBufferSize <= 0) throw new ConfigurationException("socket-tcp buffer sizes must be positive");
        if (Backlog <= 0) throw new ConfigurationException($"socket-tcp.backlog = {Backlog} must be positive");
        if (MaxInboundConnections <= 0)
            throw new ConfigurationException($"socket-tcp.max-inbound-connections = {MaxInboundConnections} must be positive");
        if (ConnectionTimeout <= TimeSpan.Zero || WriteTimeout <= TimeSpan.Zero || CloseTimeout <= TimeSpan.Zero)
            throw new ConfigurationException("socket-tcp.connection-timeout, write-timeout and close-timeout must be positive");
    }

    private static int Bytes(Config config, string key, int fallback)
    {
        var value = config.GetByteSize(key, fallback) ?? fallback;
        if (value is < 0 or > int.MaxValue - 4) throw new ConfigurationException($"socket-tcp.{key} = {value} is out of range");
        return (int)value;
    }
}
