using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using Akka.Remote.Transport;
using AkkaTransport = Akka.Remote.Transport.Transport;

namespace Exchange.Node.Remoting;

/// <summary>
/// Akka.Remote's wire as plain TCP sockets (HOCON <c>akka.remote.socket-tcp</c>). Each association is one connection;
/// a frame is a 4-byte little-endian length and the payload Akka's protocol layer hands down, the framing of Akka's
/// DotNetty transport, so a node and a client on DotNetty still understand each other. A write goes to the socket on
/// the caller's thread (Akka's endpoint writer) and each connection has a thread of its own that blocks in a read and
/// hands every whole frame up. DotNetty moves every write to an event-loop thread and every read through a channel
/// pipeline; on this machine's two shared cores that hand-off and its machinery were half of what a remote message
/// cost (docs/benchmarks.md, remote-floor). Akka's protocol layer above (handshake, heartbeats, acknowledged system
/// messages, quarantine) is unchanged.
/// </summary>
public sealed class SocketTransport : AkkaTransport
{
    private readonly SocketTransportSettings _settings;
    private readonly ILoggingAdapter _log;
    private readonly ConcurrentDictionary<SocketAssociationHandle, byte> _open = new();
    private readonly CancellationTokenSource _stopping = new();
    private Socket? _listener;
    private int _inbound;

    /// <summary>Akka.Remote creates its transports through this constructor (<c>transport-class</c>).</summary>
    public SocketTransport(ActorSystem system, Config config)
    {
        System = system;
        Config = config;
        _settings = SocketTransportSettings.Create(config);
        _log = Logging.GetLogger(system, typeof(SocketTransport));
        SchemeIdentifier = "tcp";   // addresses stay akka.tcp://system@host:port
        MaximumPayloadBytes = _settings.MaximumFrameSize;
    }

