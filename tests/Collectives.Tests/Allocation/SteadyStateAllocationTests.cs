namespace Collectives.Tests.Allocation;

/// <summary>
/// "Steady state allocates nothing": after warm-up, repeated blocking Allreduce calls on
/// in-process ranks allocate no managed memory on the calling threads.
/// </summary>
/// <remarks>
/// <see cref="GC.GetAllocatedBytesForCurrentThread"/> sees only the calling thread; continuations
/// that run on thread-pool threads are not counted by it. The test also writes the process-wide
/// figure (<see cref="GC.GetTotalAllocatedBytes(bool)"/>) per operation to the test output, without
/// asserting it, because other threads of the test host allocate too.
/// </remarks>
[NonParallelizable]
public class SteadyStateAllocationTests
{
    private const int WarmUpCalls = 1000;
    private const int MeasuredCalls = 2000;
    private const int Floats = 256; // 1 KiB

    [Test]
    public void Blocking_Allreduce_of_1_KiB_on_two_ranks_allocates_nothing_on_the_calling_threads_after_warm_up()
    {
        var allocated = new long[2];
        long processBefore = 0;
        long processAfter = 0;
        Communicator[] ranks = Communicator.CreateLocal(2, new CommunicatorOptions { Timeout = TimeSpan.FromSeconds(10) });
        using var phase = new Barrier(2);
        Thread[] threads = ranks.Select(communicator => new Thread(() =>
        {
            float[] buffer = new float[Floats];
            for (int i = 0; i < WarmUpCalls; i++)
            {
                communicator.Allreduce(buffer.AsSpan(), ReduceOp.Sum);
            }

            phase.SignalAndWait();
            if (communicator.Rank == 0)
            {
                processBefore = GC.GetTotalAllocatedBytes(precise: true);
            }

            phase.SignalAndWait();
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < MeasuredCalls; i++)
            {
                communicator.Allreduce(buffer.AsSpan(), ReduceOp.Sum);
            }

            allocated[communicator.Rank] = GC.GetAllocatedBytesForCurrentThread() - before;
            phase.SignalAndWait();
            if (communicator.Rank == 0)
            {
                processAfter = GC.GetTotalAllocatedBytes(precise: true);
            }
        })
        {
            IsBackground = true,
            Name = $"rank {communicator.Rank}",
        }).ToArray();

        try
        {
            foreach (Thread thread in threads)
            {
                thread.Start();
            }

            foreach (Thread thread in threads)
            {
                Assert.That(thread.Join(TimeSpan.FromMinutes(1)), Is.True, $"{thread.Name} did not finish its calls");
            }
        }
        finally
        {
            foreach (Communicator communicator in ranks)
            {
                communicator.Dispose();
            }
        }

        TestContext.Out.WriteLine(
            $"Over {MeasuredCalls} calls: rank threads allocated {allocated[0]} and {allocated[1]} bytes; "
            + $"the whole process {processAfter - processBefore} bytes ({(processAfter - processBefore) / (double)MeasuredCalls:0.##} per call).");
        Assert.That(allocated, Is.EqualTo(new long[] { 0, 0 }), "bytes allocated on rank 0's and rank 1's thread");
    }
}
