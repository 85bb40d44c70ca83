using System.Net;
using System.Net.Sockets;
using Akka.Configuration;
using Exchange.Node.Hosting;

namespace Exchange.Node.Tests.Hosting;

public class PortGuardTests
{
    private static Config On(int port) => ConfigurationFactory.ParseString($"akka.remote.socket-tcp {{ hostname = \"127.0.0.1\", port = {port} }}");

    [Fact]
    public void Node_should_refuse_a_port_where_another_process_listens()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var e = Assert.Throws<NodeConfigException>(() => PortGuard.EnsureFree(On(port)));
            Assert.Contains(port.ToString(), e.Message);
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public void Node_should_start_on_a_free_port_or_on_port_zero()
    {
        PortGuard.EnsureFree(On(TestNode.FreePort()));
        PortGuard.EnsureFree(On(0));
    }
}
