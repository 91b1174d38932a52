using Collectives.Offload.Building;
using Collectives.Simulation.Offload;
using static Collectives.Simulation.Tests.ModelOptions;

namespace Collectives.Simulation.Tests.Offload;

public sealed class OffloadInVirtualTimeTests
{
    private static readonly OffloadNicOptions Nic = new() { ProcessingNs = 40, AluNsPerElement = 5, EmitNs = 20, PostNs = 100, CompletionNs = 60 };

    [Test]
    public void ATwoNodeReduceTakesPostsNicStepsWireAndCompletion()
    {
        using var cluster = new SimulatedCluster(2, Crossbar());
        var offload = new SimulatedOffload(cluster, TreeShape.Binomial, Nic);
        double[][] send = [[1.5], [2.25]];
        double[][] receive = [new double[1], new double[1]];

        SimulationRun run = offload.Reduce(Inputs(send), Outputs(receive), ReduceOp.Sum, root: 0);

        // Rank 1 posts its reduce descriptor (100); its NIC takes it (40) and emits the packet (20);
        // the packet crosses the crossbar with 8 data bytes; the root's NIC, idle by then (its host
        // posted a reduce and a put by 200, taken by 240), takes the packet and adds one element
        // (40 + 5), which fires the root's reduce and put; the put is written to host memory (150)
        // and the host sees it (60).
        long packetAtRoot = 100 + 40 + 20 + LinkLatency + SwitchDelay + LinkLatency + (Header + 8);
        long expected = packetAtRoot + 40 + 5 + NicReceive + 60;
        Assert.That(run.CompletionNs, Is.EqualTo(expected));
        Assert.That(receive[0][0], Is.EqualTo(3.75));
    }

    [TestCase(13, 0)]
    [TestCase(17, 5)]
    [TestCase(64, 0)]
    public void AnOffloadedReduceGivesTheSoftwareBinomialReducesBits(int size, int root)
    {
        double[][] send = RandomInputs(size, count: 6, seed: size);
        double[][] offloaded = [.. send.Select(_ => new double[6])];
        double[][] software = [.. send.Select(_ => new double[6])];
        using var cluster = new SimulatedCluster(size);

        new SimulatedOffload(cluster, TreeShape.Binomial).Reduce(Inputs(send), Outputs(offloaded), ReduceOp.Sum, root);
        cluster.Run(rank => cluster.Communicators[rank].ReduceAsync<double>(send[rank], software[rank], ReduceOp.Sum, root, ReduceAlgorithm.BinomialTree));

        Assert.That(offloaded[root].Select(BitConverter.DoubleToInt64Bits), Is.EqualTo(software[root].Select(BitConverter.DoubleToInt64Bits)));
    }

    [TestCase(2)]
    [TestCase(5)]
    [TestCase(8)]
    public void AnOffloadedAllreduceOnAKAryTreeGivesEveryRankTheSum(int fanIn)
    {
        const int size = 100;
        const int count = 7;
        long[][] send = [.. Enumerable.Range(0, size).Select(rank => Enumerable.Range(0, count).Select(i => (long)(rank * 1000) + i).ToArray())];
        long[][] receive = [.. send.Select(_ => new long[count])];
        using var cluster = new SimulatedCluster(size);
        var offload = new SimulatedOffload(cluster, TreeShape.KAry(fanIn));

        offload.Allreduce(Inputs(send), Outputs(receive), ReduceOp.Sum);

        long[] expected = [.. Enumerable.Range(0, count).Select(i => send.Sum(row => row[i]))];
        Assert.That(receive, Has.All.EqualTo(expected));
    }

    [Test]
    public void PayloadsOverFortyEightBytesTakeLonger()
    {
        const int size = 64;
        using var cluster = new SimulatedCluster(size);
        var offload = new SimulatedOffload(cluster, TreeShape.Binomial);

        long Time(int count)
        {
            double[][] send = RandomInputs(size, count, seed: 1);
            double[][] receive = [.. send.Select(row => new double[row.Length])];
            return offload.Allreduce(Inputs(send), Outputs(receive), ReduceOp.Sum).CompletionNs;
        }

        long fortyEight = Time(6);
        long fiftySix = Time(7);

        Assert.That(fiftySix, Is.GreaterThan(fortyEight));
    }

    [Test]
    public void AnOffloadedReductionOfHalfIsRefusedBecauseTheAluHasNo16BitWidth()
    {
        using var cluster = new SimulatedCluster(2);
        var offload = new SimulatedOffload(cluster, TreeShape.Binomial);
        Half[][] send = [[(Half)1], [(Half)2]];
        Half[][] receive = [new Half[1], new Half[1]];

        Assert.That(() => offload.Allreduce(Inputs(send), Outputs(receive), ReduceOp.Sum), Throws.TypeOf<NotSupportedException>().With.Message.Contains("Sum on Float16"));
    }

    private static ReadOnlyMemory<T>[] Inputs<T>(T[][] rows) => [.. rows.Select(row => (ReadOnlyMemory<T>)row)];

    private static Memory<T>[] Outputs<T>(T[][] rows) => [.. rows.Select(row => (Memory<T>)row)];

    private static double[][] RandomInputs(int size, int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, size).Select(_ => Enumerable.Range(0, count).Select(_ => (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-6, 7))).ToArray())];
    }
}
