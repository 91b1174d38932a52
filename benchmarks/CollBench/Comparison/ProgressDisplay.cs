using Spectre.Console;

namespace Collectives.CollBench.Comparison;

/// <summary>A live progress bar on a terminal, a plain line per run otherwise (logs, CI).</summary>
internal static class ProgressDisplay
{
    public static async Task<List<ComparedPoint>> RunAsync(ComparisonSession session, CancellationToken cancellationToken)
    {
        if (!ConsoleSetup.IsInteractive)
        {
            int done = 0;
            return await session.RunAsync(run => Console.WriteLine($"[{++done}/{session.RunCount}] {run}"), cancellationToken).ConfigureAwait(false);
        }

        List<ComparedPoint> points = [];
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                ProgressTask task = context.AddTask("compare", maxValue: session.RunCount);
                points = await session.RunAsync(
                    run =>
                    {
                        task.Increment(1);
                        task.Description = Markup.Escape(run);
                    },
                    cancellationToken).ConfigureAwait(false);
            }).ConfigureAwait(false);
        return points;
    }
}
