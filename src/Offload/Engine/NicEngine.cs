using System.Threading.Tasks.Sources;
using Collectives.Offload.Building;
using Collectives.Offload.Descriptors;
using Collectives.Offload.Nic;
using Collectives.Offloading;
using Collectives.Reduction;
using Collectives.Transport;

namespace Collectives.Offload.Engine;

/// <summary>
/// The simulated offload NIC of one rank: a <see cref="NicProcessor"/> run on its own thread, which
/// moves the processor's packets over the rank's transport and writes completions into the host's
/// buffer. The host builds the call's descriptors (<see cref="DescriptorBuilder"/>), posts them and
/// is free until the completion; it never touches a packet.
/// </summary>
public sealed class NicEngine : IOffloadEngine, IValueTaskSource
{
    private readonly ITransport _transport;
    private readonly NicOffload _settings;
    private readonly DescriptorBuilder _builder;
    private readonly NicProcessor _nic;
    private readonly InboundChannel?[] _inbound;
    private readonly OutboundChannel?[] _outbound;
    private readonly List<Descriptor> _descriptors = [];
    private readonly List<InboundStream> _streams = [];
    private readonly List<InboundChannel> _active = [];
    private readonly Queue<InboundChannel> _arrivals = new();
    private readonly Queue<OutboundChannel> _sent = new();
    private readonly Queue<InboundChannel> _ready = new();
    private readonly Queue<OutboundChannel> _finished = new();
    private readonly object _gate = new();
    // Spinning a little before parking saves a thread wake-up (tens of µs here) per packet while a
    // call runs; a hardware NIC would not sleep at all.
    private readonly ManualResetEventSlim _wake = new(false, spinCount: 400);
    private readonly Thread _thread;
    private ManualResetValueTaskSourceCore<bool> _completion;
    private CancellationTokenRegistration _cancellation;
    private CancellationToken _callToken;
    private OffloadRequest _request;
    private Memory<byte> _result;
    private MessageTag _tag;
    private Exception? _failure;
    private AluErrors _errors;
    private bool _callPosted;
    private bool _callActive;
    private bool _cancelRequested;
    private bool _stopping;
    private long _processorTicks;

    internal NicEngine(ITransport transport, NicOffload settings)
    {
        _transport = transport;
        _settings = settings;
        _builder = new DescriptorBuilder(transport.Size, settings.Shape);
        _nic = new NicProcessor(transport.Rank, Math.Max(NicProcessor.DefaultReceiveQueueDepth, _builder.MaxFanIn));
        _inbound = new InboundChannel?[transport.Size];
        _outbound = new OutboundChannel?[transport.Size];
        _thread = new Thread(Run) { IsBackground = true, Name = $"NIC of rank {transport.Rank}" };
        _thread.Start();
    }

    /// <inheritdoc />
    public string Name => "nic";

    /// <inheritdoc />
    public int WaitingFor { get; private set; } = -1;

    /// <summary>The error vector of the last completed call: what the ALU saw anywhere in the tree (the same on every rank).</summary>
    public AluErrors LastErrors { get; private set; }

    /// <summary>CPU time the NIC's thread has used so far (Linux; zero elsewhere): work the host did not do.</summary>
    public TimeSpan ProcessorTime => TimeSpan.FromTicks(Interlocked.Read(ref _processorTicks));

    /// <inheritdoc />
    public bool Supports(in OffloadRequest request) => request.Kind switch
    {
        CollectiveKind.Barrier => true,
        CollectiveKind.Broadcast => request.Bytes % sizeof(uint) == 0 && request.Bytes <= _settings.MaxPayloadBytes,
        CollectiveKind.Reduce or CollectiveKind.Allreduce => request.DataType is { } type && AluOperations.Supports(request.Op, type)
            && request.Bytes <= _settings.MaxPayloadBytes,
        _ => false,
    };

