using System.Xml.Linq;
using Collectives.Charts;
using Collectives.CollBench;

namespace Collectives.Benchmarks.Tests;

public class ResultChartTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static readonly PointResult[] Results =
    [
        new("allreduce", "tcp/ring", "ring", 8, 4, 100, AvgUs: 10, MinUs: 8, MaxUs: 12),
        new("allreduce", "tcp/ring", "ring", 4096, 4, 100, AvgUs: 20, MinUs: 15, MaxUs: 30),
        new("allreduce", "tcp/tree", "tree", 8, 4, 100, AvgUs: 9, MinUs: 7, MaxUs: 11),
        new("allreduce", "tcp/tree", "tree", 4096, 4, 100, AvgUs: 25, MinUs: 20, MaxUs: 40),
    ];

    [Test]
    public void Each_algorithm_has_its_max_line_and_a_band_from_the_fastest_to_the_slowest_rank()
    {
        LineChart chart = ResultChart.For(Results, "tcp", 4);

        Assert.That(chart.Series.Select(s => s.Points), Is.EqualTo(new[] { new[] { (8.0, 12.0), (4096.0, 30.0) }, new[] { (8.0, 11.0), (4096.0, 40.0) } }));
        Assert.That(chart.Series[0].Band, Is.EqualTo(new[] { (8.0, 8.0, 12.0), (4096.0, 15.0, 30.0) }));

        XDocument document = XDocument.Parse(SvgLineChartWriter.Render(chart));
        Assert.That(document.Root!.Elements(Svg + "polygon").Count(), Is.EqualTo(2));
        Assert.That(document.Root.Elements(Svg + "text").Select(t => t.Value), Does.Contain("ring").And.Contain("tree"), "the title already says tcp");
    }
}
