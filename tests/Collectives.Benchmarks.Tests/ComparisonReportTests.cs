using Collectives.CollBench.Comparison;

namespace Collectives.Benchmarks.Tests;

public class ComparisonReportTests
{
    private string _folder = string.Empty;

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("compare-report-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    private CompareSettings Settings() => new([], "8", 1, true, 1, _folder, "/bin/true");

    private CompareSettings SettingsAcrossHosts(string configs) => Settings() with
    {
        Sides = [.. ComparisonSide.AcrossHosts.Where(side => configs.Split(',').Contains(side.Name))],
        Ratios = ComparisonRatio.AcrossHosts,
        Cluster = new ComparisonCluster(2, "cbench", "10gbit", "/bin/true"),
    };

    private static ComparedPoint Point(ComparisonCase item, long bytes, params (string Side, double Us)[] figures)
        => new(item, bytes, figures.ToDictionary(f => f.Side, f => (IReadOnlyList<double>)[f.Us]));

    private static readonly ComparisonCase AllreduceAcrossHosts = new(4, ComparisonCase.AcrossHosts, "allreduce", Hosts: 2);

    [Test]
    public void The_one_host_table_keeps_its_columns_per_rank_count()
    {
        ComparisonReport.Write([Point(new ComparisonCase(4, "tcp", "allreduce"), 8, ("ours", 3.0), ("openmpi", 2.0))], Settings());

        Assert.That(File.ReadAllText(Path.Combine(_folder, "comparison.md")), Does.Contain("| bytes | np4 ours | np4 Open MPI | np4 ratio |"));
        Assert.That(File.ReadAllLines(Path.Combine(_folder, "comparison.csv")), Is.EqualTo(new[]
        {
            "collective,transport,ranks,bytes,rounds,ours_median_us,ours_min_us,ours_max_us,openmpi_median_us,openmpi_min_us,openmpi_max_us,ratio,unsteady",
            "allreduce,tcp,4,8,1,3.000,3.000,3.000,2.000,2.000,2.000,1.500,0",
        }));
    }

    [Test]
    public void Across_hosts_a_collective_has_one_table_with_every_configuration_and_the_goal_ratios()
    {
        ComparisonReport.Write(
            [Point(AllreduceAcrossHosts, 1048576, ("auto", 600), ("tcp", 1000), ("ompi", 500), ("han", 400))],
            SettingsAcrossHosts("auto,tcp,ompi,han"));

        string markdown = File.ReadAllText(Path.Combine(_folder, "comparison.md"));
        Assert.That(markdown, Does.Contain("allreduce on 2 emulated hosts x 2 ranks (h2x2), links shaped to 10gbit"));
        Assert.That(markdown, Does.Contain("| bytes | ours auto | ours tcp | Open MPI | Open MPI han | auto/ompi | auto/tcp | auto/han |"));
        Assert.That(markdown, Does.Contain("| 1048576 | 600.00 | 1,000 | 500.00 | 400.00 | 1.20 | 0.60 | 1.50 |"));
        Assert.That(File.ReadAllLines(Path.Combine(_folder, "comparison.csv")), Is.EqualTo(new[]
        {
            "collective,hosts,ranks_per_host,bytes,rounds,auto_median_us,auto_min_us,auto_max_us,tcp_median_us,tcp_min_us,tcp_max_us,"
                + "ompi_median_us,ompi_min_us,ompi_max_us,han_median_us,han_min_us,han_max_us,auto_over_ompi,auto_over_tcp,auto_over_han,unsteady",
            "allreduce,2,2,1048576,1,600.000,600.000,600.000,1000.000,1000.000,1000.000,500.000,500.000,500.000,400.000,400.000,400.000,1.200,0.600,1.500,0",
        }));
        Assert.That(Directory.GetFiles(_folder, "*.svg").Select(Path.GetFileName), Is.EqualTo(new[] { "allreduce-hosts.svg" }));
    }

    [Test]
    public void A_ratio_to_a_configuration_left_out_is_not_shown()
    {
        ComparisonReport.Write([Point(AllreduceAcrossHosts, 8, ("auto", 6), ("tcp", 10), ("ompi", 5))], SettingsAcrossHosts("auto,tcp,ompi"));

        Assert.That(File.ReadAllText(Path.Combine(_folder, "comparison.md")), Does.Contain("| bytes | ours auto | ours tcp | Open MPI | auto/ompi | auto/tcp |\n"));
    }

    private static ComparedPoint Rounds(ComparisonCase item, long bytes, double[] ours, double[] openMpi)
        => new(item, bytes, new Dictionary<string, IReadOnlyList<double>> { ["ours"] = ours, ["openmpi"] = openMpi });

    [Test]
    public void Each_side_s_cell_shows_its_median_and_its_fastest_to_slowest_round()
    {
        ComparisonReport.Write([Rounds(new ComparisonCase(2, "shm", "allreduce"), 8, [3, 2, 4], [1, 1.5, 1.25])], Settings() with { Rounds = 3 });

        Assert.That(File.ReadAllText(Path.Combine(_folder, "comparison.md")), Does.Contain("| 8 | 3.00 (2.00–4.00) | 1.25 (1.00–1.50) | 2.40 |"));
    }

    [Test]
    public void The_csv_has_each_side_s_fastest_and_slowest_round()
    {
        ComparisonReport.Write([Rounds(new ComparisonCase(2, "shm", "allreduce"), 8, [3, 2, 4], [1, 1.5, 1.25])], Settings() with { Rounds = 3 });

        Assert.That(File.ReadAllLines(Path.Combine(_folder, "comparison.csv"))[1], Is.EqualTo("allreduce,shm,2,8,3,3.000,2.000,4.000,1.250,1.000,1.500,2.400,0"));
    }

    [Test]
    public void A_side_whose_rounds_are_more_than_2x_apart_is_marked_and_listed_under_the_table()
    {
        ComparisonReport.Write([Rounds(new ComparisonCase(4, "tcp", "allreduce"), 4096, [10, 11], [10, 25])], Settings() with { Rounds = 2 });

        string markdown = File.ReadAllText(Path.Combine(_folder, "comparison.md"));
        Assert.That(markdown, Does.Contain("| 4096 | 10.50 (10.00–11.00) | 17.50 (10.00–25.00) ! | 0.60 |"));
        Assert.That(markdown, Does.Contain("- ! 4096 bytes np4 Open MPI: rounds 10.00–25.00 µs, 2.5x apart\n"));
        Assert.That(File.ReadAllLines(Path.Combine(_folder, "comparison.csv"))[1], Does.EndWith(",1"));
    }

    [Test]
    public void Steady_rounds_get_no_mark_and_no_list()
    {
        ComparisonReport.Write([Rounds(new ComparisonCase(4, "tcp", "allreduce"), 4096, [10, 20], [10, 15])], Settings() with { Rounds = 2 });

        Assert.That(File.ReadAllText(Path.Combine(_folder, "comparison.md")), Does.Not.Contain("!").And.Not.Contain("apart"));
    }

    [Test]
    public void Gloo_has_columns_and_a_ratio_over_tcp_but_none_over_shared_memory()
    {
        ComparedPoint[] points =
        [
            Point(new ComparisonCase(2, "tcp", "allreduce"), 8, ("ours", 10), ("openmpi", 20), ("gloo", 40)),
            Point(new ComparisonCase(2, "shm", "allreduce"), 8, ("ours", 1), ("openmpi", 2)),
        ];

        ComparisonReport.Write(points, Settings() with { Sides = [ComparisonSide.Ours, .. ComparisonSide.Peers] });

        string markdown = File.ReadAllText(Path.Combine(_folder, "comparison.md"));
        Assert.That(markdown, Does.Contain("| bytes | np2 ours | np2 Open MPI | np2 Gloo | np2 ratio | np2 ours/Gloo |\n|---:|---:|---:|---:|---:|---:|\n| 8 | 10.00 | 20.00 | 40.00 | 0.50 | 0.25 |"));
        Assert.That(markdown, Does.Contain("| bytes | np2 ours | np2 Open MPI | np2 ratio |\n|---:|---:|---:|---:|\n| 8 | 1.00 | 2.00 | 0.50 |"));
    }

    [Test]
    public void A_barrier_gets_its_table_but_no_chart_because_it_has_no_size_axis()
    {
        ComparedPoint[] points =
        [
            Point(new ComparisonCase(2, "shm", "barrier"), 0, ("ours", 0.5), ("openmpi", 0.25)),
            Point(new ComparisonCase(2, "shm", "allreduce"), 8, ("ours", 1.0), ("openmpi", 2.0)),
        ];

        ComparisonReport.Write(points, Settings());

        Assert.That(File.ReadAllText(Path.Combine(_folder, "comparison.md")), Does.Contain("barrier over shm").And.Contain("| 0 | 0.50 | 0.25 | 2.00 |"));
        Assert.That(Directory.GetFiles(_folder, "*.svg").Select(Path.GetFileName), Is.EqualTo(new[] { "allreduce-shm.svg" }));
    }
}
