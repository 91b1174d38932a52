using System.Buffers;
using System.Runtime.CompilerServices;
using Collectives.Algorithms.SharedMemory;
using Collectives.Catalog;
using Collectives.Diagnostics;
using Collectives.Execution;
using Collectives.Execution.Pooling;
using Collectives.Offload;
using Collectives.Reduction;
using Collectives.PointToPoint;
using Collectives.Selection;
using Collectives.SubCommunicators;
using Collectives.Transport;
using Collectives.Transport.Hybrid;
using Collectives.Transport.InProcess;

namespace Collectives;

/// <summary>
/// A group of ranks that perform collective operations together: every rank calls the same
/// collectives in the same order with matching arguments. One call at a time per communicator.
/// </summary>
/// <remarks>
/// Any failure (a mismatched call, a timeout, a failed peer, a cancelled call) is reported on every
/// rank and leaves the communicator broken: later calls throw again, so dispose it and start anew.
/// </remarks>
public sealed partial class Communicator : IAsyncDisposable, IDisposable
{
    private readonly ITransport _transport;
    private readonly ResolvedOptions _options;
    private readonly CollectiveContext _context;
    private readonly IOffloadEngine? _offload;
    private readonly ThreadPoolHop _offloadHop = new();
    private readonly SharedMemoryContext? _shared;
    private readonly AlgorithmAvailability _availability;
    private readonly PlanCache _plans = new();
    private readonly CallTimer _timer = new();
    private readonly BlockingWaiter _waiter = new();
    private readonly PinnedMemory _send = new();
    private readonly PinnedMemory _receive = new();
    private readonly string? _jobId;
    private readonly WaitClock _waits = new();
    private readonly FlightRecorder _flights;
    private readonly FlightRecordDumps? _dumps;
    private readonly string[] _rankNames;
    private readonly string _transportName;
    private readonly BlockOffsets _blockOffsets;
    private readonly PointToPointChannel _pointToPoint;
    private readonly TransportOwner _owner;
    private readonly uint _id;
    private readonly BlockOffsets _sendOffsets;
    private ulong _sequence;
    private int _busy;
    private int _disposed;

    /// <param name="transport">The job's transport, or a sub-communicator's view of it.</param>
    /// <param name="options">Resolved settings.</param>
    /// <param name="jobId">The job's identity for spans, or null.</param>
    /// <param name="owner">For a sub-communicator, the owner of the job's transport it already holds; null for a communicator that owns <paramref name="transport"/>.</param>
    /// <param name="id">For a sub-communicator, its identity (<see cref="CollectiveSignature.CommunicatorId"/>).</param>
    private Communicator(ITransport transport, ResolvedOptions options, string? jobId, TransportOwner? owner = null, uint id = CommunicatorIdentity.World)
    {
        _owner = owner ?? new TransportOwner(transport);
        _id = id;
        _transport = transport;
        _options = options;
        _jobId = jobId;
        _offload = options.Offload?.Create(transport);
        _transportName = _offload is null ? transport.Name : $"{_offload.Name} (over {transport.Name})";
        _shared = transport.GetFeature<ISharedMemoryWindows>() is { } windows && windows.Size == transport.Size && windows.Rank == transport.Rank
            ? new SharedMemoryContext(windows, _waits)
            : null;
        _pointToPoint = new PointToPointChannel(transport, _owner.UnexpectedMessages, id);
        _context = new CollectiveContext(transport, options.SegmentSize, _waits, _pointToPoint);
        _rankNames = [.. Enumerable.Range(0, transport.Size).Select(rank => rank.ToString(System.Globalization.CultureInfo.InvariantCulture))];
        _availability = new AlgorithmAvailability(
            _shared is not null,
            _offload,
            transport is RankMappedTransport ? $"{transport.Name}, through a sub-communicator of a job not all on one shared-memory segment" : transport.Name,
            transport.GetFeature<HostLayout>());
        _flights = new FlightRecorder(options.FlightRecorderCalls);
        _dumps = FlightRecordDumps.Start(options.FlightRecords, _flights, _waits, transport.Rank, transport.Size, options.Logger);
        _blockOffsets = new BlockOffsets(transport.Size);
        _sendOffsets = new BlockOffsets(transport.Size);
    }

