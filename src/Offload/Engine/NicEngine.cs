using System.Threading.Tasks.Sources;
using Collectives.Offload.Building;
using Collectives.Offload.Descriptors;
using Collectives.Offload.Nic;
using Collectives.Reduction;
using Collectives.Transport;

namespace Collectives.Offload.Engine;

/// <summary>
/// The simulated offload NIC of one rank: a <see cref="NicProcessor"/> run on its own thread, which
/// moves the processor's packets over the rank's transport and writes completions into the host's
/// buffer. The host builds the call's descriptors (<see cref="DescriptorBuilder"/>), posts them and
/// is free until the completion; it never touches a packet.
/// </summary>
public sealed partial class NicEngine : IOffloadEngine, IValueTaskSource
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

    private void Arrived(InboundChannel channel) => HandToThread(_arrivals, channel);

    private void Sent(OutboundChannel channel) => HandToThread(_sent, channel);

    /// <summary>
    /// On the transport's completion: queues a channel whose receive or send finished for the NIC
    /// thread and wakes it, unless the engine is stopping (then the event may be disposed).
    /// </summary>
    private void HandToThread<TChannel>(Queue<TChannel> finished, TChannel channel)
    {
        lock (_gate)
        {
            if (_stopping)
            {
                return;
            }

            finished.Enqueue(channel);
            _wake.Set();
        }
    }
}
