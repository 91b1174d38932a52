using Collectives.Charts;
using Collectives.CollBench.Comparison;

namespace Collectives.Benchmarks.Tests;

public class CostGrowthChartTests
{
    private static ComparedPoint Point(int ranks, long bytes, double ours, double openMpi)
        => new(new ComparisonCase(ranks, "shm", "allreduce"), bytes, new Dictionary<string, IReadOnlyList<double>> { ["ours"] = [ours], ["openmpi"] = [openMpi] });

    private static readonly List<ComparedPoint> Growth =
    [
        Point(2, 8, 1, 2), Point(16, 8, 10, 30),
        Point(2, 1024, 3, 4), Point(16, 1024, 40, 50),
    ];

    [Test]
    public void Against_size_ours_is_solid_and_open_mpi_dashed_per_rank_count()
    {
        LineChart chart = ComparisonReport.Chart(Growth[0].Case, Growth, ComparisonSide.OnOneHost);

        Assert.That(chart.Series.Select(s => (s.Name, s.Dashed)), Is.EqualTo(new[]
        {
            ("Collectives np2", false), ("Open MPI np2", true), ("Collectives np16", false), ("Open MPI np16", true),
        }));
    }

    [Test]
    public void Against_ranks_each_side_has_a_line_per_size_through_every_rank_count()
    {
        LineChart chart = ComparisonReport.RanksChart(Growth[0].Case, Growth, ComparisonSide.OnOneHost)!;

        Assert.That(chart.Series.Select(s => (s.Name, s.Dashed)), Is.EqualTo(new[]
        {
            ("Collectives 8B", false), ("Open MPI 8B", true), ("Collectives 1KB", false), ("Open MPI 1KB", true),
        }));
        Assert.That(chart.Series[1].Points, Is.EqualTo(new[] { (2.0, 2.0), (16.0, 30.0) }));
    }

    [Test]
    public void Against_ranks_four_sizes_are_picked_evenly_from_smallest_to_largest()
    {
        // Six sizes: indexes i * 5 / 3 for i = 0..3 are 0, 1, 3 and 5.
        List<ComparedPoint> points = [.. from bytes in new long[] { 8, 64, 512, 4096, 32768, 262144 } from ranks in new[] { 2, 4 } select Point(ranks, bytes, 1, 1)];

        LineChart chart = ComparisonReport.RanksChart(points[0].Case, points, [ComparisonSide.Ours])!;

        Assert.That(chart.Series.Select(s => s.Name), Is.EqualTo(new[] { "Collectives 8B", "Collectives 64B", "Collectives 4KB", "Collectives 256KB" }));
    }

    [Test]
    public void A_single_rank_count_has_no_chart_against_ranks()
        => Assert.That(ComparisonReport.RanksChart(Growth[0].Case, [Growth[0], Growth[2]], ComparisonSide.OnOneHost), Is.Null);
}
