using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using Spectre.Console;

namespace Collectives.CollBench.Comparison;

/// <summary>
/// <c>collbench compare</c>: runs collbench (under collrun) and Open MPI's peer program (and, with
/// <c>--peers</c>, Gloo's) for the same rank counts, transports, collectives and sizes in one
/// session, interleaved, and prints ratio tables (ours / Open MPI, ours / Gloo). Unlike the rank mode, this runs as a single driver process.
/// With <c>--hosts</c>, the jobs run across hosts of an emulated cluster it brings up and down
/// itself, both libraries under mpirun, in the configurations of <see cref="ComparisonSide.AcrossHosts"/>.
/// </summary>
internal static class CompareCommand
{
    /// <summary>Console width for tables written to a file or pipe.</summary>
    private const int RedirectedWidth = 240;

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
        Description = "Measurements per case and side; the median is reported, with the fastest and slowest round.",
        DefaultValueFactory = _ => 5,
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

    private static readonly Option<string> PeersOption = new("--peers")
    {
        Description = "Comma list of libraries measured beside ours: openmpi, gloo (Gloo over TCP only, for allreduce, reduce, broadcast and barrier; its fastest algorithm at each size).",
        DefaultValueFactory = _ => "openmpi",
    };

    private static readonly Option<int?> HostsOption = new("--hosts")
    {
        Description = "Run across this many hosts of an emulated cluster (tools/cluster, needs root), brought up and down by this command.",
    };

    private static readonly Option<int?> RanksPerHostOption = new("--ranks-per-host")
    {
        Description = "With --hosts: ranks on each host (default 2).",
    };

    private static readonly Option<string?> RateOption = new("--rate")
    {
        Description = "With --hosts: shape every host's link to this rate (10gbit, 1gbit, 500mbit); unshaped by default.",
    };

    private static readonly Option<string?> ClusterNameOption = new("--cluster-name")
    {
        Description = $"With --hosts: the cluster's name (1-6 lower-case letters or digits; default {ComparisonCluster.DefaultName}). A cluster of that name is replaced.",
    };

    private static readonly Option<string?> ConfigsOption = new("--configs")
    {
        Description = "With --hosts: comma list of configurations: auto (ours, node-aware), tcp (ours, flat TCP), ompi (Open MPI), han (Open MPI's coll_han). Default all four.",
    };

    public static Command Create()
    {
        var command = new Command("compare", "Measure Collectives and Open MPI side by side and print ratio tables (run directly, not under collrun).")
        {
            RanksOption, TransportsOption, CollectivesOption, SizesOption, RoundsOption, VerifyCallsOption, IterationsScaleOption, OutputOption, PeerScriptOption, PeersOption,
            HostsOption, RanksPerHostOption, RateOption, ClusterNameOption, ConfigsOption,
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
        if (Console.IsOutputRedirected)
        {
            // A log has no terminal width; Spectre's default of 80 columns wrapped every cell of
            // a table with spreads and Gloo columns into three lines and cut its headings.
            AnsiConsole.Profile.Width = RedirectedWidth;
        }

        var session = new ComparisonSession(settings);
        AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture, $"collbench compare: {settings.Cases.Count} cases x {settings.Rounds} rounds x {settings.Sides.Count} configurations = {session.RunCount} runs"));
        List<ComparedPoint> points;
        if (settings.Cluster is { } cluster)
        {
            AnsiConsole.WriteLine($"collbench compare: bringing up {cluster}");
            try
            {
                await cluster.UpAsync(cancellationToken).ConfigureAwait(false);
                points = await ProgressDisplay.RunAsync(session, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                // Also after a failure or Ctrl-C: namespaces left behind would hold addresses and
                // /run/collectives-cluster state until the next `up` of the same name.
                await cluster.DownAsync().ConfigureAwait(false);
            }
        }
        else
        {
            points = await ProgressDisplay.RunAsync(session, cancellationToken).ConfigureAwait(false);
        }

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
        var settings = new CompareSettings(
            [.. from collective in collectives from transport in transports from n in ranks select new ComparisonCase(n, transport, collective)],
            sizes,
            rounds,
            parsed.GetValue(VerifyCallsOption),
            scale,
            Path.GetFullPath(parsed.GetValue(OutputOption)!),
            parsed.GetValue(PeerScriptOption) ?? FindPeerScript());
        return parsed.GetValue(HostsOption) is { } hosts ? AcrossHosts(parsed, settings, hosts, collectives) : OnOneHost(parsed, settings);
    }

