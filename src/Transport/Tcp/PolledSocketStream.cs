using System.Net.Sockets;

namespace Collectives.Transport.Tcp;

/// <summary>
/// A <see cref="Stream"/> over a non-blocking socket whose asynchronous reads and writes wait on
/// the <see cref="TcpPoller"/> instead of the socket's own asynchronous operations, so running the
/// handshake through it leaves the socket out of the runtime's epoll engine (see
/// <see cref="TcpPoller"/> for why that matters). Only what the handshake uses is supported.
/// </summary>
internal sealed class PolledSocketStream : Stream
{
    private readonly Socket _socket;
    private readonly TcpPoller _poller;

    public PolledSocketStream(Socket socket, TcpPoller poller)
    {
        socket.Blocking = false;
        _socket = socket;
        _poller = poller;
    }

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            int count = _socket.Receive(buffer.Span, SocketFlags.None, out SocketError error);
            if (error == SocketError.Success)
            {
                return count;
            }

            if (error != SocketError.WouldBlock)
            {
                throw new IOException($"The connection failed ({error}).", new SocketException((int)error));
            }

            await _poller.ReadableAsync(_socket, cancellationToken).ConfigureAwait(false);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (!buffer.IsEmpty)
        {
            int count = _socket.Send(buffer.Span, SocketFlags.None, out SocketError error);
            if (error == SocketError.Success)
            {
                buffer = buffer[count..];
                continue;
            }

            if (error != SocketError.WouldBlock)
            {
                throw new IOException($"The connection failed ({error}).", new SocketException((int)error));
            }

            await _poller.WritableAsync(_socket, cancellationToken).ConfigureAwait(false);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Use ReadAsync.");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("Use WriteAsync.");

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
