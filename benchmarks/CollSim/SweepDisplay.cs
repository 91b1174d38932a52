using System.Globalization;
using Collectives.CollBench;
using Spectre.Console;

namespace Collectives.CollSim;

/// <summary>Runs the sweep with feedback: a live progress bar on a terminal, a line per point on standard error otherwise.</summary>
internal static class SweepDisplay
{
    public static IReadOnlyList<StudyPoint> Run(StudySettings settings)
    {
        int total = settings.PointCount;
        var runner = new StudyRunner(settings);
        var points = new List<StudyPoint>(total);
        if (!ConsoleSetup.IsInteractive)
        {
            foreach (StudyPoint point in runner.Run())
            {
                points.Add(point);
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{points.Count}/{total}] {Label(point)}: {point.MeanNs / 1000:F3} µs"));
            }

            return points;
        }

        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                ProgressTask task = context.AddTask("simulating", maxValue: total);
                foreach (StudyPoint point in runner.Run())
                {
                    points.Add(point);
                    task.Increment(1);
                    task.Description = Markup.Escape(Label(point));
                }
            });
        return points;
    }

    private static string Label(StudyPoint point)
        => $"{point.Collective} {point.Type} {point.Nodes} nodes {point.Bytes} B {point.Path}{(point.FanIn > 0 ? $" fan-in {point.FanIn}" : string.Empty)}".ToLowerInvariant();
}
