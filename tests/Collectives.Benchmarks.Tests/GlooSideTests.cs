using Collectives.CollBench.Comparison;

namespace Collectives.Benchmarks.Tests;

public class GlooSideTests
{
    private static readonly ComparisonSide Gloo = ComparisonSide.Peers.Single(side => side.Program == SideProgram.Gloo);

    [Test]
    public void Gloo_measures_a_tcp_allreduce()
        => Assert.That(Gloo.AppliesTo(new ComparisonCase(4, "tcp", "allreduce")), Is.True);

    [Test]
    public void Gloo_sits_out_shared_memory()
        => Assert.That(Gloo.AppliesTo(new ComparisonCase(4, "shm", "allreduce")), Is.False);

    [Test]
    public void Gloo_sits_out_a_collective_its_program_lacks()
        => Assert.That(Gloo.AppliesTo(new ComparisonCase(4, "tcp", "allgather")), Is.False);

    [Test]
    public void Open_mpi_measures_every_case()
        => Assert.That(ComparisonSide.OnOneHost[1].AppliesTo(new ComparisonCase(4, "shm", "allgather")), Is.True);

    [Test]
    public void Gloo_s_figure_at_a_size_is_its_fastest_algorithm_there()
        => Assert.That(
            PeerRunners.Fastest(
            [
                new("gloo", "allreduce", 8, 2, 40), new("gloo", "allreduce", 8, 2, 30), new("gloo", "allreduce", 4096, 2, 50),
                new("gloo", "allreduce", 4096, 2, 70),
            ]),
            Is.EqualTo(new MeasuredPoint[] { new("gloo", "allreduce", 8, 2, 30), new("gloo", "allreduce", 4096, 2, 50) }));

    [Test]
    public void A_shared_memory_point_counts_the_rounds_of_the_sides_that_measure_it()
    {
        var point = new ComparedPoint(
            new ComparisonCase(2, "shm", "allreduce"), 8, new Dictionary<string, IReadOnlyList<double>> { ["ours"] = [1, 2], ["openmpi"] = [1, 2] });

        Assert.That(point.Rounds([ComparisonSide.Ours, .. ComparisonSide.Peers]), Is.EqualTo(2));
    }

    [Test]
    public void The_ours_over_gloo_ratio_divides_ours_by_gloo()
    {
        var point = new ComparedPoint(
            new ComparisonCase(2, "tcp", "allreduce"), 8, new Dictionary<string, IReadOnlyList<double>> { ["ours"] = [10], ["gloo"] = [40] });

        Assert.That(point.Ratio(ComparisonRatio.OnOneHost.Single(r => r.Denominator == "gloo")), Is.EqualTo(0.25));
    }
}
