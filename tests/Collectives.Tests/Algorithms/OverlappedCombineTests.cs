using Collectives.Execution;
using Collectives.Tests.Support;

namespace Collectives.Tests.Algorithms;

/// <summary>
/// The algorithms that combine each received segment on the thread pool while the next one
/// arrives (<see cref="CollectiveContext.OverlapsCombining"/>) must give the bits of the plain
/// receive-then-combine loop, on every rank, at every rank count: each case runs both ways (the
/// test hook forces the choice, which otherwise depends on the processor count) and compares.
/// Counts span many 100-byte segments and end in a partial one (4099 floats).
/// </summary>
[Category("Tcp")]
public class OverlappedCombineTests
{
    private static readonly int[] RankCounts = [2, 3, 4, 5, 8];

    private static readonly int[] Counts = [0, 7, 1000, 4099];

    private static readonly TestTransport[] Transports = [TestTransport.InProcess, TestTransport.Tcp];

    private delegate void Call(Communicator comm, float[] data);

    [Test]
    public void Binomial_reduce_gives_the_same_bits_overlapped(
        [ValueSource(nameof(RankCounts))] int size, [ValueSource(nameof(Counts))] int count, [ValueSource(nameof(Transports))] TestTransport transport)
        => AssertSameBits(size, count, transport, static (comm, data) => comm.Reduce(data.AsSpan(), ReduceOp.Sum, comm.Size - 1, ReduceAlgorithm.BinomialTree));

    [Test]
    public void Rabenseifner_reduce_gives_the_same_bits_overlapped(
        [ValueSource(nameof(RankCounts))] int size, [ValueSource(nameof(Counts))] int count, [ValueSource(nameof(Transports))] TestTransport transport)
        => AssertSameBits(size, count, transport, static (comm, data) => comm.Reduce(data.AsSpan(), ReduceOp.Sum, 0, ReduceAlgorithm.Rabenseifner));

    [Test]
    public void Ring_allreduce_gives_the_same_bits_overlapped(
        [ValueSource(nameof(RankCounts))] int size, [ValueSource(nameof(Counts))] int count, [ValueSource(nameof(Transports))] TestTransport transport)
        => AssertSameBits(size, count, transport, static (comm, data) => comm.Allreduce(data.AsSpan(), ReduceOp.Sum, AllreduceAlgorithm.Ring));

    [Test]
    public void Rabenseifner_allreduce_gives_the_same_bits_overlapped(
        [ValueSource(nameof(RankCounts))] int size, [ValueSource(nameof(Counts))] int count, [ValueSource(nameof(Transports))] TestTransport transport)
        => AssertSameBits(size, count, transport, static (comm, data) => comm.Allreduce(data.AsSpan(), ReduceOp.Sum, AllreduceAlgorithm.Rabenseifner));

    [Test]
    public void Recursive_halving_reduce_scatter_gives_the_same_bits_overlapped(
        [ValueSource(nameof(RankCounts))] int size, [ValueSource(nameof(Counts))] int count, [ValueSource(nameof(Transports))] TestTransport transport)
        => AssertSameBits(size, count, transport, static (comm, data) =>
        {
            int block = data.Length / comm.Size;
            float[] received = new float[block];
            comm.ReduceScatter<float>(data.AsSpan(0, block * comm.Size), received, ReduceOp.Sum, ReduceScatterAlgorithm.RecursiveHalving);
            Array.Clear(data);
            received.CopyTo(data, 0);
        });

    [Test]
    public void Binomial_reduce_sums_ints_exactly_overlapped([ValueSource(nameof(RankCounts))] int size)
    {
        const int count = 4099;
        int[] atRoot = [];
        CollectiveContext.OverlapOverride.Value = true;
        try
        {
            LocalJob.Run(size, AlgorithmCases.Options, comm =>
            {
                int[] data = AlgorithmCases.Ints(comm.Rank, count);
                comm.Reduce(data.AsSpan(), ReduceOp.Sum, 0, ReduceAlgorithm.BinomialTree);
                if (comm.Rank == 0)
                {
                    atRoot = data;
                }
            });
        }
        finally
        {
            CollectiveContext.OverlapOverride.Value = null;
        }

        Assert.That(atRoot, Is.EqualTo(AlgorithmCases.IntSum(size, count)));
    }

    /// <summary>Runs <paramref name="call"/> on every rank, overlapped and not, and compares every rank's bits.</summary>
    private static void AssertSameBits(int size, int count, TestTransport transport, Call call)
    {
        int[][] overlapped = Run(size, count, transport, call, overlap: true);
        int[][] plain = Run(size, count, transport, call, overlap: false);
        for (int rank = 0; rank < size; rank++)
        {
            Assert.That(overlapped[rank], Is.EqualTo(plain[rank]), $"rank {rank}");
        }
    }

    private static int[][] Run(int size, int count, TestTransport transport, Call call, bool overlap)
    {
        var results = new int[size][];
        CollectiveContext.OverlapOverride.Value = overlap;
        try
        {
            LocalJob.Run(size, AlgorithmCases.Options, comm =>
            {
                float[] data = AlgorithmCases.Floats(comm.Rank, count);
                call(comm, data);
                results[comm.Rank] = AlgorithmCases.Bits(data);
            }, transport);
        }
        finally
        {
            CollectiveContext.OverlapOverride.Value = null;
        }

        return results;
    }
}
