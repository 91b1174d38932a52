using System.Globalization;
using Spectre.Console;

namespace Collectives.CollBench;

/// <summary>
/// Runs the sweep on rank 0 with feedback: a live Spectre progress bar on an interactive
/// console, plain lines otherwise (collrun pipes rank output, where a live display would
/// print escape codes and redraws as garbage).
/// </summary>
internal static class SweepDisplay
{
    public static List<PointResult> Run(Communicator comm, BenchSettings settings)
    {
        int total = Sweep.PointCount(settings);
        if (!ConsoleSetup.IsInteractive)
        {
            int done = 0;
            return Sweep.Run(comm, settings, result => Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"[{++done}/{total}] {result.Collective} {result.Bytes} B {result.Algorithm}: {result.AvgUs:F2} us avg ({result.Iterations} iterations)")));
        }

        List<PointResult> results = [];
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                ProgressTask task = context.AddTask(Markup.Escape($"{settings.Collective}, {comm.Size} ranks"), maxValue: total);
                results = Sweep.Run(comm, settings, result =>
                {
                    task.Increment(1);
                    task.Description = Markup.Escape($"{settings.Collective}: {result.Bytes} B {result.Algorithm}");
                });
            });
        return results;
    }
}
