using System.Net.Sockets;
using Akka.Configuration;

namespace Exchange.Node.Hosting;

/// <summary>
/// Refuses to start a node on a port where something already accepts connections. On Linux .NET's address reuse also
/// sets SO_REUSEPORT, so a second node on the same port would bind without error and share its connections with the
/// first: two cluster members behind one address, possibly one key. A connect probe finds the first one; unlike a
/// test bind, it is not fooled by connections of a stopped incarnation lingering in TIME_WAIT.
/// </summary>
public static class PortGuard
{
    public static void EnsureFree(Config config)
    {
        var port = config.GetInt("akka.remote.socket-tcp.port", 0);
        if (port == 0) return;
        var host = config.GetString("akka.remote.socket-tcp.hostname", "");
        var probe = host is "" or "0.0.0.0" ? "127.0.0.1" : host is "::" or "[::]" ? "::1" : host.Trim('[', ']');
        using var client = new TcpClient(probe.Contains(':') ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork);
        try
        {
            if (!client.ConnectAsync(probe, port).Wait(TimeSpan.FromSeconds(1))) return;
        }
        catch (AggregateException)
        {
            return;
        }
        throw new NodeConfigException($"port {port} on {probe} already accepts connections: is another node running there? (set EXCHANGE_PORT)");
    }
}
