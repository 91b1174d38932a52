namespace Collectives.Simulation.Tests.Collectives;

/// <summary>
/// The library's algorithms give the same bits in virtual time as over the in-process transport,
/// so what the simulator times is the real computation.
/// </summary>
public sealed class SameBitsAsRealCollectivesTests
{
    [TestCase(AllreduceAlgorithm.RecursiveDoubling, 13, 7)]
    [TestCase(AllreduceAlgorithm.Rabenseifner, 13, 301)]
    [TestCase(AllreduceAlgorithm.Ring, 6, 301)]
    public void AllreduceMatchesTheInProcessTransport(AllreduceAlgorithm algorithm, int size, int count)
    {
        double[][] inputs = Inputs(size, count, seed: 11);
        double[][] simulated = Copy(inputs);
        using var cluster = new SimulatedCluster(size);

        cluster.Run(rank => cluster.Communicators[rank].AllreduceAsync<double>(simulated[rank], simulated[rank], ReduceOp.Sum, algorithm));
        double[][] real = RunInProcess(size, (communicator, buffer) => communicator.AllreduceAsync<double>(buffer, buffer, ReduceOp.Sum, algorithm), inputs);

        Assert.That(Bits(simulated), Is.EqualTo(Bits(real)));
    }

    [TestCase(ReduceAlgorithm.BinomialTree, 11, 6, 3)]
    [TestCase(ReduceAlgorithm.Rabenseifner, 11, 500, 0)]
    public void ReduceMatchesTheInProcessTransport(ReduceAlgorithm algorithm, int size, int count, int root)
    {
        double[][] inputs = Inputs(size, count, seed: 5);
        double[][] simulated = [.. inputs.Select(row => new double[row.Length])];
        using var cluster = new SimulatedCluster(size);

        cluster.Run(rank => cluster.Communicators[rank].ReduceAsync<double>(inputs[rank], simulated[rank], ReduceOp.Sum, root, algorithm));
        double[][] real = [.. inputs.Select(row => new double[row.Length])];
        Communicator[] communicators = Communicator.CreateLocal(size);
        try
        {
            Task.WaitAll([.. communicators.Select((communicator, rank) => communicator.ReduceAsync<double>(inputs[rank], real[rank], ReduceOp.Sum, root, algorithm).AsTask())]);
        }
        finally
        {
            Array.ForEach(communicators, communicator => communicator.Dispose());
        }

        Assert.That(BitConverter.DoubleToInt64Bits(simulated[root][0]), Is.EqualTo(BitConverter.DoubleToInt64Bits(real[root][0])));
        Assert.That(Bits([simulated[root]]), Is.EqualTo(Bits([real[root]])));
    }

    [Test]
    public void AFourThousandRankAllreduceGivesEveryRankTheSum()
    {
        const int size = 4096;
        long[][] buffers = [.. Enumerable.Range(0, size).Select(rank => new long[] { rank, 1 })];
        using var cluster = new SimulatedCluster(size);

        cluster.Run(rank => cluster.Communicators[rank].AllreduceAsync<long>(buffers[rank], ReduceOp.Sum));

        long expected = (long)size * (size - 1) / 2;
        Assert.That(buffers.All(buffer => buffer[0] == expected && buffer[1] == size), Is.True);
    }

    private static double[][] RunInProcess(int size, Func<Communicator, Memory<double>, ValueTask> call, double[][] inputs)
    {
        double[][] buffers = Copy(inputs);
        Communicator[] communicators = Communicator.CreateLocal(size);
        try
        {
            Task.WaitAll([.. communicators.Select((communicator, rank) => Task.Run(() => call(communicator, buffers[rank]).AsTask()))]);
        }
        finally
        {
            Array.ForEach(communicators, communicator => communicator.Dispose());
        }

        return buffers;
    }

    // Values of many magnitudes, so that the order of additions shows in the last bits.
    private static double[][] Inputs(int size, int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, size).Select(_ => Enumerable.Range(0, count).Select(_ => (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-8, 9))).ToArray())];
    }

    private static double[][] Copy(double[][] rows) => [.. rows.Select(row => (double[])row.Clone())];

    private static long[][] Bits(double[][] rows) => [.. rows.Select(row => row.Select(BitConverter.DoubleToInt64Bits).ToArray())];
}
