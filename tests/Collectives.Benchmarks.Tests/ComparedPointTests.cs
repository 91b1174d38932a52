using Collectives.CollBench.Comparison;

namespace Collectives.Benchmarks.Tests;

public class ComparedPointTests
{
    private static readonly ComparisonCase Case = new(2, "tcp", "allreduce");

    private static ComparedPoint Point(double[] ours, double[] openMpi)
        => new(Case, 8, new Dictionary<string, IReadOnlyList<double>> { ["ours"] = ours, ["openmpi"] = openMpi });

    [Test]
    public void The_median_of_an_odd_count_is_the_middle_figure()
        => Assert.That(Point([30, 10, 20], [1]).Median("ours"), Is.EqualTo(20));

    [Test]
    public void The_median_of_an_even_count_is_the_mean_of_the_middle_two()
        => Assert.That(Point([1], [40, 10, 20, 30]).Median("openmpi"), Is.EqualTo(25));

    [Test]
    public void A_side_without_figures_has_no_median()
        => Assert.That(Point([1], [2]).Median("han"), Is.NaN);

    [Test]
    public void The_ratio_is_ours_over_open_mpi()
        => Assert.That(Point([15], [10]).Ratio(ComparisonRatio.OnOneHost[0]), Is.EqualTo(1.5));

    [Test]
    public void The_fastest_and_slowest_rounds_bound_a_side_s_spread()
    {
        ComparedPoint point = Point([30, 10, 20], [1]);

        Assert.That((point.Min("ours"), point.Max("ours")), Is.EqualTo((10.0, 30.0)));
    }

    [Test]
    public void The_spread_is_the_slowest_round_over_the_fastest()
        => Assert.That(Point([12, 8, 10], [1]).Spread("ours"), Is.EqualTo(1.5));

    [Test]
    public void A_side_without_figures_has_no_spread()
        => Assert.That(Point([1], [2]).Spread("gloo"), Is.NaN);

    [Test]
    public void Rounds_exactly_2x_apart_are_still_steady()
        => Assert.That(Point([10, 20], [1]).IsUnsteady("ours"), Is.False);

    [Test]
    public void Rounds_more_than_2x_apart_are_unsteady()
        => Assert.That(Point([1], [10, 15, 21]).IsUnsteady("openmpi"), Is.True);

    [Test]
    public void A_single_round_is_steady()
        => Assert.That(Point([7], [1]).IsUnsteady("ours"), Is.False);

    [Test]
    public void The_rounds_are_those_every_side_has()
        => Assert.That(Point([1, 2, 3], [1, 2]).Rounds(ComparisonSide.OnOneHost), Is.EqualTo(2));

    [Test]
    public void The_peer_configuration_names_ranks_and_transport()
        => Assert.That(new ComparisonCase(8, "shm", "barrier").PeerConfig(ComparisonSide.OnOneHost[1]), Is.EqualTo("np8_shm"));

    [Test]
    public void Across_hosts_the_configuration_names_the_shape_and_the_side()
        => Assert.That(
            ComparisonSide.AcrossHosts.Select(new ComparisonCase(8, ComparisonCase.AcrossHosts, "allreduce", Hosts: 4).PeerConfig),
            Is.EqualTo(new[] { "h4x2_auto", "h4x2_tcp", "h4x2_ompi", "h4x2_han" }));
}
