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
internal sealed class SocketAssociationHandle : AssociationHandle
{
    private const int HeaderBytes = 4;
    private const int ReadBufferBytes = 64 * 1024;
    private const int KeptBufferBytes = 1 << 20;

    private readonly Socket _socket;
    private readonly long _maximumFrameSize;
    private readonly ILoggingAdapter _log;
    private readonly Action<SocketAssociationHandle> _onClosed;
    private readonly object _writeGate = new();
    private byte[] _writeBuffer = new byte[4096];
    private int _closed;

    public SocketAssociationHandle(Socket socket, Address localAddress, Address remoteAddress, long maximumFrameSize,
        ILoggingAdapter log, Action<SocketAssociationHandle> onClosed)
        : base(localAddress, remoteAddress)
    {
        _socket = socket;
        _maximumFrameSize = maximumFrameSize;
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
            if (Volatile.Read(ref _closed) != 0) return false;
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
        }
        return true;
    }

#pragma warning disable CS0672 // Akka's transports implement the obsolete overload; Disassociate(reason, log) calls it.
    public override void Disassociate() => Close();
#pragma warning restore CS0672

    /// <summary>Closes the connection; safe to call any number of times from any thread.</summary>
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
    }

    private void StartReader(IHandleEventListener upstream) =>
        new Thread(() => Read(upstream)) { IsBackground = true, Name = $"remote-read {RemoteAddress.Host}:{RemoteAddress.Port}" }.Start();

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
                    upstream.Notify(new InboundPayload(ByteString.CopyFrom(buffer, offset + HeaderBytes, length)));
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
