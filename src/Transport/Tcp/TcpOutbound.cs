using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Collectives.Transport.Tcp;

/// <summary>
/// The sending half of one connection. One frame at a time (a lock keeps frames whole and in
/// order; sends to different peers never contend). Each write is first tried as a non-blocking
/// send on the caller's thread, which for small messages completes the whole send with one
/// system call and no thread hop. When the socket's buffer is full (the kernel's backpressure),
/// the sender keeps retrying while the receiver drains it, for up to
/// <see cref="TcpTransportOptions.ReceiveSpinBudget"/> without progress, then waits on the
/// <see cref="TcpPoller"/> and returns its thread.
/// </summary>
/// <remarks>
/// A payload up to <see cref="CoalesceLimit"/> bytes is copied behind the header so the frame
/// leaves in one system call; of a larger payload only the first <see cref="CoalesceLimit"/> bytes
/// are copied behind the header (so the header never goes out as a tiny segment of its own) and
/// the rest is written from the caller's memory as is, never copied into a whole-message buffer.
/// </remarks>
internal sealed class TcpOutbound
{
    /// <summary>Payloads up to this size are copied next to the header and sent with it in one call.</summary>
    public const int CoalesceLimit = 16 * 1024;

    private static readonly byte[] HeartbeatFrame = ControlFrame(FrameType.Heartbeat, []);
    private static readonly byte[] GoodbyeFrame = ControlFrame(FrameType.Goodbye, []);

    private readonly TcpPeer _peer;
    private readonly Socket _socket;
    private readonly TcpPoller _poller;
    private readonly long _spinBudgetTicks;
    private readonly int _maxPayload;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly byte[] _scratch = new byte[FrameHeader.Size + CoalesceLimit];
    private byte[]? _pendingAbortFrame;
    private bool _abortRequested;
    private long _lastSent = Stopwatch.GetTimestamp();

    public TcpOutbound(TcpPeer peer, Socket socket, TcpPoller poller, TcpRankState rankState)
    {
        _peer = peer;
        _socket = socket;
        _poller = poller;
        _spinBudgetTicks = rankState.SpinBudgetTicks;
        _maxPayload = rankState.Options.MaxFramePayload;
    }

    /// <summary><see cref="Stopwatch"/> timestamp of the last completed frame write.</summary>
    public long LastSent => Volatile.Read(ref _lastSent);

