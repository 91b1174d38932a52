using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Collectives.Bootstrap;
using Collectives.CollBench.Comparison;
using Collectives.CollBench.FirstCalls;

namespace Collectives.CollBench;

/// <summary>collbench's command line (System.CommandLine) and the run it starts.</summary>
internal static class BenchCommand
{
    private static readonly Argument<string> CollectiveArgument = new("collective")
    {
        Description = "The collective to measure: allreduce, reduce, broadcast, allgather, reduce_scatter, gather, scatter, alltoall or barrier.",
    };

    private static readonly Option<string> SizesOption = new("--sizes")
    {
        Description = "Message sizes in bytes: a range <from>:<to> (every power of two between; k, M, G suffixes) or a comma list.",
        DefaultValueFactory = _ => "4:16M",
    };

    private static readonly Option<string> AlgorithmsOption = new("--algorithms")
    {
        Description = "Comma list of algorithms (auto = the selection table; others are forced per call), or all.",
        DefaultValueFactory = _ => "all",
    };

    private static readonly Option<bool> VerifyCallsOption = new("--verify-calls")
    {
        Description = "Check each call's signature across ranks first (CommunicatorOptions.VerifyCalls).",
        DefaultValueFactory = _ => true,
    };

    private static readonly Option<double> IterationsScaleOption = new("--iterations-scale")
    {
        Description = "Multiplies the warm-up and timed iteration counts (OSU's: 200/1000 up to 8 KiB, 10/100 above).",
        DefaultValueFactory = _ => 1.0,
    };

    private static readonly Option<double> TimeBudgetOption = new("--time-budget")
    {
        Description = "Seconds of timed calls per (algorithm, size) point; fewer iterations are run where they would take longer.",
        DefaultValueFactory = _ => 1.0,
    };

    private static readonly Option<string?> CsvOption = new("--csv")
    {
        Description = "Write the results as CSV to this path.",
    };

    private static readonly Option<string?> JsonOption = new("--json")
    {
        Description = "Write the results as JSON to this path.",
    };

    private static readonly Option<string?> SvgOption = new("--svg")
    {
        Description = "Write an SVG chart of latency against size, one line per algorithm, to this path.",
    };

    private static readonly Option<bool> SuggestOption = new("--suggest")
    {
        Description = "After the sweep, print the selection override (COLLECTIVES_ALGORITHMS syntax) that picks the fastest forced algorithm at each measured size.",
    };

