using System.Buffers.Binary;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;
using Akka.Remote.Transport;
using Google.Protobuf;

namespace Exchange.Node.Remoting;

/// <summary>
/// One connection of <see cref="SocketTransport"/>. A write frames its payload into one buffer and sends it under a
/// lock, so concurrent writers never interleave frames and a small vote leaves in one segment at once. The reader
/// thread starts once Akka registers its listener; until then the kernel holds what arrives. Either side's failure
/// closes the socket, and the reader then reports the association gone, once.
/// </summary>
/// <remarks>
/// Akka ends an association by writing its DISASSOCIATE message and then disassociating the handle. Closing the
/// socket at once would lose that message whenever the peer's data still waited unread here: Linux answers a close
/// with unread data by a reset, which discards what the peer had not read yet, and the peer would log a failed
/// association instead of a shutdown. So a disassociation only ends this side's sending (the peer reads everything
/// and then the end of the stream), and the reader reads on, passing nothing up, until the peer closes its side too
/// or <c>close-timeout</c> has passed.
/// <para>When the actor system shuts down, Akka stops each association's protocol actor, and one stopped before it took
/// in its endpoint writer's last request disassociates the handle without writing the DISASSOCIATE. The peer then saw
/// the stream end unannounced and logged a failed association and an error, for a clean shutdown (two or three nodes
/// did at every other devnet stop). So a handle disassociated while its system shuts down, with no DISASSOCIATE among
/// its writes, writes Akka's "shutting down" one itself first: what Akka's protocol actor would have said.</para>
/// </remarks>
internal sealed class SocketAssociationHandle : AssociationHandle
{
    private const int HeaderBytes = 4;
    private const int ReadBufferBytes = 64 * 1024;
    private const int KeptBufferBytes = 1 << 20;

    /// <summary>
    /// Akka's DISASSOCIATE protocol messages (WireFormats.proto: an AkkaProtocolMessage whose instruction, field 2, holds
    /// only a command type, field 1): plain, shutting down, quarantined. Fixed bytes, shared with every Akka.Remote peer.
    /// </summary>
    private static readonly byte[][] Goodbyes = [[0x12, 0x02, 0x08, 0x02], [0x12, 0x02, 0x08, 0x04], [0x12, 0x02, 0x08, 0x05]];
    private static readonly ByteString ShuttingDown = ByteString.CopyFrom(Goodbyes[1]);

    private readonly Socket _socket;
    private readonly long _maximumFrameSize;
    private readonly ILoggingAdapter _log;
    private readonly Action<SocketAssociationHandle> _onClosed;
    private readonly TimeSpan _closeTimeout;
    private readonly Func<bool> _systemStopping;
    private readonly object _writeGate = new();
    private readonly TaskCompletionSource _closedSource = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private byte[] _writeBuffer = new byte[4096];
    private int _closed;
    private volatile bool _closing;
    private volatile bool _reading;
    private bool _saidGoodbye;

