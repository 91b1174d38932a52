using System.Runtime.CompilerServices;
using Collectives.Execution;
using Collectives.Execution.Pooling;

namespace Collectives.Algorithms;

/// <summary>
/// Scattered alltoall (MPICH's alltoall_intra_scattered, Open MPI's basic_linear with a bound):
/// every rank starts its exchanges with up to <see cref="Window"/> peers at once, in the pairwise
/// order (send to rank + s, receive from rank - s), and starts the next batch when these are done.
/// <para>
/// Cost: the same (p-1) n beta as the pairwise exchange, but the pairs' transfers overlap instead of
/// waiting for one another: a rank's shared-memory peers and its peers on other hosts are served at
/// once, and a slow pair no longer holds up the rest. Large blocks across hosts, where pairwise
/// steps alternate between the two transports.
/// </para>
/// <para>
/// As in the pairwise exchange, every rank receives a checked, counted message (empty ones too)
/// from every other rank directly, so the algorithm verifies the call itself (AlltoallV included).
/// </para>
/// <para>
/// Unlike the other algorithms it allocates per call (its batch of exchanges and their tasks): it is
/// forced only, for large blocks, where that is noise.
/// </para>
/// </summary>
internal static class ScatteredAlltoall
{
    /// <summary>
    /// Pairs in flight at once: enough to overlap every peer of the jobs this library is measured
    /// with, few enough that a large job does not open hundreds of transfers (MPICH's throttle is 32
    /// requests, 16 pairs).
    /// </summary>
    public const int Window = 16;

    /// <summary>Sends block j of <paramref name="send"/> to rank j and receives rank i's block for this rank into block i of <paramref name="receive"/>.</summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    public static async ValueTask RunAsync(CollectiveContext context, BlockLayout sendBlocks, ReadOnlyMemory<byte> send, BlockLayout receiveBlocks, Memory<byte> receive)
    {
        int rank = context.Rank;
        int size = context.Size;
        RotatedBlocks.CopyUnlessSame(send.Span[sendBlocks.Of(rank)], receive.Span[receiveBlocks.Of(rank)]);
        ValueTask[] batch = new ValueTask[Math.Min(Window, size - 1)];
        for (int first = 1; first < size; first += batch.Length)
        {
            int count = Math.Min(batch.Length, size - first);
            for (int i = 0; i < count; i++)
            {
                int step = first + i;
                int destination = (rank + step) % size;
                int source = (rank - step + size) % size;
                batch[i] = context.SendReceiveCountedAsync(destination, send[sendBlocks.Of(destination)], source, receive[receiveBlocks.Of(source)], step);
            }

            await AwaitAllFailingFastAsync(batch, count).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Waits for every exchange of the batch, or throws the first failure at once: the call must
    /// fail (and abort the communicator, which ends the other exchanges) rather than wait out the
    /// timeout for pairs whose peers will never send.
    /// </summary>
    private static async ValueTask AwaitAllFailingFastAsync(ValueTask[] batch, int count)
    {
        var pending = new List<Task>(count);
        for (int i = 0; i < count; i++)
        {
            pending.Add(batch[i].AsTask());
        }

        while (pending.Count > 0)
        {
            Task done = await Task.WhenAny(pending).ConfigureAwait(false);
            pending.Remove(done);
            if (!done.IsCompletedSuccessfully)
            {
                // The abort that follows ends the others; their failures only repeat this one.
                foreach (Task rest in pending)
                {
                    _ = rest.ContinueWith(static task => _ = task.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                }

                await done.ConfigureAwait(false);
            }
        }
    }
}
