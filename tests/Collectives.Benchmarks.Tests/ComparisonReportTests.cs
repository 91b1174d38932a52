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

    [Test]
    public void A_barrier_gets_its_table_but_no_chart_because_it_has_no_size_axis()
    {
        ComparedPoint[] points =
        [
            new(new ComparisonCase(2, "shm", "barrier"), 0, [0.5], [0.25]),
            new(new ComparisonCase(2, "shm", "allreduce"), 8, [1.0], [2.0]),
        ];

        ComparisonReport.Write(points, Settings());

        Assert.That(File.ReadAllText(Path.Combine(_folder, "comparison.md")), Does.Contain("barrier over shm").And.Contain("| 0 | 0.50 | 0.25 | 2.00 |"));
        Assert.That(Directory.GetFiles(_folder, "*.svg").Select(Path.GetFileName), Is.EqualTo(new[] { "allreduce-shm.svg" }));
    }
}