    public override async Task<(Address, TaskCompletionSource<IAssociationEventListener>)> Listen()
    {
        var bindTo = await ResolveListenAddressAsync(_settings.Hostname).ConfigureAwait(false);
        var listener = new Socket(bindTo.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            AllowRebindOverTimeWait(listener);
            listener.Bind(new IPEndPoint(bindTo, _settings.Port));
            listener.Listen(_settings.Backlog);
        }
        catch (SocketException e)
        {
            listener.Dispose();
            throw new InvalidOperationException($"cannot listen on {_settings.Hostname}:{_settings.Port}: {e.Message}", e);
        }
        _listener = listener;
        var address = new Address(SchemeIdentifier, System.Name, _settings.AdvertisedHostname, ((IPEndPoint)listener.LocalEndPoint!).Port);
        var associations = new TaskCompletionSource<IAssociationEventListener>(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = AcceptAsync(listener, address, associations.Task);
        return (address, associations);
    }

    public override bool IsResponsibleFor(Address remote) => true;

    public override async Task<AssociationHandle> Associate(Address remoteAddress)
    {
        if (remoteAddress.Host is not { } host || remoteAddress.Port is not { } port)
            throw new InvalidAssociationException($"{remoteAddress} has no host and port to connect to");
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            timeout.CancelAfter(_settings.ConnectionTimeout);
            await socket.ConnectAsync(host, port, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            socket.Dispose();
            // Akka retries a failed association after retry-gate-closed-for; the peer may be starting or gone.
            throw new InvalidAssociationException($"cannot connect to {remoteAddress}: {e.Message}", e);
        }
        var local = (IPEndPoint)socket.LocalEndPoint!;
        return Open(socket, new Address(SchemeIdentifier, System.Name, _settings.AdvertisedHostname, local.Port), remoteAddress, static () => { });
    }

    /// <summary>
    /// Stops accepting and closes every connection the way a disassociation does: writes are synchronous, so nothing
    /// is left to flush, but a connection closed while the peer's data waits unread would be reset, and the peer could
    /// lose the DISASSOCIATE message Akka has just written. Connections still open after <c>close-timeout</c> are cut.
    /// </summary>
    public override async Task<bool> Shutdown()
    {
        _stopping.Cancel();
        _listener?.Dispose();
        var open = _open.Keys.ToList();
        foreach (var handle in open) handle.CloseGracefully();
        var closed = Task.WhenAll(open.Select(h => h.Closed));
        await Task.WhenAny(closed, Task.Delay(_settings.CloseTimeout)).ConfigureAwait(false);
        foreach (var handle in open) handle.Close();
        return true;
    }

    private async Task AcceptAsync(Socket listener, Address localAddress, Task<IAssociationEventListener> associations)
    {
        // Connections wait in the listen backlog until the protocol layer is ready for them.
        IAssociationEventListener upstream;
        try
        {
            upstream = await associations.WaitAsync(_stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;   // the transport is shutting down
            }
            catch (SocketException e)
            {
                // A connection reset before it was accepted, or the process short of descriptors for a moment: the
                // listener itself is fine, so it keeps accepting, a little later.
                _log.Warning("socket transport could not accept a connection on {0}: {1}", localAddress, e.Message);
                await Task.Delay(100).ConfigureAwait(false);
                continue;
            }
            if (Volatile.Read(ref _inbound) >= _settings.MaxInboundConnections)
            {
                _log.Warning("refusing a connection from {0}: {1} inbound connections are open (max-inbound-connections)",
                    socket.RemoteEndPoint, _settings.MaxInboundConnections);
                socket.Dispose();
                continue;
            }
            Interlocked.Increment(ref _inbound);
            try
            {
                var peer = (IPEndPoint)socket.RemoteEndPoint!;
                var peerHost = peer.Address.IsIPv4MappedToIPv6 ? peer.Address.MapToIPv4() : peer.Address;
                var remoteAddress = new Address(SchemeIdentifier, System.Name, peerHost.ToString(), peer.Port);
                upstream.Notify(new InboundAssociation(Open(socket, localAddress, remoteAddress, () => Interlocked.Decrement(ref _inbound))));
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // Reset while it was being set up; one lost connection must not stop the listener.
                Interlocked.Decrement(ref _inbound);
                socket.Dispose();
                _log.Warning("socket transport dropped a connection while setting it up on {0}: {1}", localAddress, e.Message);
            }
        }
    }

    private SocketAssociationHandle Open(Socket socket, Address localAddress, Address remoteAddress, Action onClosed)
    {
        socket.NoDelay = _settings.TcpNoDelay;
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, _settings.TcpKeepAlive);
        socket.SendBufferSize = _settings.SendBufferSize;
        socket.ReceiveBufferSize = _settings.ReceiveBufferSize;
        socket.SendTimeout = (int)_settings.WriteTimeout.TotalMilliseconds;
        var handle = new SocketAssociationHandle(socket, localAddress, remoteAddress, _settings.MaximumFrameSize, _settings.CloseTimeout, _log,
            closed =>
            {
                _open.TryRemove(closed, out _);
                onClosed();
            },
            () => _stopping.IsCancellationRequested || CoordinatedShutdown.Get(System).ShutdownReason is not null);
        _open[handle] = 0;
        if (_stopping.IsCancellationRequested) handle.Close();
        return handle;
    }

    /// <summary>
    /// A restarted node binds its port again while the connections of its previous incarnation linger in TIME_WAIT;
    /// SO_REUSEADDR alone allows that on Linux. .NET's ReuseAddress would also set SO_REUSEPORT, which lets a second
    /// process bind a port that a live node listens on and share its connections.
    /// </summary>
    private static void AllowRebindOverTimeWait(Socket listener)
    {
        const int SolSocket = 1, SoReuseAddr = 2;
        if (OperatingSystem.IsLinux()) listener.SetRawSocketOption(SolSocket, SoReuseAddr, BitConverter.GetBytes(1));
    }

    private static async Task<IPAddress> ResolveListenAddressAsync(string hostname)
    {
        if (hostname is "" or "0.0.0.0") return IPAddress.Any;
        if (hostname is "::" or "[::]") return IPAddress.IPv6Any;
        if (IPAddress.TryParse(hostname.Trim('[', ']'), out var literal)) return literal;
        var addresses = await Dns.GetHostAddressesAsync(hostname).ConfigureAwait(false);
        if (addresses.Length == 0) throw new InvalidOperationException($"hostname '{hostname}' resolves to no address to listen on");
        return addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses[0];
    }
}