    /// <summary>Sends one data frame; see <see cref="ITransport.SendAsync"/>.</summary>
    public ValueTask SendAsync(MessageTag tag, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        if (payload.Length > _maxPayload)
        {
            throw new ArgumentException(
                $"A {payload.Length}-byte payload exceeds the transport's maximum frame payload of {_maxPayload} bytes (TcpTransportOptions.MaxFramePayload).",
                nameof(payload));
        }

        if (Failure() is { } failure)
        {
            return ValueTask.FromException(failure);
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        return _lock.Wait(0)
            ? SendLockedAsync(tag, payload, cancellationToken)
            : SendAfterWaitAsync(tag, payload, cancellationToken);
    }

    /// <summary>
    /// Sends an abort frame as soon as the frame in progress (if any) is complete, then sends
    /// nothing more. Never blocks and never throws.
    /// </summary>
    public void SendAbort(ReadOnlySpan<byte> reason)
    {
        Volatile.Write(ref _abortRequested, true);
        Volatile.Write(ref _pendingAbortFrame, ControlFrame(FrameType.Abort, reason));
        if (_lock.Wait(0))
        {
            ReleaseOrFlushAbort();
        }
    }

    /// <summary>Sends a heartbeat unless a frame is being written (which proves liveness itself).</summary>
    public void TrySendHeartbeat()
    {
        if (_lock.Wait(0))
        {
            _ = WriteControlAndReleaseAsync(HeartbeatFrame);
        }
    }

    /// <summary>Sends the goodbye frame (waiting at most <paramref name="timeout"/> for a frame in progress) and nothing after it.</summary>
    public async Task SendGoodbyeAsync(TimeSpan timeout)
    {
        try
        {
            // After an abort frame nothing may follow (and its writer keeps the lock forever).
            if (Volatile.Read(ref _abortRequested) || !await _lock.WaitAsync(timeout).ConfigureAwait(false))
            {
                return;
            }

            // The lock is kept: no frame may follow a goodbye.
            using var deadline = new CancellationTokenSource(timeout);
            await WriteAsync(GoodbyeFrame, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is OperationCanceledException or CollectiveException or ObjectDisposedException)
        {
            // Best effort: the peer learns of the close from the connection ending instead.
        }
    }

    private static byte[] ControlFrame(FrameType type, ReadOnlySpan<byte> payload)
    {
        byte[] frame = new byte[FrameHeader.Size + payload.Length];
        new FrameHeader(type, payload.Length, default).WriteTo(frame);
        payload.CopyTo(frame.AsSpan(FrameHeader.Size));
        return frame;
    }

    private Exception? Failure() => _peer.RankState.OperationFailure() ?? _peer.Failure();

    private async ValueTask SendAfterWaitAsync(MessageTag tag, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        await SendLockedAsync(tag, payload, cancellationToken).ConfigureAwait(false);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendLockedAsync(MessageTag tag, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        try
        {
            // Checked again under the lock: the peer may have failed, or the job aborted, while we waited.
            if (Failure() is { } failure)
            {
                throw failure;
            }

            new FrameHeader(FrameType.Data, payload.Length, tag).WriteTo(_scratch);
            if (payload.Length <= CoalesceLimit)
            {
                payload.Span.CopyTo(_scratch.AsSpan(FrameHeader.Size));
                await WriteAsync(_scratch.AsMemory(0, FrameHeader.Size + payload.Length), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                // The payload's first bytes ride with the header, so the header never leaves as a
                // segment of its own (one system call and one tiny segment fewer per large frame).
                payload.Span[..CoalesceLimit].CopyTo(_scratch.AsSpan(FrameHeader.Size));
                await WriteAsync(_scratch, cancellationToken).ConfigureAwait(false);
                await WriteAsync(payload[CoalesceLimit..], cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ReleaseOrFlushAbort();
        }
    }

    private async Task WriteControlAndReleaseAsync(byte[] frame)
    {
        try
        {
            await WriteAsync(frame, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is CollectiveException or ObjectDisposedException)
        {
            // The connection failed; WriteAsync has already failed the peer.
        }
        finally
        {
            ReleaseOrFlushAbort();
        }
    }

    /// <summary>
    /// Writes all of <paramref name="frame"/>: non-blocking first, the rest asynchronously. A
    /// frame cut short (a cancelled or failed write) leaves the stream unusable, so the peer is
    /// failed: the receiver could never find the next frame boundary.
    /// </summary>
    private ValueTask WriteAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        int sent = 0;
        while (sent < frame.Length)
        {
            int count;
            SocketError error;
            try
            {
                count = _socket.Send(frame.Span[sent..], SocketFlags.None, out error);
            }
            catch (ObjectDisposedException)
            {
                return ValueTask.FromException(Failure() ?? new ObjectDisposedException(nameof(TcpTransport)));
            }

            if (error == SocketError.WouldBlock)
            {
                return WriteRemainderAsync(frame[sent..], cancellationToken);
            }

            if (error != SocketError.Success)
            {
                _peer.Fail(TcpPeer.Describe(error), new SocketException((int)error));
                return ValueTask.FromException(Failure()!);
            }

            sent += count;
        }

        Volatile.Write(ref _lastSent, Stopwatch.GetTimestamp());
        return ValueTask.CompletedTask;
    }

    private async ValueTask WriteRemainderAsync(ReadOnlyMemory<byte> rest, CancellationToken cancellationToken)
    {
        long lastProgress = Stopwatch.GetTimestamp();
        try
        {
            while (!rest.IsEmpty)
            {
                int count = _socket.Send(rest.Span, SocketFlags.None, out SocketError error);
                if (error == SocketError.Success)
                {
                    rest = rest[count..];
                    lastProgress = Stopwatch.GetTimestamp();
                    Volatile.Write(ref _lastSent, lastProgress);
                    continue;
                }

                if (error != SocketError.WouldBlock)
                {
                    throw new SocketException((int)error);
                }

                cancellationToken.ThrowIfCancellationRequested();
                if (Stopwatch.GetTimestamp() - lastProgress < _spinBudgetTicks)
                {
                    // The receiver is probably draining right now (a large message in flight).
                    Thread.Yield();
                    continue;
                }

                await _poller.WritableAsync(_socket, cancellationToken).ConfigureAwait(false);
                lastProgress = Stopwatch.GetTimestamp();
            }
        }
        catch (OperationCanceledException)
        {
            _peer.Fail("a send to it was cancelled part-way through a frame, so the stream can no longer be parsed");
            throw;
        }
        catch (SocketException exception)
        {
            _peer.Fail(TcpPeer.Describe(exception), exception);
            throw Failure()!;
        }
        catch (ObjectDisposedException)
        {
            throw Failure() ?? new ObjectDisposedException(nameof(TcpTransport));
        }
    }

    /// <summary>Releases the send lock, unless an abort frame is waiting: then writes it and keeps the lock forever.</summary>
    private void ReleaseOrFlushAbort()
    {
        while (true)
        {
            byte[]? abort = Interlocked.Exchange(ref _pendingAbortFrame, null);
            if (abort is not null)
            {
                _ = WriteAbortAsync(abort);
                return;
            }

            _lock.Release();

            // An abort requested after the check above but before the release would otherwise
            // wait for a send that never comes.
            if (Volatile.Read(ref _pendingAbortFrame) is null || !_lock.Wait(0))
            {
                return;
            }
        }
    }

    private async Task WriteAbortAsync(byte[] frame)
    {
        try
        {
            using var deadline = new CancellationTokenSource(_peer.RankState.Options.ConnectTimeout);
            await WriteAsync(frame, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is OperationCanceledException or CollectiveException or ObjectDisposedException)
        {
            // Best effort: a peer we cannot tell learns of the end from the connection closing.
        }
    }
}