    /// <summary>
    /// Ours and the peers named, in <see cref="ComparisonSide.Peers"/>' order. The host-mode options
    /// mean nothing on one host; naming one there is a mistake worth saying.
    /// </summary>
    private static CompareSettings OnOneHost(ParseResult parsed, CompareSettings settings)
    {
        foreach (Option option in (Option[])[RanksPerHostOption, RateOption, ClusterNameOption, ConfigsOption])
        {
            if (parsed.GetResult(option) is not null)
            {
                throw new FormatException($"{option.Name} needs --hosts.");
            }
        }

        string[] peers = List(parsed.GetValue(PeersOption)!, "--peers");
        if (peers.FirstOrDefault(p => ComparisonSide.Peers.All(s => s.Name != p)) is { } peer)
        {
            throw new FormatException($"--peers: '{peer}' is not one of {string.Join(", ", ComparisonSide.Peers.Select(s => s.Name))}.");
        }

        List<ComparisonSide> chosen = [.. ComparisonSide.Peers.Where(side => peers.Contains(side.Name))];
        if (!settings.Cases.Any(item => chosen.Any(side => side.AppliesTo(item))))
        {
            throw new FormatException($"--peers {string.Join(',', peers)} measures none of these cases (Gloo runs over tcp only, for {string.Join(", ", ComparisonSide.GlooCollectives)}).");
        }

        return settings with { Sides = [ComparisonSide.Ours, .. chosen] };
    }

    /// <summary>Cases of one shape (hosts x ranks per host) per collective, and the cluster to run them on.</summary>
    private static CompareSettings AcrossHosts(ParseResult parsed, CompareSettings settings, int hosts, string[] collectives)
    {
        // tools/cluster makes at most 64 hosts; node-aware algorithms need at least two.
        if (hosts is < 2 or > 64)
        {
            throw new FormatException($"--hosts must be from 2 to 64 (got {hosts}).");
        }

        foreach (Option option in (Option[])[RanksOption, TransportsOption, PeersOption])
        {
            if (parsed.GetResult(option) is { Implicit: false })
            {
                throw new FormatException($"{option.Name} does not apply with --hosts (use --ranks-per-host and --configs).");
            }
        }

        int perHost = parsed.GetValue(RanksPerHostOption) ?? 2;
        if (perHost < 1)
        {
            throw new FormatException($"--ranks-per-host must be at least 1 (got {perHost}).");
        }

        string? rate = parsed.GetValue(RateOption);
        if (rate is not null && !Regex.IsMatch(rate, "^[0-9]+(\\.[0-9]+)?[kmgt]?bit$"))
        {
            throw new FormatException($"--rate: '{rate}' is not a link rate such as 10gbit, 1gbit or 500mbit.");
        }

        string name = parsed.GetValue(ClusterNameOption) ?? ComparisonCluster.DefaultName;
        if (!Regex.IsMatch(name, "^[a-z][a-z0-9]{0,5}$"))
        {
            throw new FormatException($"--cluster-name: '{name}' must be 1-6 lower-case letters or digits, starting with a letter.");
        }

        string[] configs = parsed.GetValue(ConfigsOption) is { } text ? List(text, "--configs") : [.. ComparisonSide.AcrossHosts.Select(s => s.Name)];
        if (configs.FirstOrDefault(c => ComparisonSide.AcrossHosts.All(s => s.Name != c)) is { } config)
        {
            throw new FormatException($"--configs: '{config}' is not one of {string.Join(", ", ComparisonSide.AcrossHosts.Select(s => s.Name))}.");
        }

        // tools/cluster sits two folders above the peer scripts, as run-openmpi-cluster.sh finds it.
        string clusterScript = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(settings.PeerScript) ?? ".", "..", "..", "tools", "cluster"));
        return settings with
        {
            Cases = [.. collectives.Select(collective => new ComparisonCase(hosts * perHost, ComparisonCase.AcrossHosts, collective, hosts))],
            Sides = [.. ComparisonSide.AcrossHosts.Where(side => configs.Contains(side.Name))],
            Ratios = ComparisonRatio.AcrossHosts,
            Cluster = new ComparisonCluster(hosts, name, rate, clusterScript),
        };
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
