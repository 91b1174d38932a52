using Collectives.Offload.Engine;
using Collectives.Offload.Tests.Support;
using Collectives.Transport;
using Collectives.Transport.SharedMemory;

namespace Collectives.Offload.Tests.Engine;

/// <summary>
/// Calls the NIC runs between calls that run in software, on ranks that share memory (what
/// <c>collrun --transport nic</c> gives on one host): a rank that finishes the NIC call early runs
/// ahead into the next software call while a slower rank is still in the previous one. That must
/// never look like a mismatch, and every result must still be right.
/// </summary>
[CancelAfter(120_000)]
public sealed class NicRunAheadTests
{
    private const int Count = 4;

    private static readonly CommunicatorOptions WithNic = new() { Offload = new NicOffload() };

    [TestCase(3, 1000)]
    [TestCase(5, 1000)]
    public void A_nic_reduce_between_software_calls_never_reads_as_a_mismatch(int size, int iterations)
    {
        var sums = new long[size];
        RunOverSharedMemory(size, communicator =>
        {
            int rank = communicator.Rank;
            int[] large = [.. Enumerable.Range(0, 4096).Select(i => rank + i)];
            int[] largeResult = new int[large.Length];
            int[] small = [rank + 1, rank + 2, rank + 3, rank + 4];
            int[] smallResult = new int[Count];
            int[] ring = new int[Count];
            for (int iteration = 0; iteration < iterations; iteration++)
            {
                int softwareRoot = iteration % size;
                int nicRoot = (iteration + 1) % size;
                communicator.Reduce(large, largeResult, ReduceOp.Sum, softwareRoot, ReduceAlgorithm.BinomialTree);
                if (rank == softwareRoot)
                {
                    Assert.That(largeResult[4095], Is.EqualTo(ExpectedSum(size, 4095)), $"software reduce {iteration} at root {softwareRoot}");
                }

                communicator.Reduce(small, smallResult, ReduceOp.Sum, nicRoot);
                if (rank == nicRoot)
                {
                    Assert.That(smallResult, Is.EqualTo(Enumerable.Range(1, Count).Select(i => ExpectedSum(size, i)).ToArray()), $"nic reduce {iteration} at root {nicRoot}");
                }

                Array.Fill(ring, iteration + rank);
                communicator.Allreduce(ring.AsSpan(), ReduceOp.Sum, AllreduceAlgorithm.Ring);
                sums[rank] += ring[0];
            }
        });

        long expected = Enumerable.Range(0, iterations).Sum(iteration => ((long)iteration * size) + ((long)size * (size - 1) / 2));
        Assert.That(sums, Has.All.EqualTo(expected));
    }

    [TestCase(3, 17)]
    [TestCase(4, 29)]
    [TestCase(5, 41)]
    public void A_random_mix_of_nic_and_software_calls_gives_every_rank_the_reference_results(int size, int seed)
    {
        const int calls = 400;
        var results = new long[size][];
        RunOverSharedMemory(size, communicator =>
        {
            // Every rank draws the same sequence of calls from the same seed.
            var random = new Random(seed);
            int rank = communicator.Rank;
            var seen = new List<long>(calls);
            long[] buffer = new long[Count];
            long[] result = new long[Count];
            for (int call = 0; call < calls; call++)
            {
                int root = random.Next(size);
                int shape = random.Next(6);
                Array.Fill(buffer, (call * 10L) + rank);
                switch (shape)
                {
                    case 0: // the NIC takes small Auto reduces
                        communicator.Reduce(buffer, result, ReduceOp.Sum, root);
                        seen.Add(rank == root ? result[0] : -1);
                        break;
                    case 1: // and small Auto allreduces
                        communicator.Allreduce(buffer.AsSpan(), ReduceOp.Max);
                        seen.Add(buffer[0]);
                        break;
                    case 2:
                        communicator.Allreduce(buffer.AsSpan(), ReduceOp.Sum, AllreduceAlgorithm.RecursiveDoubling);
                        seen.Add(buffer[0]);
                        break;
                    case 3:
                        communicator.Reduce(buffer, result, ReduceOp.Sum, root, ReduceAlgorithm.BinomialTree);
                        seen.Add(rank == root ? result[0] : -1);
                        break;
                    case 4:
                        communicator.Broadcast(buffer.AsSpan(), root, BroadcastAlgorithm.BinomialTree);
                        seen.Add(buffer[0]);
                        break;
                    default:
                        communicator.Barrier();
                        seen.Add(0);
                        break;
                }
            }

            results[rank] = [.. seen];
        });

        long[][] expected = [.. Enumerable.Range(0, size).Select(rank => ReferenceOfRandomMix(size, seed, calls, rank))];
        Assert.That(results, Is.EqualTo(expected));
    }

    /// <summary>What rank <paramref name="rank"/> should see in the random mix, computed sequentially.</summary>
    private static long[] ReferenceOfRandomMix(int size, int seed, int calls, int rank)
    {
        var random = new Random(seed);
        var expected = new long[calls];
        for (int call = 0; call < calls; call++)
        {
            int root = random.Next(size);
            int shape = random.Next(6);
            long sum = Enumerable.Range(0, size).Sum(r => (call * 10L) + r);
            expected[call] = shape switch
            {
                0 or 3 => rank == root ? sum : -1,
                1 => (call * 10L) + size - 1,
                2 => sum,
                4 => (call * 10L) + root,
                _ => 0,
            };
        }

        return expected;
    }

    private static int ExpectedSum(int size, int offset) => Enumerable.Range(0, size).Sum(rank => rank + offset);

    /// <summary>
    /// Runs <paramref name="body"/> on <paramref name="size"/> in-process ranks that map one real
    /// /dev/shm segment, each with the NIC, and checks no segment is left behind.
    /// </summary>
    private static void RunOverSharedMemory(int size, Action<Communicator> body)
    {
        string jobId = $"runahead-{Guid.NewGuid():N}";
        var store = new InMemoryRendezvousStore();
        var credentials = Collectives.Transport.Security.JobCredentials.Generate(jobId);
        SharedMemoryTransport[] transports = Task.WhenAll(Enumerable.Range(0, size)
                .Select(rank => SharedMemoryTransport.ConnectAsync(rank, size, credentials, store, new SharedMemoryTransportOptions(), CancellationToken.None)))
            .GetAwaiter().GetResult();
        Communicator[] communicators = [.. transports.Select(transport => Communicator.Create(transport, WithNic))];
        try
        {
            Ranks.Run(communicators, body);
        }
        finally
        {
            foreach (Communicator communicator in communicators)
            {
                communicator.Dispose();
            }
        }

        Assert.That(Directory.GetFiles("/dev/shm", SharedMemoryTransport.SegmentNamePrefix(jobId) + "*"), Is.Empty, "segments left in /dev/shm");
    }
}