    /// <summary>This rank, in [0, <see cref="Size"/>).</summary>
    public int Rank => _transport.Rank;

    /// <summary>Number of ranks.</summary>
    public int Size => _transport.Size;

    /// <summary>
    /// Name of the transport underneath, for example <c>inprocess</c>, <c>shm</c> or <c>tcp</c>; with an
    /// offload engine, the engine's name and the transport its packets go over, for example
    /// <c>nic (over shm)</c>. (The metrics' <c>transport</c> tag is the transport's name alone; their
    /// <c>offload</c> tag names the engine.)
    /// </summary>
    public string TransportName => _transportName;

    /// <summary>
    /// The offload engine that runs the calls it supports (see <see cref="CommunicatorOptions.Offload"/>),
    /// or null when every call runs in software.
    /// </summary>
    public IOffloadEngine? OffloadEngine => _offload;

    /// <summary>The job's identity as spans carry it (<c>collectives.job_id</c>), or null when the communicator does not know it.</summary>
    internal string? JobId => _jobId;

    /// <summary>
    /// Faults in the scratch the halving and ring reductions rent at this communicator's segment
    /// size (<see cref="CollectiveContext.PrefaultCombiningScratch"/>), for <see cref="Bootstrap.ConnectWarmUp"/>; between calls only.
    /// </summary>
    internal void PrefaultScratch() => _context.PrefaultCombiningScratch();

    /// <summary>The scratch arrays this communicator's calls rent: what it keeps and what the calls asked for.</summary>
    internal ScratchCache Scratch => _context.Scratch;

    /// <summary>The timeout in force for each call (see <see cref="CommunicatorOptions.Timeout"/>).</summary>
    public TimeSpan Timeout => _options.Timeout;

    /// <summary>
    /// Creates <paramref name="size"/> ranks that live in this process and talk through memory:
    /// run each on its own task or thread. For tests, samples and single-process programs.
    /// </summary>
    /// <param name="size">Number of ranks, at least 1.</param>
    /// <param name="options">Settings shared by all ranks; null for the defaults.</param>
    /// <returns>The communicators, index = rank.</returns>
    public static Communicator[] CreateLocal(int size, CommunicatorOptions? options = null)
    {
        ResolvedOptions resolved = ResolvedOptions.Resolve(options, Environment.GetEnvironmentVariable);

        // One identity for the group, so a trace backend can tell its calls from another group's.
        string jobId = $"local-{Guid.NewGuid():N}";
        return [.. InProcessTransport.CreateGroup(size).Select(transport => new Communicator(transport, resolved, jobId))];
    }

    /// <summary>Creates the communicator of one rank over a transport; the communicator owns (and disposes) it.</summary>
    /// <param name="transport">A connected transport.</param>
    /// <param name="options">Settings; null for the defaults.</param>
    /// <returns>The communicator.</returns>
    public static Communicator Create(ITransport transport, CommunicatorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(transport);
        return new Communicator(transport, ResolvedOptions.Resolve(options, Environment.GetEnvironmentVariable), jobId: null);
    }

    /// <inheritdoc />
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _dumps?.Stop();

        // Closing the transport fails this rank's own pending operations, so a call still in flight
        // ends promptly; its waiter and timer are left to it rather than disposed under it.
        // (A transport that sub-communicators still use stays open until the last of them is disposed.)
        await _owner.ReleaseAsync().ConfigureAwait(false);
        if (_transport is RankMappedTransport view)
        {
            // A sub-communicator's own shared-memory segment, if it has one.
            if (view.Segment is { } segment)
            {
                _owner.RemoveSegment(segment);
            }

            await view.DisposeAsync().ConfigureAwait(false);
        }
        if (_offload is not null)
        {
            await _offload.DisposeAsync().ConfigureAwait(false);
        }

