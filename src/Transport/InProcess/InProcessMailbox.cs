using System.Buffers;
using System.Threading.Tasks.Sources;

namespace Collectives.Transport.InProcess;

/// <summary>
/// The queue of messages from one rank to another inside one process. When the receiver is
/// already waiting, the sender copies straight into the receiver's buffer; otherwise the payload
/// is copied once into a pooled array until the receive arrives.
/// </summary>
internal sealed class InProcessMailbox : IValueTaskSource<ReceivedMessage>
{
    private readonly object _gate = new();
    private readonly Queue<QueuedMessage> _queue = new();
    private readonly InProcessFabric _fabric;
    private readonly int _source;
    private ManualResetValueTaskSourceCore<ReceivedMessage> _pending = new() { RunContinuationsAsynchronously = true };
    private bool _receiverWaiting;
    private MessageTag _expectedTag;
    private Memory<byte> _receiveBuffer;
    private CancellationTokenRegistration _cancellation;
    private CancellationToken _cancellationToken;

    public InProcessMailbox(InProcessFabric fabric, int source)
    {
        _fabric = fabric;
        _source = source;
    }

    public void Post(MessageTag tag, ReadOnlySpan<byte> payload)
    {
        lock (_gate)
        {
            if (_receiverWaiting)
            {
                _receiverWaiting = false;
                _cancellation.Unregister();
                _pending.SetResult(Deliver(tag, payload, _expectedTag, _receiveBuffer.Span));
                _receiveBuffer = default;
                return;
            }

            byte[] copy = payload.Length == 0 ? [] : ArrayPool<byte>.Shared.Rent(payload.Length);
            payload.CopyTo(copy);
            _queue.Enqueue(new QueuedMessage(tag, copy, payload.Length));
        }
    }

    public ValueTask<ReceivedMessage> ReceiveAsync(MessageTag expectedTag, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_receiverWaiting)
            {
                return ValueTask.FromException<ReceivedMessage>(new InvalidOperationException(
                    $"A receive from rank {_source} is already outstanding; post one receive per source at a time."));
            }

            // An abort wins over queued data: the job is being torn down, so nothing more is delivered.
            if (_fabric.AbortFailure is { } abort)
            {
                return ValueTask.FromException<ReceivedMessage>(abort);
            }

            if (_queue.TryDequeue(out QueuedMessage queued))
            {
                ReceivedMessage received = Deliver(queued.Tag, queued.Payload.AsSpan(0, queued.Length), expectedTag, buffer.Span);
                if (queued.Payload.Length > 0)
                {
                    ArrayPool<byte>.Shared.Return(queued.Payload);
                }

                return ValueTask.FromResult(received);
            }

            Exception? failure = _fabric.FailureFor(_source);
            if (failure is not null)
            {
                return ValueTask.FromException<ReceivedMessage>(failure);
            }

            if (cancellationToken.IsCancellationRequested)
            {
                return ValueTask.FromCanceled<ReceivedMessage>(cancellationToken);
            }

            _pending.Reset();
            _receiverWaiting = true;
            _expectedTag = expectedTag;
            _receiveBuffer = buffer;
            _cancellationToken = cancellationToken;
            if (cancellationToken.CanBeCanceled)
            {
                _cancellation = cancellationToken.UnsafeRegister(static state => ((InProcessMailbox)state!).CancelWait(), this);
            }

            return new ValueTask<ReceivedMessage>(this, _pending.Version);
        }
    }

    /// <summary>Fails a waiting receive because the job aborted or the source closed.</summary>
    public void FailWaiter(Exception failure)
    {
        lock (_gate)
        {
            // A waiting receiver implies an empty queue, so no queued message is lost here.
            if (!_receiverWaiting)
            {
                return;
            }

            _receiverWaiting = false;
            _cancellation.Unregister();
            _receiveBuffer = default;
            _pending.SetException(failure);
        }
    }

    /// <summary>Returns pooled payloads of messages nobody will receive.</summary>
    public void Drain()
    {
        lock (_gate)
        {
            while (_queue.TryDequeue(out QueuedMessage queued))
            {
                if (queued.Payload.Length > 0)
                {
                    ArrayPool<byte>.Shared.Return(queued.Payload);
                }
            }
        }
    }

    private void CancelWait()
    {
        lock (_gate)
        {
            if (!_receiverWaiting)
            {
                return;
            }

            _receiverWaiting = false;
            _receiveBuffer = default;
            _pending.SetException(new OperationCanceledException(_cancellationToken));
        }
    }

    private static ReceivedMessage Deliver(MessageTag tag, ReadOnlySpan<byte> payload, MessageTag expectedTag, Span<byte> buffer)
    {
        bool deliver = tag == expectedTag && payload.Length == buffer.Length;
        if (deliver)
        {
            payload.CopyTo(buffer);
        }

        return new ReceivedMessage(tag, payload.Length, deliver);
    }

    ReceivedMessage IValueTaskSource<ReceivedMessage>.GetResult(short token) => _pending.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<ReceivedMessage>.GetStatus(short token) => _pending.GetStatus(token);

    void IValueTaskSource<ReceivedMessage>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _pending.OnCompleted(continuation, state, token, flags);

    private readonly record struct QueuedMessage(MessageTag Tag, byte[] Payload, int Length);
}