    /// <inheritdoc />
    public ValueTask RunAsync(OffloadRequest request, ReadOnlyMemory<byte> send, Memory<byte> receive, CancellationToken cancellationToken)
    {
        if (!Supports(request))
        {
            throw new NotSupportedException($"The NIC does not run {request}.");
        }

        // The host's share of the work: build the descriptors (they copy the data) and hand them over.
        _descriptors.Clear();
        _streams.Clear();
        _builder.Build(_transport.Rank, request, 0, send.Span, _descriptors);
        _builder.AddInbound(_transport.Rank, request, _streams);
        _request = request;
        _result = receive;
        _tag = NicPacketTag.For(request);
        _callToken = cancellationToken;
        _failure = null;
        _completion.Reset();
        lock (_gate)
        {
            // A cancellation of the previous call that lost the race with its completion must not
            // reach this one; this call's own token may still set the flag as it registers.
            _cancelRequested = false;
        }

        _cancellation = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static state => ((NicEngine)state!).RequestCancel(), this)
            : default;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stopping, this);
            _callPosted = true;
            _wake.Set();
        }

        return new ValueTask(this, _completion.Version);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        // Transport callbacks that come later see _stopping under the gate and never touch the event.
        lock (_gate)
        {
            _stopping = true;
            _wake.Set();
        }

        _thread.Join();
        _wake.Dispose();
        return ValueTask.CompletedTask;
    }

    void IValueTaskSource.GetResult(short token) => _completion.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _completion.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _completion.OnCompleted(continuation, state, token, flags);

    /// <summary>
    /// Completes the host's task here, on the NIC's thread: a blocked host wakes at once, and the
    /// communicator moves asynchronous callers' continuations to the thread pool.
    /// </summary>
    private void Complete()
    {
        _cancellation.Dispose();
        if (_failure is { } failure)
        {
            _completion.SetException(failure);
        }
        else
        {
            _completion.SetResult(true);
        }
    }

    private void RequestCancel()
    {
        lock (_gate)
        {
            if (_stopping)
            {
                return;
            }

            _cancelRequested = true;
            _wake.Set();
        }
    }

    private void Arrived(InboundChannel channel)
    {
        lock (_gate)
        {
            if (_stopping)
            {
                return;
            }

            _arrivals.Enqueue(channel);
            _wake.Set();
        }
    }

    private void Sent(OutboundChannel channel)
    {
        lock (_gate)
        {
            if (_stopping)
            {
                return;
            }

            _sent.Enqueue(channel);
            _wake.Set();
        }
    }

    /// <summary>The NIC's thread: waits for host posts, arrivals and finished sends, and runs the processor on them.</summary>
    private void Run()
    {
        while (true)
        {
            _wake.Wait();
            _wake.Reset();
            bool posted;
            bool cancel;
            lock (_gate)
            {
                if (_stopping)
                {
                    return;
                }

                posted = _callPosted;
                cancel = _cancelRequested;
                _callPosted = false;
                _cancelRequested = false;
                while (_arrivals.TryDequeue(out InboundChannel? channel))
                {
                    _ready.Enqueue(channel);
                }

                while (_sent.TryDequeue(out OutboundChannel? channel))
                {
                    _finished.Enqueue(channel);
                }
            }

            while (_finished.TryDequeue(out OutboundChannel? channel))
            {
                FinishSend(channel);
            }

            try
            {
                if (posted)
                {
                    StartCall();
                }

                while (_ready.TryDequeue(out InboundChannel? channel))
                {
                    Receive(channel);
                }

                if (cancel && _callActive)
                {
                    throw new OperationCanceledException(_callToken);
                }

                Pump();
            }
            catch (Exception exception)
            {
                Fail(exception);
            }

            Interlocked.Exchange(ref _processorTicks, ThreadCpuClock.Now().Ticks);
        }
    }

    private void StartCall()
    {
        _callActive = true;
        _errors = AluErrors.None;
        WaitingFor = -1;
        _active.Clear();
        foreach (Descriptor descriptor in _descriptors)
        {
            _nic.Post(descriptor);
        }

        // Receives are posted by Pump, after what the posts fired has been sent: a transport may
        // spin inside a receive call, and a packet of ours may be what the peer is waiting for.
        foreach (InboundStream stream in _streams)
        {
            InboundChannel channel = _inbound[stream.Rank] ??= new InboundChannel(stream.Rank, Arrived);
            channel.Remaining = stream.Packets;
            _active.Add(channel);
        }
    }

    private void PostReceive(InboundChannel channel)
    {
        channel.Receiving = true;
        channel.Pending = _transport.ReceiveAsync(channel.Peer, _tag, channel.Buffer, _callToken);
        if (channel.Pending.IsCompleted)
        {
            _ready.Enqueue(channel);
        }
        else
        {
            channel.Pending.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(channel.OnCompleted);
        }
    }

    /// <summary>Takes a finished receive: decodes the packet and offers it to the receive queue.</summary>
    private void Receive(InboundChannel channel)
    {
        channel.Receiving = false;
        ReceivedMessage message = channel.Pending.GetAwaiter().GetResult();
        channel.Pending = default;
        if (!_callActive)
        {
            return;
        }

        if (!message.Delivered)
        {
            throw new ProtocolException($"Rank {channel.Peer} sent rank {_transport.Rank} a message that is not a NIC packet of call {_request.Sequence} ({_request.Kind}); the ranks made different calls.");
        }

        channel.Held = Descriptor.Decode(channel.Buffer);
        channel.HasHeld = true;
    }

    /// <summary>Delivers held packets the queue can take, sends what fired, writes completions, until nothing moves.</summary>
    private void Pump()
    {
        if (!_callActive)
        {
            return;
        }

        bool moved = true;
        while (moved)
        {
            moved = false;
            foreach (InboundChannel channel in _active)
            {
                if (channel.HasHeld && _nic.CanAccept(channel.Held))
                {
                    channel.HasHeld = false;
                    channel.Remaining--;
                    _nic.Deliver(channel.Held);
                    moved = true;
                }
            }

            while (_nic.TryTakeOutgoing(out Descriptor packet))
            {
                Send(packet);
            }

            while (_nic.TryTakeCompletion(out Descriptor put))
            {
                DescriptorBuilder.WriteCompletion(_request, put, _result.Span);
                _errors |= put.Errors;
            }

            while (_ready.TryDequeue(out InboundChannel? ready))
            {
                Receive(ready);
                moved = true;
            }

            // One receive at a time, children before the parent (the order packets are needed in),
            // and only when nothing else can move: a transport may spin inside the call.
            if (!moved && PostNextReceive())
            {
                moved = true;
            }
        }

        if (IsCallDone())
        {
            _callActive = false;
            LastErrors = _errors;
            Complete();
        }
    }

    /// <summary>Posts the next receive a channel needs; returns whether one was posted.</summary>
    private bool PostNextReceive()
    {
        foreach (InboundChannel channel in _active)
        {
            if (channel.Remaining > 0 && !channel.Receiving && !channel.HasHeld)
            {
                PostReceive(channel);
                return true;
            }
        }

        return false;
    }

    private bool IsCallDone()
    {
        if (_nic.FiredCount != _nic.PostedCount)
        {
            return false;
        }

        foreach (InboundChannel channel in _active)
        {
            if (channel.Remaining > 0 || channel.Receiving || channel.HasHeld)
            {
                return false;
            }
        }

        foreach (OutboundChannel? channel in _outbound)
        {
            if (channel is { Sending: true })
            {
                return false;
            }
        }

        return true;
    }

    private void Send(in Descriptor packet)
    {
        int peer = packet.Destination;
        OutboundChannel channel = _outbound[peer] ??= new OutboundChannel(peer, Sent);
        if (channel.Sending)
        {
            channel.Backlog.Enqueue(packet);
            return;
        }

        StartSend(channel, packet);
    }

    private void StartSend(OutboundChannel channel, Descriptor packet)
    {
        while (true)
        {
            packet.Encode(channel.Buffer);
            ValueTask pending = _transport.SendAsync(channel.Peer, _tag, channel.Buffer, _callToken);
            if (!pending.IsCompleted)
            {
                channel.Sending = true;
                channel.Pending = pending;
                pending.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(channel.OnCompleted);
                return;
            }

            pending.GetAwaiter().GetResult();
            if (!channel.Backlog.TryDequeue(out packet))
            {
                return;
            }
        }
    }

    /// <summary>A send finished: the next waiting packet for that peer goes out.</summary>
    private void FinishSend(OutboundChannel channel)
    {
        channel.Sending = false;
        ValueTask finished = channel.Pending;
        channel.Pending = default;
        try
        {
            finished.GetAwaiter().GetResult();
            if (_callActive && channel.Backlog.TryDequeue(out Descriptor next))
            {
                StartSend(channel, next);
            }
        }
        catch (Exception exception) when (_callActive)
        {
            Fail(exception);
        }
        catch (Exception)
        {
            // The call already failed; this send's failure adds nothing.
        }
    }

    private void Fail(Exception exception)
    {
        if (!_callActive)
        {
            return;
        }

        _callActive = false;
        foreach (InboundChannel channel in _active)
        {
            if (channel.Remaining > 0)
            {
                WaitingFor = channel.Peer;
                break;
            }
        }

        _failure = exception;
        Complete();
    }
}
