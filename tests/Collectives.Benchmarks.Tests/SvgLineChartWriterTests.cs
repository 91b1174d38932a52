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

    [TestCase(14)]
    [TestCase(24)]
    [TestCase(80)]
    public void Every_series_is_drawn_in_its_own_colour_and_dash_pattern(int count)
    {
        // As collsim draws them: a solid software line and a dashed offload line per configuration.
        List<ChartSeries> series = [.. Enumerable.Range(0, count).Select(i => new ChartSeries($"line {i}", [(8, 1.0 + i), (16, 2.0 + i)]) { Dashed = i % 2 == 1 })];
        XDocument document = XDocument.Parse(SvgLineChartWriter.Render(new LineChart("t", "x", "y", series)));

        XElement[] lines = [.. document.Root!.Elements(Svg + "polyline")];
        string[] styles = [.. lines.Select(line => $"{line.Attribute("stroke")!.Value} {line.Attribute("stroke-dasharray")?.Value ?? "solid"}")];
        Assert.That(styles, Has.Length.EqualTo(count).And.Unique);
        string?[] dashedPatterns = [.. lines.Where((_, i) => i % 2 == 1).Select(line => line.Attribute("stroke-dasharray")?.Value)];
        string?[] solidPatterns = [.. lines.Where((_, i) => i % 2 == 0).Select(line => line.Attribute("stroke-dasharray")?.Value)];
        Assert.That(dashedPatterns, Has.None.Null, "dashed series stay dashed");
        Assert.That(dashedPatterns.Intersect(solidPatterns), Is.Empty, "solid series past the palette use patterns the dashed family does not");
    }

    [Test]
    public void Fifteen_plain_series_do_not_repeat_a_style_either()
    {
        List<ChartSeries> series = [.. Enumerable.Range(0, 15).Select(i => new ChartSeries($"line {i}", [(8, 1.0 + i), (16, 2.0 + i)]))];
        XDocument document = XDocument.Parse(SvgLineChartWriter.Render(new LineChart("t", "x", "y", series)));

        Assert.That(
            document.Root!.Elements(Svg + "polyline").Select(line => $"{line.Attribute("stroke")!.Value} {line.Attribute("stroke-dasharray")?.Value}"),
            Is.Unique);
    }

    [Test]
    public void Words_every_legend_entry_starts_with_move_to_the_title()
    {
        var chart = new LineChart(
            "tc against nodes",
            "nodes",
            "µs",
            [
                new ChartSeries("allreduce double software", [(16, 1.0), (32, 2.0)]),
                new ChartSeries("allreduce double offload k=4", [(16, 1.0), (32, 2.0)]),
            ]);
        XDocument document = XDocument.Parse(SvgLineChartWriter.Render(chart));

        string[] texts = [.. document.Root!.Elements(Svg + "text").Select(t => t.Value)];
        Assert.That(texts, Does.Contain("tc against nodes: allreduce double").And.Contain("software").And.Contain("offload k=4"));
        Assert.That(texts, Has.None.EqualTo("allreduce double software"));
    }

    [Test]
    public void Legend_entries_drop_leading_words_the_title_already_has()
    {
        // collbench: the transport is in the title and starts every configuration's name.
        var chart = new LineChart("allreduce, 2 ranks over tcp", "bytes", "µs", [new ChartSeries("tcp/ring", [(8, 1.0), (16, 2.0)])]);
        XDocument document = XDocument.Parse(SvgLineChartWriter.Render(chart));

        string[] texts = [.. document.Root!.Elements(Svg + "text").Select(t => t.Value)];
        Assert.That(texts, Does.Contain("ring").And.Contain("allreduce, 2 ranks over tcp"));
        Assert.That(texts, Has.None.EqualTo("tcp/ring"));
    }

    [Test]
    public void A_legend_entry_is_never_emptied()
    {
        var chart = new LineChart("tcp", "bytes", "µs", [new ChartSeries("tcp", [(8, 1.0)]), new ChartSeries("tcp", [(16, 1.0)])]);
        XDocument document = XDocument.Parse(SvgLineChartWriter.Render(chart));

        Assert.That(document.Root!.Elements(Svg + "text").Count(t => t.Value == "tcp"), Is.EqualTo(3));
    }

    [Test]
    public void A_series_with_a_min_max_range_gets_a_translucent_band_in_its_colour()
    {
        var chart = new LineChart(
            "t",
            "bytes",
            "µs",
            [
                new ChartSeries("banded", [(8, 2.0), (4096, 4.0), (1 << 20, 300.0)]) { Band = [(8, 1.5, 2.0), (4096, 3.0, 4.0), (1 << 20, 0.5, 300.0)] },
                new ChartSeries("plain", [(8, 1.0), (4096, 3.0)]),
            ]);
        XDocument document = XDocument.Parse(SvgLineChartWriter.Render(chart));

        XElement band = document.Root!.Elements(Svg + "polygon").Single();
        XElement line = document.Root.Elements(Svg + "polyline").First();
        Assert.That(band.Attribute("fill")!.Value, Is.EqualTo(line.Attribute("stroke")!.Value));
        Assert.That(double.Parse(band.Attribute("fill-opacity")!.Value, System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThan(0).And.LessThan(0.5));
        Assert.That(band.Attribute("points")!.Value.Split(' '), Has.Length.EqualTo(6), "three highs, then three lows");
        Assert.That(document.Root.Elements().ToList().IndexOf(band), Is.LessThan(document.Root.Elements().ToList().IndexOf(line)), "drawn under the lines");
    }

    [Test]
    public void A_band_widens_the_axis_to_show_its_lows()
    {
        var chart = new LineChart("t", "bytes", "µs", [new ChartSeries("s", [(8, 100.0), (16, 200.0)]) { Band = [(8, 0.5, 100.0), (16, 150.0, 200.0)] }]);
        XDocument document = XDocument.Parse(SvgLineChartWriter.Render(chart));

        Assert.That(document.Root!.Elements(Svg + "text").Select(t => t.Value), Does.Contain("0.1"), "the log axis starts a decade below the band's 0.5");
    }

    [Test]
    public void A_chart_with_nothing_to_draw_is_rejected_naming_it()
        => Assert.That(
            () => SvgLineChartWriter.Render(new LineChart("empty sweep", "x", "y", [new ChartSeries("s", [])])),
            Throws.ArgumentException.With.Message.Contains("empty sweep"));
}
