using System.Xml.Linq;
using Collectives.Charts;

namespace Collectives.Benchmarks.Tests;

public class SvgLineChartWriterTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static LineChart TwoSeries() => new(
        "allreduce <np2>",
        "bytes",
        "µs",
        [
            new ChartSeries("ours", [(8, 2.0), (4096, 4.0), (1 << 20, 300.0)]),
            new ChartSeries("theirs", [(8, 1.0), (4096, 3.0), (1 << 20, 200.0)]),
        ]);

    [Test]
    public void The_document_is_well_formed_svg_with_a_line_per_series()
    {
        XDocument document = XDocument.Parse(SvgLineChartWriter.Render(TwoSeries()));
        Assert.That(document.Root!.Elements(Svg + "polyline").Count(), Is.EqualTo(2));
    }

    [Test]
    public void The_legend_and_title_carry_the_names_escaped()
    {
        XDocument document = XDocument.Parse(SvgLineChartWriter.Render(TwoSeries()));
        string[] texts = [.. document.Root!.Elements(Svg + "text").Select(t => t.Value)];
        Assert.That(texts, Does.Contain("allreduce <np2>").And.Contain("ours").And.Contain("theirs"));
    }

    [Test]
    public void Points_that_a_log_axis_cannot_show_are_left_out()
    {
        var chart = new LineChart("t", "x", "y", [new ChartSeries("s", [(0, 1.0), (8, 2.0), (16, 0.0)])]);
        XDocument document = XDocument.Parse(SvgLineChartWriter.Render(chart));
        Assert.That(document.Root!.Elements(Svg + "circle").Count(), Is.EqualTo(1));
    }

    [Test]
    public void A_chart_with_nothing_to_draw_is_rejected_naming_it()
        => Assert.That(
            () => SvgLineChartWriter.Render(new LineChart("empty sweep", "x", "y", [new ChartSeries("s", [])])),
            Throws.ArgumentException.With.Message.Contains("empty sweep"));
}