    private static readonly Option<int> FirstCallsOption = new("--first-calls")
    {
        Description = "Instead of the sweep: time each of the fresh job's first N calls on its own, with no warm-up, and compare call 1 with the steady state "
            + "(the median of calls N/2..N). Needs tiered compilation on, as in an application: set DOTNET_TieredCompilation=1.",
    };

    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand(
            "OSU-style latency benchmark of a Collectives collective; run it under collrun, e.g.\n"
            + "  collrun -n 2 benchmarks/CollBench -- allreduce --sizes 8:16M")
        {
            CollectiveArgument, SizesOption, AlgorithmsOption, VerifyCallsOption, IterationsScaleOption, TimeBudgetOption, CsvOption, JsonOption, SvgOption, SuggestOption, FirstCallsOption,
            CompareCommand.Create(),
        };
        root.SetAction((parsed, cancellationToken) => RunParsedAsync(parsed, cancellationToken));
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // The parser's own errors are usage errors too, with our exit code rather than its 1.
            return await UsageErrorAsync("collbench", [.. parsed.Errors.Select(error => error.Message), "see collbench --help."]).ConfigureAwait(false);
        }

        return await parsed.InvokeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Reports a usage error. Under a launcher every rank parses the same command line and fails
    /// the same way, so rank 0 alone prints and exits with <see cref="UsageExitCode"/>; the other
    /// ranks stand down quietly with 0, since a rank failing first would make the launcher stop
    /// rank 0 before it had printed. The job still ends with rank 0's code. A process no launcher
    /// started prints and exits with <see cref="UsageExitCode"/>.
    /// </summary>
    internal static async Task<int> UsageErrorAsync(string tool, IEnumerable<string> messages)
    {
        if (!IsFirstRankOrAlone())
        {
            return 0;
        }

        foreach (string message in messages)
        {
            await Console.Error.WriteLineAsync($"{tool}: {message}").ConfigureAwait(false);
        }

        return UsageExitCode;
    }

    /// <summary>What collbench exits with when its command line is wrong, as collrun and collsim do.</summary>
    internal const int UsageExitCode = 2;

    private static bool IsFirstRankOrAlone()
    {
        try
        {
            return LaunchEnvironment.Detect().Rank == 0;
        }
        catch (BootstrapException)
        {
            return true;
        }
    }

    private static async Task<int> RunParsedAsync(ParseResult parsed, CancellationToken cancellationToken)
    {
        BenchSettings settings;
        try
        {
            settings = ReadSettings(parsed);
        }
        catch (FormatException exception)
        {
            // Every rank parses the same arguments, so every rank stops here before connecting.
            return await UsageErrorAsync("collbench", [exception.Message]).ConfigureAwait(false);
        }

        if (settings.FirstCalls > 0 && !TieredCompilationState.IsOnHere())
        {
            // collbench's runtimeconfig turns tiering off to time optimized code; an application's first
            // calls run with it on (tier-0 code, jitted twice), which is what this mode is for.
            return await UsageErrorAsync("collbench", [
                $"--first-calls measures what an application sees, with tiered compilation on, but collbench's runtimeconfig turns it off: set {TieredCompilationState.Variable}=1 (collrun passes it to every rank)."]).ConfigureAwait(false);
        }

        Communicator connected;
        long connectStart = Stopwatch.GetTimestamp();
        try
        {
            connected = await Communicator.ConnectAsync(new CommunicatorOptions { VerifyCalls = settings.VerifyCalls }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is BootstrapException or NotSupportedException)
        {
            // Started by hand rather than by a launcher, or asked for a transport this build lacks
            // (COLLECTIVES_TRANSPORT=nic without Collectives.Offload): say so in one line, without a
            // stack trace. The messages name the variables and the choices.
            return await UsageErrorAsync("collbench", [exception.Message.ReplaceLineEndings(" ")]).ConfigureAwait(false);
        }

        double connectUs = Stopwatch.GetElapsedTime(connectStart).TotalMicroseconds;
        await using Communicator comm = connected;
        if (settings.FirstCalls > 0)
        {
            return RunFirstCalls(comm, settings, connectUs);
        }

        if (comm.Rank != 0)
        {
            Sweep.Run(comm, settings, _ => { });
            return 0;
        }

        ConsoleSetup.ForCurrentOutput();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"collbench: {settings.Collective} on {comm.Size} ranks over {comm.TransportName}, {Sweep.PointCount(settings)} points"));
        List<PointResult> results = SweepDisplay.Run(comm, settings);
        ResultTable.Write(results, comm.TransportName, comm.Size);
        if (settings.CsvPath is { } csv)
        {
            CsvReport.Write(csv, results);
            Console.WriteLine($"collbench: wrote {csv}");
        }

        if (settings.JsonPath is { } json)
        {
            JsonReport.Write(json, settings, comm.TransportName, comm.Size, results);
            Console.WriteLine($"collbench: wrote {json}");
        }

        if (settings.SvgPath is { } svg)
        {
            Charts.SvgLineChartWriter.Write(svg, ResultChart.For(results, comm.TransportName, comm.Size));
            Console.WriteLine($"collbench: wrote {svg}");
        }

        if (settings.Suggest)
        {
            Console.WriteLine("collbench: suggested override for this machine and rank count (COLLECTIVES_ALGORITHMS or CommunicatorOptions.Algorithms):");
            Console.WriteLine(OverrideSuggestion.For(results, comm.Size));
        }

        return 0;
    }

    private static int RunFirstCalls(Communicator comm, BenchSettings settings, double connectUs)
    {
        var results = FirstCallsRunner.Run(comm, settings);
        (double MinUs, double MaxUs) connect = FirstCallsRunner.ConnectUs(comm, connectUs);
        if (comm.Rank == 0)
        {
            FirstCallsDisplay.Write(Console.Out, settings, comm.TransportName, comm.Size, connect, results);
        }

        return 0;
    }

    private static int FirstCallCount(int calls)
        => calls == 0 || calls >= FirstCallsReport.MinimumCalls
            ? calls
            : throw new FormatException($"--first-calls must be at least {FirstCallsReport.MinimumCalls}, so that the second half makes a steady state (got {calls}).");

    private static BenchSettings ReadSettings(ParseResult parsed)
    {
        string collective = parsed.GetValue(CollectiveArgument)!.ToLowerInvariant();
        IReadOnlyList<BenchAlgorithm> algorithms = BenchAlgorithms.Select(collective, parsed.GetValue(AlgorithmsOption)!);
        double scale = OptionChecks.PositiveFinite(parsed.GetValue(IterationsScaleOption), "--iterations-scale");
        double budget = OptionChecks.PositiveFinite(parsed.GetValue(TimeBudgetOption), "--time-budget", "number of seconds");
        return new BenchSettings(
            collective,
            SizeList.Parse(parsed.GetValue(SizesOption)!),
            algorithms,
            parsed.GetValue(VerifyCallsOption),
            scale,
            TimeSpan.FromSeconds(budget),
            parsed.GetValue(CsvOption),
            parsed.GetValue(JsonOption),
            parsed.GetValue(SvgOption),
            parsed.GetValue(SuggestOption),
            FirstCallCount(parsed.GetValue(FirstCallsOption)));
    }
}
