using Collectives.Simulation.Engine;
using Collectives.Simulation.Host;

namespace Collectives.Simulation.Tests.Engine;

public sealed class DeterminismTests
{
    private static readonly NoiseOptions Noise = new(MeanIntervalNs: 20_000, DetourNs: 5_000);

    [Test]
    public void TheSameSeedGivesTheSameFinishTimes()
    {
        long[] first = FinishTimes(seed: 42);
        long[] second = FinishTimes(seed: 42);

        Assert.That(second, Is.EqualTo(first));
    }

    [Test]
    public void AnotherSeedGivesOtherNoiseAndSoOtherFinishTimes()
    {
        Assert.That(FinishTimes(seed: 42), Is.Not.EqualTo(FinishTimes(seed: 43)));
    }

    [Test]
    public void NoiseOnlyEverDelaysACollective()
    {
        long quiet = FinishTimes(seed: 42, noise: NoiseOptions.None).Max();

        Assert.That(FinishTimes(seed: 42).Max(), Is.GreaterThan(quiet));
    }

    [Test]
    public void ARankThatWaitsForAMessageNobodySendsIsReportedAsStalled()
    {
        using var cluster = new SimulatedCluster(2);
        var buffer = new double[1];

        Assert.That(
            () => cluster.Run(rank => rank == 0 ? cluster.Communicators[0].BroadcastAsync<double>(buffer, root: 1) : ValueTask.CompletedTask),
            Throws.TypeOf<SimulationStalledException>().With.Message.Contains("rank(s) have not finished"));
    }

    private static long[] FinishTimes(int seed, NoiseOptions? noise = null)
    {
        using var cluster = new SimulatedCluster(64, ModelOptions.Crossbar(noise ?? Noise, seed));
        double[][] buffers = [.. Enumerable.Range(0, 64).Select(rank => new double[] { rank })];
        var finish = new List<long>();
        for (int repetition = 0; repetition < 20; repetition++)
        {
            finish.AddRange(cluster.Run(rank => cluster.Communicators[rank].AllreduceAsync<double>(buffers[rank], ReduceOp.Sum)).FinishNs);
        }

        return [.. finish];
    }
}
