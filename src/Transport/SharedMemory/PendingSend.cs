using System.Threading.Tasks.Sources;

namespace Collectives.Transport.SharedMemory;

/// <summary>
/// A send to one destination that did not fit in its ring at once: the rest of the message is
/// written as the receiver frees space, by a thread-pool item that waits for it and by whichever
/// of this rank's threads waits in the transport meanwhile (a receive's wait loop pushes pending
/// sends). One per destination, reused.
/// </summary>
internal sealed class PendingSend : IValueTaskSource, IThreadPoolWorkItem
{
    private readonly SharedMemoryTransport _transport;
    private readonly ByteRing _ring;
    private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };
    private MessageTag _tag;
    private ReadOnlyMemory<byte> _payload;
    private CancellationToken _cancellationToken;
    private bool _headerWritten;
    private int _written;
    private int _active;
    private int _busy;

    public PendingSend(SharedMemoryTransport transport, ByteRing ring, int destination)
    {
        _transport = transport;
        _ring = ring;
        Destination = destination;
    }

    public int Destination { get; }

    public bool IsActive => Volatile.Read(ref _active) != 0;

    public short Version => _core.Version;

    public void Start(MessageTag tag, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        _core.Reset();
        _tag = tag;
        _payload = payload;
        _cancellationToken = cancellationToken;
        _headerWritten = false;
        _written = 0;
        Volatile.Write(ref _active, 1);
    }

    /// <summary>Writes whatever fits; true once the whole message is in the ring (or the send ended).</summary>
    public bool TryAdvance()
    {
        if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            return false;
        }

        try
        {
            if (Volatile.Read(ref _active) == 0)
            {
                return true;
            }

            int published = 0;
            if (!_headerWritten)
            {
                if (_ring.FreeSpace < MessageHeader.Size)
                {
                    return false;
                }

                Span<byte> header = stackalloc byte[MessageHeader.Size];
                MessageHeader.Write(header, _tag, _payload.Length);
                _ring.Write(0, header);
                _ring.Publish(MessageHeader.Size);
                _headerWritten = true;
                published++;
            }

            int padded = MessageHeader.Padded(_payload.Length);
            while (_written < padded)
            {
                int free = _ring.FreeSpace;
                if (free == 0)
                {
                    break;
                }

                int count = Math.Min(free, padded - _written);
                int data = Math.Clamp(_payload.Length - _written, 0, count);
                _ring.Write(0, _payload.Span.Slice(_written, data));
                _ring.Publish(count);
                _written += count;
                published++;
            }

            if (published > 0)
            {
                _transport.WakeAfterWrite(Destination);
            }

            if (_written < padded)
            {
                return false;
            }

            Finish(null);
            return true;
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>Ends the send with <paramref name="failure"/> unless it already ended.</summary>
    public void Fail(Exception failure)
    {
        // Holders of _busy only copy into the ring, briefly.
        var wait = default(SpinWait);
        while (Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            wait.SpinOnce();
        }

        try
        {
            if (Volatile.Read(ref _active) != 0)
            {
                Finish(failure);
            }
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    private void Finish(Exception? failure)
    {
        _payload = default;
        Volatile.Write(ref _active, 0);
        _transport.SendFinished();
        if (failure is null)
        {
            _core.SetResult(true);
        }
        else
        {
            _core.SetException(failure);
        }
    }

    /// <summary>Drives the send to its end on a pool thread.</summary>
    void IThreadPoolWorkItem.Execute()
    {
        try
        {
            _transport.WaitForSend(this, _cancellationToken);
        }
        catch (Exception exception)
        {
            Fail(exception);
        }
    }

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token)
    {
        ValueTaskSourceStatus status = _core.GetStatus(token);
        if (status == ValueTaskSourceStatus.Pending && TryAdvance())
        {
            status = _core.GetStatus(token);
        }

        return status;
    }

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _core.OnCompleted(continuation, state, token, flags);
}
