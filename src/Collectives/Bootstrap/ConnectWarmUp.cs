using System.Runtime.InteropServices;
using Collectives.Reduction;

namespace Collectives.Bootstrap;

/// <summary>
/// The collectives every rank runs at the end of connecting, so that a job's first calls do not
/// pay for what every call path pays once: compiling the common code (selection, verification,
/// the transport's send and wait loops, the reduction kernels; at tier 0, as an application runs),
/// the scratch arrays calls rent (up to the two segments a large reduction's receives cycle
/// through, faulted in without a call: <see cref="Communicator.PrefaultScratch"/>), and the first
/// messages over fresh connections. Measured with <c>collbench &lt;collective&gt; --first-calls</c>
/// (docs/performance.md, "The first calls of a job").
/// </summary>
/// <remarks>
/// Each call is an ordinary collective under the automatic selection, so every rank runs the same
/// list (it depends only on the rank count) and every later call keeps its sequence number in step
/// across ranks; nothing is forced and nothing is remembered, so selection and results of later
/// calls are unchanged. A small and a large size of each of Allreduce, Reduce and Broadcast cross the
/// default table's size thresholds (16 KiB to 128 KiB), so both the latency and the bandwidth
/// algorithms are compiled. Float is what most jobs reduce; double's Sum kernel is a second
/// instantiation a job often needs too. Cancellation is checked between the blocking calls. Like
/// the connect barrier, the calls are a communicator's first in traces, metrics and its flight recorder.
/// <para>Two costs of a first large call are not paid by running a call once: the reduction loop's
/// on-stack replacement (a loop entered at tier 0 is recompiled in the middle of its first long run,
/// which only a run longer than any warm-up call's own combines reaches; see
/// <see cref="WarmLongKernelLoop"/>), and the paths a rank takes when it arrives before its peers and
/// has to park (in a call where every rank arrives together nobody waits long). The large Allreduce
/// therefore runs twice, the second time with the odd ranks arriving <see cref="SkewDelay"/> late.</para>
/// </remarks>
internal static class ConnectWarmUp
{
    /// <summary>Elements of the small calls: 8 bytes of floats, fewer than a vector, so the kernels' scalar paths are compiled too.</summary>
    internal const int SmallCount = 2;

    /// <summary>Elements of the large calls: 256 KiB of floats, above every default threshold between latency and bandwidth algorithms.</summary>
    internal const int LargeCount = 64 * 1024;

    /// <summary>How many collectives <see cref="RunAsync"/> runs (each consumes one call sequence number).</summary>
    internal const int CallCount = 10;

    /// <summary>
    /// Bytes of the one long kernel run: longer than the loop of any call's combine up to the default
    /// segment's halves, so the loop's on-stack replacement is compiled here and not in a program's
    /// first multi-MiB call (the runtime replaces a tier-0 loop after some ten thousand iterations).
    /// </summary>
    internal const int LongKernelBytes = 640 * 1024;

    /// <summary>How late the odd ranks start the second large Allreduce, so the even ranks wait as a rank ahead of its peers does.</summary>
    internal static readonly TimeSpan SkewDelay = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// Runs the warm-up calls on <paramref name="communicator"/>, bounded by <paramref name="timeout"/>
    /// (the connect timeout) and <paramref name="cancellationToken"/>.
    /// </summary>
    /// <exception cref="TimeoutException">The calls did not finish within <paramref name="timeout"/>.</exception>
    public static async Task RunAsync(Communicator communicator, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        CancellationToken token = deadline.Token;
        try
        {
            float[] floats = new float[LargeCount];
            float[] reduced = new float[LargeCount];

            // Most programs call the blocking forms, whose generic entry points are compiled per
            // element type apart from the asynchronous ones: small calls take both. They are the
            // calls of a connected job, bounded by the collective timeout like the barrier before them.
            await communicator.AllreduceAsync<float>(floats.AsMemory(0, SmallCount), reduced.AsMemory(0, SmallCount), ReduceOp.Sum, cancellationToken: token).ConfigureAwait(false);
            token.ThrowIfCancellationRequested();
            communicator.Allreduce<float>(floats.AsSpan(0, SmallCount), reduced.AsSpan(0, SmallCount), ReduceOp.Sum);
            communicator.Reduce<float>(floats.AsSpan(0, SmallCount), reduced.AsSpan(0, SmallCount), ReduceOp.Sum, root: 0);
            communicator.Broadcast(floats.AsSpan(0, SmallCount), root: 0);
            communicator.Allreduce(new double[SmallCount].AsSpan(), ReduceOp.Sum);
            communicator.Barrier();

            // The bandwidth algorithms share the entry points compiled above.
            await communicator.AllreduceAsync<float>(floats, reduced, ReduceOp.Sum, cancellationToken: token).ConfigureAwait(false);
            await communicator.ReduceAsync<float>(floats, reduced, ReduceOp.Sum, root: 0, cancellationToken: token).ConfigureAwait(false);
            await communicator.BroadcastAsync(floats.AsMemory(), root: 0, cancellationToken: token).ConfigureAwait(false);

            // A rank ahead of its peers spins, then parks; in the calls above everyone arrived together.
            if (communicator.Rank % 2 == 1)
            {
                await Task.Delay(SkewDelay, token).ConfigureAwait(false);
            }

            await communicator.AllreduceAsync<float>(floats, reduced, ReduceOp.Sum, cancellationToken: token).ConfigureAwait(false);
            WarmLongKernelLoop();

            // The calls above rented scratch of at most 256 KiB; a multi-MiB reduction receives
            // through two whole segments (2 MiB at the default segment size) and would fault a fresh
            // array in page by page, at about 40 µs a page on a VM: some 20 ms on a first call whose
            // later runs take a few ms. One array, no more than such a call rents; none alone.
            if (communicator.Size > 1)
            {
                communicator.PrefaultScratch();
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Rank {communicator.Rank} connected, but its warm-up collectives did not finish within the connect timeout ({timeout.TotalSeconds:0.###} s): a peer is stalled.");
        }
    }

    /// <summary>
    /// Runs the float Sum kernel once over <see cref="LongKernelBytes"/>, so its vector loop is
    /// replaced on the stack now. Native memory: a connect should not leave a large-object-heap
    /// array behind for the garbage collector.
    /// </summary>
    private static unsafe void WarmLongKernelLoop()
    {
        void* memory = NativeMemory.AllocZeroed(LongKernelBytes);
        try
        {
            var values = new Span<byte>(memory, LongKernelBytes);
            ReductionKernels.Get(ReduceOp.Sum, new DataType(ElementType.Float32, WithIndex: false)).Apply(values, values, values);
        }
        finally
        {
            NativeMemory.Free(memory);
        }
    }
}
