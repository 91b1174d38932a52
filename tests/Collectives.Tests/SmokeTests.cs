using Collectives.Tests.Support;

namespace Collectives.Tests;

public class SmokeTests
{
    [TestCase(1)]
    [TestCase(2)]
    [TestCase(5)]
    [TestCase(8)]
    public void Allreduce_sums_rank_numbers(int size)
    {
        LocalJob.Run(size, new CommunicatorOptions { SegmentSize = 8 }, comm =>
        {
            var data = new int[] { comm.Rank, 1, 2 * comm.Rank };
            comm.Allreduce(data.AsSpan(), ReduceOp.Sum, AllreduceAlgorithm.RecursiveDoubling);
            int expected = size * (size - 1) / 2;
            Assert.That(data, Is.EqualTo(new[] { expected, size, 2 * expected }));
            comm.Barrier();
            var b = new long[] { comm.Rank == 0 ? 42 : 0, 7 };
            comm.Broadcast(b.AsSpan(), 0);
            Assert.That(b, Is.EqualTo(new long[] { 42, 7 }));
            var r = new double[] { comm.Rank };
            comm.Reduce(r.AsSpan(), ReduceOp.Sum, root: size - 1);
            if (comm.Rank == size - 1)
            {
                Assert.That(r[0], Is.EqualTo(size * (size - 1) / 2.0));
            }
        });
    }
}
