using Collectives.CollBench.Comparison;

namespace Collectives.Benchmarks.Tests;

public class ComparedPointTests
{
    private static readonly ComparisonCase Case = new(2, "tcp", "allreduce");

    [Test]
    public void The_median_of_an_odd_count_is_the_middle_figure()
        => Assert.That(new ComparedPoint(Case, 8, [30, 10, 20], [1]).OursMedian, Is.EqualTo(20));

    [Test]
    public void The_median_of_an_even_count_is_the_mean_of_the_middle_two()
        => Assert.That(new ComparedPoint(Case, 8, [1], [40, 10, 20, 30]).OpenMpiMedian, Is.EqualTo(25));

    [Test]
    public void The_ratio_is_ours_over_open_mpi()
        => Assert.That(new ComparedPoint(Case, 8, [15], [10]).Ratio, Is.EqualTo(1.5));

    [Test]
    public void The_peer_configuration_names_ranks_and_transport()
        => Assert.That(new ComparisonCase(8, "shm", "barrier").PeerConfig, Is.EqualTo("np8_shm"));
}
