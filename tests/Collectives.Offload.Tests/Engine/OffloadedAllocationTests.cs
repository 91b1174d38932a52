using Collectives.Offload.Engine;
using Collectives.Offload.Tests.Support;

namespace Collectives.Offload.Tests.Engine;

/// <summary>
/// Steady-state offloaded calls allocate nothing on the calling thread (as the software paths'
/// test in Collectives.Tests checks). The whole-process figure, which includes the NIC threads, is
/// reported, not asserted: the runtime allocates a few bytes of its own there now and then.
/// </summary>
public sealed class OffloadedAllocationTests
{
    private const int WarmUpCalls = 300;
    private const int CallsPerWindow = 200;
    private const int Windows = 5;

    [TestCase(12)]
    [TestCase(100)]
    public void Blocking_offloaded_allreduce_allocates_nothing_on_each_ranks_thread(int floats)
    {
        const int size = 4;
        var fewest = new long[size];
        var process = new long[Windows];
        Communicator[] communicators = Communicator.CreateLocal(size, new CommunicatorOptions { Offload = new NicOffload() });
        try
        {
            Ranks.Run(communicators, comm =>
            {
                var buffer = new float[floats];
                for (int call = 0; call < WarmUpCalls; call++)
                {
                    comm.Allreduce(buffer.AsSpan(), ReduceOp.Sum);
                }

                long[] mine = new long[Windows];
                for (int window = 0; window < Windows; window++)
                {
                    comm.Barrier();
                    long processBefore = comm.Rank == 0 ? GC.GetTotalAllocatedBytes(precise: true) : 0;
                    long before = GC.GetAllocatedBytesForCurrentThread();
                    for (int call = 0; call < CallsPerWindow; call++)
                    {
                        comm.Allreduce(buffer.AsSpan(), ReduceOp.Sum);
                    }

                    mine[window] = GC.GetAllocatedBytesForCurrentThread() - before;
                    comm.Barrier();
                    if (comm.Rank == 0)
                    {
                        process[window] = GC.GetTotalAllocatedBytes(precise: true) - processBefore;
                    }
                }

                fewest[comm.Rank] = mine.Min();
            });
        }
        finally
        {
            foreach (Communicator communicator in communicators)
            {
                communicator.Dispose();
            }
        }

        TestContext.Out.WriteLine($"whole process, bytes per window of {CallsPerWindow} calls on {size} ranks: {string.Join(", ", process)}");
        Assert.That(fewest, Has.All.Zero);
    }
}
