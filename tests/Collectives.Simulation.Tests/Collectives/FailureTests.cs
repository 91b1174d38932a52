namespace Collectives.Simulation.Tests.Collectives;

public sealed class FailureTests
{
    [Test]
    public void RanksThatDisagreeOnTheCountFailWithAMismatchRatherThanStall()
    {
        using var cluster = new SimulatedCluster(4);
        double[][] buffers = [.. Enumerable.Range(0, 4).Select(rank => new double[rank == 2 ? 2 : 1])];

        Assert.That(
            () => cluster.Run(rank => cluster.Communicators[rank].AllreduceAsync<double>(buffers[rank], ReduceOp.Sum)),
            Throws.InstanceOf<CollectiveMismatchException>());
    }

    [Test]
    public void InvalidNetworkOptionsNameTheParameter()
    {
        var options = new SimulationOptions { Network = new() { LinkBandwidthGbps = 0 } };

        Assert.That(() => new SimulatedCluster(4, options), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("LinkBandwidthGbps"));
    }
}
