using Collectives.Simulation.Host;

namespace Collectives.Simulation.Tests.Engine;

public sealed class HostCpuTests
{
    [Test]
    public void WorkQueuesBehindEarlierWork()
    {
        var cpu = new HostCpu(NoiseOptions.None, seed: 1);

        cpu.Run(100, 50);

        Assert.That(cpu.Run(120, 30), Is.EqualTo(180));
    }

    [Test]
    public void WithoutNoiseWorkTakesExactlyItsDuration()
    {
        var cpu = new HostCpu(NoiseOptions.None, seed: 1);

        Assert.That(cpu.Run(1_000, 1_000_000_000), Is.EqualTo(1_000_001_000));
    }

    [Test]
    public void EveryNanosecondOfStretchIsAccountedAsNoise()
    {
        var cpu = new HostCpu(new NoiseOptions(MeanIntervalNs: 10_000, DetourNs: 777), seed: 3);
        long start = 0;
        long stretch = 0;
        for (int i = 0; i < 1000; i++)
        {
            long end = cpu.Run(start, 500);
            stretch += end - start - 500;
            start = end + 1_000;
        }

        Assert.That(stretch, Is.EqualTo(cpu.NoiseNs).And.GreaterThan(0));
    }

    [Test]
    public void LongWorkLosesTheDetoursShareOfTheCpu()
    {
        var noise = new NoiseOptions(MeanIntervalNs: 10_000, DetourNs: 1_000);
        var cpu = new HostCpu(noise, seed: 7);
        const long work = 1_000_000_000;

        long end = cpu.Run(0, work);

        // Detours take 1,000 of every 11,000 ns on average, so the work takes 11/10 as long.
        Assert.That((double)end / work, Is.EqualTo(1.1).Within(0.01));
    }
}
