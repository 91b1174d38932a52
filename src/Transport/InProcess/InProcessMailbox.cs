using System.Buffers;
using System.Threading.Tasks.Sources;

namespace Collectives.Transport.InProcess;

/// <summary>
/// The queue of messages from one rank to another inside one process. When the receiver is
/// already waiting, the sender copies straight into the receiver's buffer; otherwise the payload
/// is copied once into a pooled array until the receive arrives.
/// </summary>
/// <remarks>
/// Steady state allocates nothing: payload arrays are reused by this mailbox (see
/// <see cref="RentPayload"/>), and a waiting receive is completed by queueing the mailbox itself
/// to the thread pool (<see cref="IThreadPoolWorkItem"/>) rather than by a core that runs its
/// continuation asynchronously, which would wrap every continuation in a new work item.
/// </remarks>
internal sealed class InProcessMailbox : IValueTaskSource<ReceivedMessage>, IThreadPoolWorkItem
{
    /// <summary>Payload arrays a mailbox keeps for its next queued messages.</summary>
    /// <remarks>
    /// A sender runs at most a message or two ahead of its receiver for small payloads, so a
    /// handful covers steady state; anything beyond goes back to <see cref="ArrayPool{T}.Shared"/>.
    /// </remarks>
    private const int SparePayloads = 4;

    /// <summary>
    /// Largest payload array kept, 64 KiB, so a mailbox pins at most 256 KiB and a job of p ranks
    /// (p^2 mailboxes, most of them idle) stays small. Bigger payloads use the shared pool, whose
    /// occasional miss is small beside copying that much.
    /// </summary>
    private const int MaximumSparePayloadLength = 64 * 1024;

    private readonly object _gate = new();
    private readonly Queue<QueuedMessage> _queue = new();
    private readonly byte[]?[] _spare = new byte[SparePayloads][];
    private readonly InProcessFabric _fabric;
    private readonly int _source;

    // Continuations run inline in Execute, on the pool thread that the completion was queued to:
    // never on the sender's thread, and never under _gate.
    private ManualResetValueTaskSourceCore<ReceivedMessage> _pending;
    private ReceivedMessage _outcome;
    private Exception? _failure;
    private bool _receiverWaiting;
    private bool _completing;
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
                ReceivedMessage received = Deliver(tag, payload, _expectedTag, _receiveBuffer.Span);
                _receiveBuffer = default;
                CompleteWaiter(received, null);
                return;
            }

            byte[] copy = RentPayload(payload.Length);
            payload.CopyTo(copy);
            _queue.Enqueue(new QueuedMessage(tag, copy, payload.Length));
        }
    }

    public ValueTask<ReceivedMessage> ReceiveAsync(MessageTag expectedTag, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_receiverWaiting || _completing)
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
                ReturnPayload(queued.Payload);
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
            CompleteWaiter(default, failure);
        }
    }

    /// <summary>Returns pooled payloads of messages nobody will receive.</summary>
    public void Drain()
    {
        lock (_gate)
        {
            while (_queue.TryDequeue(out QueuedMessage queued))
            {
                ReturnPayload(queued.Payload);
            }

            for (int slot = 0; slot < _spare.Length; slot++)
            {
                if (_spare[slot] is { } spare)
                {
                    ArrayPool<byte>.Shared.Return(spare);
                    _spare[slot] = null;
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
            CompleteWaiter(default, new OperationCanceledException(_cancellationToken));
        }
    }

    /// <summary>Hands the outcome of the waiting receive to the thread pool; call under <see cref="_gate"/>.</summary>
    private void CompleteWaiter(ReceivedMessage received, Exception? failure)
    {
        _outcome = received;
        _failure = failure;
        _completing = true;

        // The IThreadPoolWorkItem overload queues this object as is; no wrapper is allocated.
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    /// <summary>Completes the receive that <see cref="CompleteWaiter"/> finished, running its continuation here.</summary>
    void IThreadPoolWorkItem.Execute()
    {
        // _receiverWaiting is already false, so no sender, abort or cancellation touches the
        // outcome; the lock orders clearing _completing against a (misplaced) overlapping receive.
        // Nothing may touch this mailbox after SetResult/SetException: the continuation runs
        // inline and may post the next receive.
        Exception? failure;
        ReceivedMessage received;
        lock (_gate)
        {
            failure = _failure;
            received = _outcome;
            _failure = null;
            _completing = false;
        }

        if (failure is null)
        {
            _pending.SetResult(received);
        }
        else
        {
            _pending.SetException(failure);
        }
    }

    /// <summary>An array of at least <paramref name="length"/> bytes for a queued payload; call under <see cref="_gate"/>.</summary>
    /// <remarks>
    /// The receiver returns the array, usually on another thread; <see cref="ArrayPool{T}.Shared"/>
    /// caches per thread, so such a hand-off misses it often and allocates. Arrays kept here are
    /// reused whichever thread returns them.
    /// </remarks>
    private byte[] RentPayload(int length)
    {
        if (length == 0)
        {
            return [];
        }

        for (int slot = 0; slot < _spare.Length; slot++)
        {
            if (_spare[slot] is { } spare && spare.Length >= length)
            {
                _spare[slot] = null;
                return spare;
            }
        }

        return ArrayPool<byte>.Shared.Rent(length);
    }

    /// <summary>Keeps a payload array for reuse, preferring larger ones; call under <see cref="_gate"/>.</summary>
    private void ReturnPayload(byte[] payload)
    {
        if (payload.Length == 0)
        {
            return;
        }

        if (payload.Length > MaximumSparePayloadLength)
        {
            ArrayPool<byte>.Shared.Return(payload);
            return;
        }

        int smallest = -1;
        for (int slot = 0; slot < _spare.Length; slot++)
        {
            byte[]? spare = _spare[slot];
            if (spare is null)
            {
                _spare[slot] = payload;
                return;
            }

            if (smallest < 0 || spare.Length < _spare[smallest]!.Length)
            {
                smallest = slot;
            }
        }

        // All slots taken: keep the larger of the payload and the smallest spare, so the spares
        // grow to fit the messages that actually travel.
        if (_spare[smallest]!.Length < payload.Length)
        {
            (payload, _spare[smallest]) = (_spare[smallest]!, payload);
        }

        ArrayPool<byte>.Shared.Return(payload);
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