    /// <param name="systemStopping">Whether the local actor system is shutting down (see the remarks).</param>
    public SocketAssociationHandle(Socket socket, Address localAddress, Address remoteAddress, long maximumFrameSize,
        TimeSpan closeTimeout, ILoggingAdapter log, Action<SocketAssociationHandle> onClosed, Func<bool> systemStopping)
        : base(localAddress, remoteAddress)
    {
        _systemStopping = systemStopping;
        _socket = socket;
        _maximumFrameSize = maximumFrameSize;
        _closeTimeout = closeTimeout;
        _log = log;
        _onClosed = onClosed;
        ReadHandlerSource.Task.ContinueWith(registered => StartReader(registered.Result), CancellationToken.None,
            TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>
    /// Sends the frame before returning. The socket's send buffer (1 MiB on a node) absorbs bursts, so this blocks
    /// only when a peer stops reading; after <c>write-timeout</c> the connection is dropped and Akka reconnects.
    /// False means the connection is closed and the payload was not sent, as Akka's contract asks.
    /// </summary>
    public override bool Write(ByteString payload)
    {
        var frame = HeaderBytes + payload.Length;
        lock (_writeGate)
        {
            if (_closing || Volatile.Read(ref _closed) != 0) return false;
            if (_writeBuffer.Length < frame) _writeBuffer = new byte[Math.Max(frame, _writeBuffer.Length * 2)];
            BinaryPrimitives.WriteInt32LittleEndian(_writeBuffer, payload.Length);
            payload.Span.CopyTo(_writeBuffer.AsSpan(HeaderBytes));
            try
            {
                for (var sent = 0; sent < frame;) sent += _socket.Send(_writeBuffer, sent, frame - sent, SocketFlags.None);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                if (e is SocketException { SocketErrorCode: SocketError.TimedOut or SocketError.WouldBlock })
                    _log.Warning("dropping the connection to {0}: it has not read for the write timeout", RemoteAddress);
                Close();
                return false;
            }
            if (_writeBuffer.Length > KeptBufferBytes) _writeBuffer = new byte[4096];   // a block-sized burst is rare
            _saidGoodbye |= IsGoodbye(payload.Span);
        }
        return true;
    }

    private static bool IsGoodbye(ReadOnlySpan<byte> payload)
    {
        if (payload.Length != 4) return false;
        foreach (var goodbye in Goodbyes)
            if (payload.SequenceEqual(goodbye)) return true;
        return false;
    }

    /// <summary>Writes Akka's "shutting down" DISASSOCIATE unless one of Akka's went already.</summary>
    private void SayGoodbye()
    {
        bool said;
        lock (_writeGate) said = _saidGoodbye;
        if (!said) Write(ShuttingDown);
    }

#pragma warning disable CS0672 // Akka's transports implement the obsolete overload; Disassociate(reason, log) calls it.
    public override void Disassociate()
    {
        if (_systemStopping()) SayGoodbye();
        CloseGracefully();
    }
#pragma warning restore CS0672

    /// <summary>Completes once the socket is closed, by either side or by a failure.</summary>
    public Task Closed => _closedSource.Task;

    /// <summary>
    /// Ends this side's sending once everything written has gone, and lets the reader drain the peer's side until it
    /// closes too; a peer that does not within <c>close-timeout</c> is cut off. Safe to call more than once, and
    /// after <see cref="Close"/>.
    /// </summary>
    public void CloseGracefully()
    {
        lock (_writeGate)
        {
            if (_closing || Volatile.Read(ref _closed) != 0) return;
            _closing = true;
            try
            {
                _socket.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // already reset by the peer: nothing left to drain
                Close();
                return;
            }
        }
        // Without a reader (Akka never registered one) nothing would notice the peer's end of stream.
        if (!_reading) Close();
        else _ = Task.Delay(_closeTimeout).ContinueWith(_ => Close(), TaskScheduler.Default);
    }

    /// <summary>Closes the connection at once; safe to call any number of times from any thread.</summary>
    public void Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0) return;
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // the peer reset it first
        }
        _socket.Dispose();
        _onClosed(this);
        _closedSource.TrySetResult();
    }

    private void StartReader(IHandleEventListener upstream)
    {
        _reading = true;
        new Thread(() => Read(upstream)) { IsBackground = true, Name = $"remote-read {RemoteAddress.Host}:{RemoteAddress.Port}" }.Start();
    }

    private void Read(IHandleEventListener upstream)
    {
        var buffer = new byte[ReadBufferBytes];
        var filled = 0;
        try
        {
            while (true)
            {
                var read = _socket.Receive(buffer, filled, buffer.Length - filled, SocketFlags.None);
                if (read == 0) return;
                filled += read;
                var offset = 0;
                while (filled - offset >= HeaderBytes)
                {
                    var length = BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(offset));
                    if (length < 0 || length > _maximumFrameSize)
                    {
                        _log.Warning("dropping the connection from {0}: a frame of {1} bytes, the most allowed is {2} (maximum-frame-size)",
                            RemoteAddress, length, _maximumFrameSize);
                        return;
                    }
                    var available = filled - offset - HeaderBytes;
                    if (available < length)
                    {
                        if (HeaderBytes + length > buffer.Length) buffer = Grow(buffer, offset, filled, HeaderBytes + length);
                        else if (offset > 0) Buffer.BlockCopy(buffer, offset, buffer, 0, filled - offset);
                        filled -= offset;
                        offset = 0;
                        break;
                    }
                    // Once this side has disassociated, Akka expects nothing more: what the peer still sends is drained unread.
                    if (!_closing) upstream.Notify(new InboundPayload(ByteString.CopyFrom(buffer, offset + HeaderBytes, length)));
                    offset += HeaderBytes + length;
                }
                if (offset == filled)
                {
                    filled = 0;
                    if (buffer.Length > KeptBufferBytes) buffer = new byte[ReadBufferBytes];
                }
                else if (offset > 0)
                {
                    Buffer.BlockCopy(buffer, offset, buffer, 0, filled - offset);
                    filled -= offset;
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // reset by the peer, or closed by this side: the association is over either way
        }
        finally
        {
            Close();
            upstream.Notify(new Disassociated(DisassociateInfo.Unknown));
        }
    }

    private static byte[] Grow(byte[] buffer, int offset, int filled, int needed)
    {
        var larger = new byte[needed];
        Buffer.BlockCopy(buffer, offset, larger, 0, filled - offset);
        return larger;
    }
}