        if (Volatile.Read(ref _busy) == 0)
        {
            _waiter.Dispose();
            _timer.Dispose();
        }
    }

    /// <summary>
    /// Whether this communicator can run the algorithm whose enum value is <paramref name="algorithm"/>
    /// (windows need one segment, node-aware algorithms ranks across hosts, offload an engine that
    /// takes such a call); for test programs that run every algorithm the communicator offers.
    /// </summary>
    internal bool Offers(CollectiveKind kind, byte algorithm)
        => AlgorithmCatalog.Find(kind, algorithm) is { } row && _availability.Offers(row, new OffloadRequest(kind, ReduceOp.Sum, DataType.Of<float>(), 1, 0, 0));

    /// <summary>Validates a call on elements of <typeparamref name="T"/> and plans it; throws before anything is sent.</summary>
    private CollectiveCall Plan<T>(CollectiveKind kind, ReduceOp op, int count, int root, byte forced, BlockOffsets? blocks = null, long? selectionBytes = null)
        where T : unmanaged
    {
        return Plan(kind, op, DataTypeOf<T>(), count, root, forced, blocks, selectionBytes);
    }

    /// <summary>The library's type for <typeparamref name="T"/>, or a clear refusal.</summary>
    private static DataType DataTypeOf<T>()
        where T : unmanaged
        => DataType.Of<T>() ?? throw new NotSupportedException(
            $"Element type {typeof(T).Name} is not supported; use float, double, int, long, uint, ulong, Half, BFloat16, or ValueIndex<T> of one of the first six for MinLoc/MaxLoc.");

    /// <summary>
    /// Validates a call and makes every decision about it once: the algorithm (forced, or the
    /// first selection rule this communicator can run) and how the call is verified. Nothing
    /// downstream decides again. Throws before anything is sent. A call with per-rank
    /// <paramref name="blocks"/> (AllgatherV or ReduceScatterV, <paramref name="count"/> its total) is selected by its average block;
    /// one whose ranks' sizes differ (AlltoallV) by <paramref name="selectionBytes"/>, the same on every rank.
    /// </summary>
    private CollectiveCall Plan(CollectiveKind kind, ReduceOp op, DataType? dataType, int count, int root, byte forced, BlockOffsets? blocks = null, long? selectionBytes = null)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

        // A plan depends only on the shape and the communicator, unless the call has per-rank
        // counts or an offload engine decides which calls it takes: see PlanCache.
        var shape = new CallShape(kind, op, dataType, count, root, forced);
        bool cacheable = blocks is null && selectionBytes is null && _offload is null;
        if (cacheable && _plans.TryGet(shape, out CollectiveCall cached))
        {
            return cached;
        }

        CollectiveCall call = PlanAfresh(kind, op, dataType, count, root, forced, blocks, selectionBytes);
        if (cacheable)
        {
            _plans.Set(shape, call);
        }

        return call;
    }

    /// <summary>The work of <see cref="Plan(CollectiveKind, ReduceOp, DataType?, int, int, byte, BlockOffsets?, long?)"/> for a call it has no plan of.</summary>
    private CollectiveCall PlanAfresh(CollectiveKind kind, ReduceOp op, DataType? dataType, int count, int root, byte forced, BlockOffsets? blocks, long? selectionBytes)
    {
        ReductionKernel? kernel = kind is CollectiveKind.Reduce or CollectiveKind.Allreduce or CollectiveKind.ReduceScatter && dataType is { } reduced ? ReductionKernels.Get(op, reduced) : null;
        if (kind is CollectiveKind.Reduce or CollectiveKind.Broadcast or CollectiveKind.Gather or CollectiveKind.Scatter && (uint)root >= (uint)Size)
        {
            throw new ArgumentOutOfRangeException(nameof(root), root, $"Root must be a rank in [0, {Size}).");
        }

        int elementSize = dataType?.Size ?? 0;
        if ((long)count * elementSize > Array.MaxLength)
        {
            throw new ArgumentException($"A buffer of {count} x {dataType} exceeds the {Array.MaxLength} bytes one call can move; split it.", nameof(count));
        }

        var request = new OffloadRequest(kind, op, dataType, count, root, 0);
        CollectiveAlgorithm algorithm;
        if (forced == 0)
        {
            algorithm = _options.Selector.Select(kind, selectionBytes ?? (long)count * elementSize / (blocks is null ? 1 : Size), Size, _availability, request);
        }
        else
        {
            algorithm = AlgorithmCatalog.Find(kind, forced)
                ?? throw new ArgumentOutOfRangeException("algorithm", forced, $"{forced} is not a {AlgorithmCatalog.NameOf(kind)} algorithm.");
            _availability.RequireOffered(algorithm, request);
        }

        return new CollectiveCall(kind, op, dataType, kernel, count, root, algorithm, algorithm.VerificationFor(count, elementSize, Size, _availability.HostCount, _options.VerifyCalls, _availability.Windows)) { Blocks = blocks };
    }

    private static void RequireSameLength(int sendLength, int receiveLength, string receiveName)
    {
        if (sendLength != receiveLength)
        {
            throw new ArgumentException($"The receive buffer holds {receiveLength} elements but the send buffer {sendLength}; they must be equal.", receiveName);
        }
    }

    private void BeginCall()
    {
        if (Interlocked.Exchange(ref _busy, 1) != 0)
        {
            throw new InvalidOperationException("Another collective is in progress on this communicator; call collectives one at a time, in the same order on every rank.");
        }

        if (!_owner.TryEnterCall())
        {
            Volatile.Write(ref _busy, 0);
            throw new InvalidOperationException(
                "A collective is in progress on another communicator over this rank's transport (a parent, child or sibling from Split or Duplicate); "
                + "they share its message streams, so call them one at a time, in the same order on every rank.");
        }

        // Busy is set before the disposed check (and DisposeAsync sets disposed before it reads busy),
        // so a call and a dispose that race see at least one of the two flags.
        if (Volatile.Read(ref _disposed) != 0)
        {
            _owner.ExitCall();
            Volatile.Write(ref _busy, 0);
            throw new ObjectDisposedException(nameof(Communicator));
        }
    }

    private void EndCall()
    {
        _send.Detach();
        _receive.Detach();
        _owner.ExitCall();
        Volatile.Write(ref _busy, 0);
    }

    private unsafe void Attach(void* send, int sendBytes, void* receive, int receiveBytes)
    {
        _send.Attach(send, sendBytes);
        _receive.Attach(receive, receiveBytes);
    }

    /// <summary>Runs a call on the caller's spans, blocking; they are pinned for its duration. <paramref name="blockCounts"/>: the per-rank counts of an AllgatherV, ReduceScatterV, GatherV or ScatterV (an AlltoallV's receive counts, <paramref name="sendCounts"/> its send counts).</summary>
    private unsafe void RunBlocking<T>(in CollectiveCall call, ReadOnlySpan<T> send, Span<T> receive, ReadOnlySpan<int> blockCounts = default, ReadOnlySpan<int> sendCounts = default)
        where T : unmanaged
    {
        BeginCall();
        try
        {
            call.Blocks?.Set(blockCounts);
            call.SendBlocks?.Set(sendCounts);
            fixed (T* sendPointer = send)
            fixed (T* receivePointer = receive)
            {
                Attach(sendPointer, send.Length * sizeof(T), receivePointer, receive.Length * sizeof(T));
                ExecuteBlocking(call);
            }
        }
        finally
        {
            EndCall();
        }
    }

    /// <summary>Pins the caller's memory for the duration of an asynchronous call and runs it.</summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    private async ValueTask RunPinnedAsync<T>(CollectiveCall call, ReadOnlyMemory<T> send, Memory<T> receive, CancellationToken cancellationToken, ReadOnlyMemory<int> blockCounts = default, ReadOnlyMemory<int> sendCounts = default)
        where T : unmanaged
    {
        BeginCall();
        try
        {
            call.Blocks?.Set(blockCounts.Span);
            call.SendBlocks?.Set(sendCounts.Span);
            using MemoryHandle sendPin = send.Pin();
            using MemoryHandle receivePin = receive.Pin();
            AttachPinned(sendPin, send.Length * Unsafe.SizeOf<T>(), receivePin, receive.Length * Unsafe.SizeOf<T>());
            await ExecuteAsync(call, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // An offload engine completes calls on its own thread: the caller's code moves to the
            // pool. The call stays busy until the hop has run: the hop's one continuation slot is reused.
            if (call.Algorithm.Model == ExecutionModel.Offload)
            {
                await _offloadHop;
            }

            EndCall();
        }
    }

    private unsafe void AttachPinned(in MemoryHandle send, int sendBytes, in MemoryHandle receive, int receiveBytes)
        => Attach(send.Pointer, sendBytes, receive.Pointer, receiveBytes);
}
