using System.Buffers;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Collectives.Algorithms.SharedMemory;
using Collectives.Diagnostics;
using Collectives.Execution;
using Collectives.Execution.Pooling;
using Collectives.Offload;
using Collectives.Reduction;
using Collectives.Transport;
using Collectives.Transport.InProcess;
using Microsoft.Extensions.Logging;

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
    private readonly BlockingWaiter _waiter = new();
    private readonly PinnedMemory _send = new();
    private readonly PinnedMemory _receive = new();
    private CancellationTokenSource _timeout = new();
    private ulong _sequence;
    private int _busy;
    private int _disposed;

    private Communicator(ITransport transport, ResolvedOptions options)
    {
        _transport = transport;
        _options = options;
        _offload = options.Offload?.Create(transport);
        _shared = transport.GetFeature<ISharedMemoryWindows>() is { } windows && windows.Size == transport.Size && windows.Rank == transport.Rank
            ? new SharedMemoryContext(windows)
            : null;
        _context = new CollectiveContext(transport, options.SegmentSize, _shared);
    }

    /// <summary>This rank, in [0, <see cref="Size"/>).</summary>
    public int Rank => _transport.Rank;

    /// <summary>Number of ranks.</summary>
    public int Size => _transport.Size;

    /// <summary>Name of the transport underneath, for example <c>inprocess</c> or <c>tcp</c>.</summary>
    public string TransportName => _transport.Name;

    /// <summary>
    /// The offload engine that runs the calls it supports (see <see cref="CommunicatorOptions.Offload"/>),
    /// or null when every call runs in software.
    /// </summary>
    public IOffloadEngine? OffloadEngine => _offload;

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
        return [.. InProcessTransport.CreateGroup(size).Select(transport => new Communicator(transport, resolved))];
    }

    /// <summary>Creates the communicator of one rank over a transport; the communicator owns (and disposes) it.</summary>
    /// <param name="transport">A connected transport.</param>
    /// <param name="options">Settings; null for the defaults.</param>
    /// <returns>The communicator.</returns>
    public static Communicator Create(ITransport transport, CommunicatorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(transport);
        return new Communicator(transport, ResolvedOptions.Resolve(options, Environment.GetEnvironmentVariable));
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

        // Closing the transport fails this rank's own pending operations, so a call still in flight
        // ends promptly; its waiter and timer are left to it rather than disposed under it.
        await _transport.DisposeAsync().ConfigureAwait(false);
        if (_offload is not null)
        {
            await _offload.DisposeAsync().ConfigureAwait(false);
        }

        if (Volatile.Read(ref _busy) == 0)
        {
            _waiter.Dispose();
            _timeout.Dispose();
        }
    }

    /// <summary>Validates a call and picks its algorithm; throws before anything is sent.</summary>
    private CollectiveCall Plan<T>(CollectiveKind kind, ReduceOp op, int count, int root, byte algorithm)
        where T : unmanaged
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        DataType dataType = DataType.Of<T>() ?? throw new NotSupportedException(
            $"Element type {typeof(T).Name} is not supported; use float, double, int, long, uint, ulong, or ValueIndex<T> of one of them for MinLoc/MaxLoc.");
        ReductionKernel? kernel = kind is CollectiveKind.Reduce or CollectiveKind.Allreduce ? ReductionKernels.Get(op, dataType) : null;
        if (kind is CollectiveKind.Reduce or CollectiveKind.Broadcast && (uint)root >= (uint)Size)
        {
            throw new ArgumentOutOfRangeException(nameof(root), root, $"Root must be a rank in [0, {Size}).");
        }

        if ((long)count * dataType.Size > Array.MaxLength)
        {
            throw new ArgumentException($"A buffer of {count} x {dataType} exceeds the {Array.MaxLength} bytes one call can move; split it.", nameof(count));
        }

        int bytes = count * dataType.Size;
        byte chosen = algorithm != 0 ? algorithm : _options.Selector.Select(kind, bytes, Size, _shared is not null);
        RequireWindowsFor(kind, chosen);
        return new CollectiveCall(kind, op, dataType, kernel, count, root, chosen) { Offloaded = algorithm == 0 && CanOffload(kind, op, dataType, count, root) };
    }

    /// <summary>Whether the offload engine takes a call whose algorithm was left to the library.</summary>
    private bool CanOffload(CollectiveKind kind, ReduceOp op, DataType? dataType, int count, int root)
        => _offload is not null && _offload.Supports(new OffloadRequest(kind, op, dataType, count, root, 0));

    private static void RequireSameLength(int sendLength, int receiveLength, string receiveName)
    {
        if (sendLength != receiveLength)
        {
            throw new ArgumentException($"The receive buffer holds {receiveLength} elements but the send buffer {sendLength}; they must be equal.", receiveName);
        }
    }

    private static void RequireDefined<TEnum>(TEnum algorithm, string name)
        where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(algorithm))
        {
            throw new ArgumentOutOfRangeException(name, algorithm, $"Unknown {typeof(TEnum).Name}.");
        }
    }

    private void BeginCall()
    {
        if (Interlocked.Exchange(ref _busy, 1) != 0)
        {
            throw new InvalidOperationException("Another collective is in progress on this communicator; call collectives one at a time, in the same order on every rank.");
        }

        // Busy is set before the disposed check (and DisposeAsync sets disposed before it reads busy),
        // so a call and a dispose that race see at least one of the two flags.
        if (Volatile.Read(ref _disposed) != 0)
        {
            Volatile.Write(ref _busy, 0);
            throw new ObjectDisposedException(nameof(Communicator));
        }
    }

    private void EndCall()
    {
        _send.Detach();
        _receive.Detach();
        Volatile.Write(ref _busy, 0);
    }

    private unsafe void Attach(void* send, int sendBytes, void* receive, int receiveBytes)
    {
        _send.Attach(send, sendBytes);
        _receive.Attach(receive, receiveBytes);
    }

    /// <summary>Runs a call on buffers already attached to <see cref="_send"/> and <see cref="_receive"/>, blocking.</summary>
    private void Run(in CollectiveCall call)
    {
        if (call.InWindows)
        {
            RunInWindows(call, CancellationToken.None);
            return;
        }

        _waiter.Wait(ExecuteAsync(call, CancellationToken.None));
    }

    /// <summary>Pins the caller's memory for the duration of an asynchronous call and runs it.</summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    private async ValueTask RunPinnedAsync<T>(CollectiveCall call, ReadOnlyMemory<T> send, Memory<T> receive, CancellationToken cancellationToken)
        where T : unmanaged
    {
        BeginCall();
        try
        {
            using MemoryHandle sendPin = send.Pin();
            using MemoryHandle receivePin = receive.Pin();
            AttachPinned(sendPin, send.Length * Unsafe.SizeOf<T>(), receivePin, receive.Length * Unsafe.SizeOf<T>());
            if (call.InWindows)
            {
                RunInWindows(call, cancellationToken);
            }
            else
            {
                await ExecuteAsync(call, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            // The call stays busy until the hop has run: the hop's one continuation slot is reused.
            if (call.Offloaded)
            {
                await _offloadHop;
            }

            EndCall();
        }
    }

    private unsafe void AttachPinned(in MemoryHandle send, int sendBytes, in MemoryHandle receive, int receiveBytes)
        => Attach(send.Pointer, sendBytes, receive.Pointer, receiveBytes);

    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    private async ValueTask ExecuteAsync(CollectiveCall call, CancellationToken cancellationToken)
    {
        long start = Stopwatch.GetTimestamp();
        CollectiveSignature signature = NextSignature(call);
        using Activity? activity = StartActivity(call, signature);

        CancellationTokenRegistration userCancellation = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), _timeout)
            : default;
        _timeout.CancelAfter(_options.Timeout);
        _context.Begin(signature, call.Kernel, call.ElementSize, _options.Timeout, _timeout.Token, cancellationToken);
        bool failed = false;
        try
        {
            if (call.Offloaded)
            {
                await RunOffloadedAsync(call, signature, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await AlgorithmDispatch.RunAsync(_context, call, _send.Memory, _receive.Memory, _options.VerifyCalls).ConfigureAwait(false);
            }
        }
        catch (Exception exception)
        {
            failed = true;
            Exception failure = Fail(exception, signature, cancellationToken);
            activity?.SetStatus(ActivityStatusCode.Error, failure.Message);
            ExceptionDispatchInfo.Throw(failure);
        }
        finally
        {
            userCancellation.Dispose();
            if (!_timeout.TryReset())
            {
                _timeout.Dispose();
                _timeout = new CancellationTokenSource();
            }

            Record(call, start, failed);
        }
    }

    /// <summary>Hands the call to the offload engine; a timeout names the rank the engine was waiting for.</summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    private async ValueTask RunOffloadedAsync(CollectiveCall call, CollectiveSignature signature, CancellationToken cancellationToken)
    {
        var request = new OffloadRequest(call.Kind, call.Op, call.DataType, call.Count, call.Root, signature.Sequence);
        try
        {
            await _offload!.RunAsync(request, _send.Memory, _receive.Memory, _timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new CollectiveTimeoutException(Rank, _offload!.WaitingFor, _options.Timeout, signature);
        }
    }

    /// <summary>
    /// Turns whatever stopped a call into the exception this rank throws, and tells every other
    /// rank (by aborting the transport) unless the failure came from another rank's abort.
    /// </summary>
    private Exception Fail(Exception exception, CollectiveSignature signature, CancellationToken cancellationToken)
    {
        bool cancelled = exception is OperationCanceledException && cancellationToken.IsCancellationRequested;
        Exception failure = exception switch
        {
            PeerAbortedException aborted => AbortNotice.Decode(aborted),
            _ when cancelled => new OperationCanceledException($"Rank {Rank} cancelled {signature}; the communicator is broken on every rank.", exception, cancellationToken),
            _ => exception,
        };

        // Peers learn of a closed transport by themselves; everything else this rank noticed first.
        if (exception is not PeerAbortedException && Volatile.Read(ref _disposed) == 0)
        {
            Exception notice = cancelled ? new ProtocolException($"Rank {Rank} cancelled {signature}.") : failure;
            _transport.Abort(AbortNotice.Encode(notice));
        }

        _options.Logger.LogWarning(failure, "Rank {Rank} failed in {Signature}", Rank, signature);
        return failure;
    }
}
