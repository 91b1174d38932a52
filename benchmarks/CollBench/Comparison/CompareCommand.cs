using System.CommandLine;
using System.Globalization;
using Spectre.Console;

namespace Collectives.CollBench.Comparison;

/// <summary>
/// <c>collbench compare</c>: runs collbench (under collrun) and Open MPI's peer program for the
/// same rank counts, transports, collectives and sizes in one session, interleaved, and prints
/// ratio tables (ours / Open MPI). Unlike the rank mode, this runs as a single driver process.
/// </summary>
internal static class CompareCommand
{
    private static readonly Option<string> RanksOption = new("--ranks")
    {
        Description = "Comma list of rank counts.",
        DefaultValueFactory = _ => "2,4",
    };

    private static readonly Option<string> TransportsOption = new("--transports")
    {
        Description = "Comma list of transports: shm (Open MPI's vader BTL) and/or tcp (its tcp BTL over loopback).",
        DefaultValueFactory = _ => "shm,tcp",
    };

    private static readonly Option<string> CollectivesOption = new("--collectives")
    {
        Description = "Comma list of collectives: allreduce, reduce, broadcast, allgather, reduce_scatter, gather, scatter, alltoall, barrier.",
        DefaultValueFactory = _ => "allreduce",
    };

    private static readonly Option<string> SizesOption = new("--sizes")
    {
        Description = "Comma list of byte counts (k, M suffixes), passed to both programs.",
        DefaultValueFactory = _ => "8,4k,256k,4M,16M",
    };

    private static readonly Option<int> RoundsOption = new("--rounds")
    {
        Description = "Measurements per case and side; the median is reported.",
        DefaultValueFactory = _ => 3,
    };

    private static readonly Option<bool> VerifyCallsOption = new("--verify-calls")
    {
        Description = "CommunicatorOptions.VerifyCalls on our side (the library default is true; Open MPI makes no such check).",
        DefaultValueFactory = _ => true,
    };

    private static readonly Option<double> IterationsScaleOption = new("--iterations-scale")
    {
        Description = "Multiplies both programs' iteration counts.",
        DefaultValueFactory = _ => 1.0,
    };

    private static readonly Option<string> OutputOption = new("--out")
    {
        Description = "Folder for comparison.md, comparison.csv, the SVG charts and each run's raw CSV.",
        DefaultValueFactory = _ => Path.Combine("artifacts", "compare"),
    };

    private static readonly Option<string?> PeerScriptOption = new("--peer-script")
    {
        Description = "Path of benchmarks/peers/run-openmpi.sh (found from the current folder upwards when omitted).",
    };

    public static Command Create()
    {
        var command = new Command("compare", "Measure Collectives and Open MPI side by side and print ratio tables (run directly, not under collrun).")
        {
            RanksOption, TransportsOption, CollectivesOption, SizesOption, RoundsOption, VerifyCallsOption, IterationsScaleOption, OutputOption, PeerScriptOption,
        };
        command.SetAction((parsed, cancellationToken) => RunAsync(parsed, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parsed, CancellationToken cancellationToken)
    {
        CompareSettings settings;
        try
        {
            settings = ReadSettings(parsed);
        }
        catch (FormatException exception)
        {
            await Console.Error.WriteLineAsync("collbench compare: " + exception.Message).ConfigureAwait(false);
            return 2;
        }

        ConsoleSetup.ForCurrentOutput();
        var session = new ComparisonSession(settings);
        AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture, $"collbench compare: {settings.Cases.Count} cases x {settings.Rounds} rounds x 2 libraries = {session.RunCount} runs"));
        List<ComparedPoint> points = await ProgressDisplay.RunAsync(session, cancellationToken).ConfigureAwait(false);
        ComparisonReport.Write(points, settings);
        foreach (string failure in session.Failures)
        {
            await Console.Error.WriteLineAsync("collbench compare: " + failure).ConfigureAwait(false);
        }

        return session.Failures.Count == 0 ? 0 : 1;
    }

    internal static CompareSettings ReadSettings(ParseResult parsed)
    {
        int[] ranks = [.. List(parsed.GetValue(RanksOption)!, "--ranks").Select(text =>
            int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 2 ? n
                : throw new FormatException($"--ranks: '{text}' is not a rank count of at least 2."))];
        string[] transports = [.. List(parsed.GetValue(TransportsOption)!, "--transports").Select(text =>
            text is "shm" or "tcp" ? text : throw new FormatException($"--transports: '{text}' is not shm or tcp."))];
        string[] collectives = [.. List(parsed.GetValue(CollectivesOption)!, "--collectives").Select(text =>
            BenchAlgorithms.Collectives.Contains(text) ? text : throw new FormatException($"--collectives: '{text}' is not one of {string.Join(", ", BenchAlgorithms.Collectives)}."))];
        string sizes = parsed.GetValue(SizesOption)!;
        if (sizes.Contains(':', StringComparison.Ordinal))
        {
            throw new FormatException("--sizes takes a comma list here (the Open MPI program has no ranges).");
        }

        _ = SizeList.Parse(sizes);
        int rounds = parsed.GetValue(RoundsOption);
        if (rounds < 1)
        {
            throw new FormatException($"--rounds must be at least 1 (got {rounds}).");
        }

        double scale = OptionChecks.PositiveFinite(parsed.GetValue(IterationsScaleOption), "--iterations-scale");
        ComparisonCase[] cases = [.. from collective in collectives from transport in transports from n in ranks select new ComparisonCase(n, transport, collective)];
        return new CompareSettings(
            cases,
            sizes,
            rounds,
            parsed.GetValue(VerifyCallsOption),
            scale,
            Path.GetFullPath(parsed.GetValue(OutputOption)!),
            parsed.GetValue(PeerScriptOption) ?? FindPeerScript());
    }

    private static string[] List(string text, string option)
    {
        string[] items = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return items.Length > 0 ? items : throw new FormatException($"{option} names nothing.");
    }

    /// <summary>The script sits in the repository; compare is run from it (or below it).</summary>
    private static string FindPeerScript()
    {
        for (DirectoryInfo? folder = new(Environment.CurrentDirectory); folder is not null; folder = folder.Parent)
        {
            string candidate = Path.Combine(folder.FullName, "benchmarks", "peers", "run-openmpi.sh");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FormatException("benchmarks/peers/run-openmpi.sh not found above the current folder; run from the repository or pass --peer-script.");
    }
}
