using System.CommandLine;
using System.Globalization;
using Collectives.CollBench;
using Collectives.Simulation;
using Collectives.Simulation.Host;
using Collectives.Simulation.Network;
using Collectives.Simulation.Offload;
using Spectre.Console;

namespace Collectives.CollSim;

/// <summary>collsim's command line (System.CommandLine) and the run it starts.</summary>
internal static class SimCommand
{
    private static readonly Option<string> CollectivesOption = Checked(
        new Option<string>("--collectives") { Description = "reduce, allreduce, or all.", DefaultValueFactory = _ => "all" },
        text => ListParser.Names<StudyCollective>(text, "--collectives"));

    private static readonly Option<string> TypesOption = Checked(
        new Option<string>("--types") { Description = "Element types: double, float, int, long, or all.", DefaultValueFactory = _ => "double" },
        text => ListParser.Names<StudyType>(text, "--types"));

    private static readonly Option<string> NodesOption = Checked(
        new Option<string>("--nodes") { Description = $"Node counts (one rank each): a comma list; a:b is every power of two from a (itself one) to b, a:b:s every s; at most {ListParser.MaxValues} values.", DefaultValueFactory = _ => "16:256" },
        text => ListParser.Integers(text, "--nodes", 1));

    private static readonly Option<string> BytesOption = Checked(
        new Option<string>("--bytes") { Description = "Message sizes in bytes, same syntax.", DefaultValueFactory = _ => "8:56:8" },
        text => ListParser.Integers(text, "--bytes", 1));

    private static readonly Option<string> PathsOption = Checked(
        new Option<string>("--paths") { Description = "software, offload, or all.", DefaultValueFactory = _ => "all" },
        text => ListParser.Names<StudyPath>(text, "--paths"));

    private static readonly Option<string> FanInOption = Checked(
        new Option<string>("--fanin") { Description = "Fan-in of the offload tree (k of a k-ary tree, 2..8); 0 = binomial, the software's tree. A list, same syntax.", DefaultValueFactory = _ => "0" },
        text => ReadFanIns(text));

    private static readonly Option<int> RepeatOption = new("--repeat") { Description = "Repetitions of each point (useful with --noise).", DefaultValueFactory = _ => 1, Validators = { RepeatAtLeastOne } };

    private static readonly Option<string?> NoiseOption = Checked(
        new Option<string?>("--noise") { Description = "OS noise on every host: <mean interval µs>:<detour µs>, e.g. 1000:25." },
        text => ReadNoise(text));

    private static readonly Option<int> SeedOption = new("--seed") { Description = "Seed of the noise.", DefaultValueFactory = _ => 1 };

    private static readonly Option<string> TopologyOption = Checked(
        new Option<string>("--topology") { Description = "fattree or crossbar.", DefaultValueFactory = _ => "fattree" },
        text => ReadTopology(text));

    private static readonly Option<int> ArityOption = new("--arity") { Description = "k of the k-ary n-tree fat tree.", DefaultValueFactory = _ => new NetworkOptions().FatTreeArity };

    private static readonly Option<long?> OverheadOption = new("--host-overhead-ns") { Description = "Host send and receive overhead, ns (default 200 each)." };

    private static readonly Option<long?> NicProcessingOption = new("--nic-processing-ns") { Description = "Offload NIC time per descriptor or packet, ns (default 40)." };

    private static readonly Option<double?> AluOption = new("--alu-ns") { Description = "Offload NIC ALU time per element, ns (default 5)." };

    private static readonly Option<string?> CsvOption = new("--csv") { Description = "Write every point as CSV to this path." };

    private static readonly Option<string?> MarkdownOption = new("--markdown") { Description = "Write the tables as Markdown, headed by the command line, to this path." };

    private static readonly Option<string?> SvgOption = new("--svg") { Description = "Write a chart (tc against the swept dimension) as SVG to this path." };

    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand(
            "Simulates Reduce and Allreduce on a fat tree in virtual time, software against NIC offload, e.g.\n"
            + "  collsim --nodes 16:256 --bytes 8:56:8 --types all")
        {
            CollectivesOption, TypesOption, NodesOption, BytesOption, PathsOption, FanInOption, RepeatOption, NoiseOption, SeedOption,
            TopologyOption, ArityOption, OverheadOption, NicProcessingOption, AluOption, CsvOption, MarkdownOption, SvgOption,
        };
        root.SetAction(parsed => Run(parsed, args));
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // The parser's errors (including every list and size checked above) are usage errors.
            foreach (System.CommandLine.Parsing.ParseError error in parsed.Errors)
            {
                await Console.Error.WriteLineAsync("collsim: " + error.Message).ConfigureAwait(false);
            }

            await Console.Error.WriteLineAsync("collsim: see collsim --help.").ConfigureAwait(false);
            return UsageExitCode;
        }

        return await parsed.InvokeAsync().ConfigureAwait(false);
    }

    /// <summary>What collsim exits with when its command line is wrong, as collrun and collbench do.</summary>
    internal const int UsageExitCode = 2;

    /// <summary>Makes <paramref name="parse"/> part of parsing <paramref name="option"/>: what it rejects is a parse error.</summary>
    private static TOption Checked<TOption>(TOption option, Action<string> parse)
        where TOption : Option
    {
        option.Validators.Add(result =>
        {
            try
            {
                if (result.GetValueOrDefault<string?>() is { } text)
                {
                    parse(text);
                }
            }
            catch (FormatException exception)
            {
                result.AddError(exception.Message);
            }
        });
        return option;
    }

    private static void RepeatAtLeastOne(System.CommandLine.Parsing.OptionResult result)
    {
        if (result.GetValueOrDefault<int>() is < 1 and int repetitions)
        {
            result.AddError($"--repeat must be at least 1 (got {repetitions}).");
        }
    }

    private static IReadOnlyList<int> ReadFanIns(string text)
    {
        IReadOnlyList<int> fanIns = ListParser.Integers(text, "--fanin", 0);
        return fanIns.Any(fanIn => fanIn is 1 or > 8) ? throw new FormatException("--fanin values must be 0 (binomial) or 2..8.") : fanIns;
    }

    private static NetworkTopology ReadTopology(string text)
        => ListParser.Names<NetworkTopology>(text, "--topology") is [NetworkTopology topology]
            ? topology
            : throw new FormatException($"--topology takes one of fattree or crossbar (got '{text}').");

    private static int Run(ParseResult parsed, string[] args)
    {
        StudySettings settings;
        try
        {
            settings = ReadSettings(parsed);
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException)
        {
            // Checks that need several options at once (the model's Validate methods).
            Console.Error.WriteLine("collsim: " + exception.Message.ReplaceLineEndings(" "));
            return UsageExitCode;
        }

        ConsoleSetup.ForCurrentOutput();
        if (Console.IsOutputRedirected)
        {
            // Piped tables keep all their columns rather than wrapping at 80.
            AnsiConsole.Profile.Width = 200;
        }

        Console.WriteLine(Describe(settings));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        IReadOnlyList<StudyPoint> points = SweepDisplay.Run(settings);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"collsim: {points.Count} points simulated in {watch.Elapsed.TotalSeconds:F1} s"));
        IReadOnlyList<ResultTable> tables = ResultTable.Build(points);
        foreach (ResultTable table in tables)
        {
            table.WriteToConsole();
        }

        if (parsed.GetValue(MarkdownOption) is { } markdown)
        {
            string command = "collsim " + string.Join(' ', args);
            OutputFile.Write(markdown, $"`{command}`\n\n" + string.Join("\n", tables.Select(table => table.ToMarkdown())));
            Console.WriteLine($"collsim: wrote {markdown}");
        }

        if (settings.CsvPath is { } csv)
        {
            CsvReport.Write(csv, points);
            Console.WriteLine($"collsim: wrote {csv}");
        }

        if (settings.SvgPath is { } svg)
        {
            SvgChart.Write(svg, points);
            Console.WriteLine($"collsim: wrote {svg}");
        }

        return 0;
    }

    private static StudySettings ReadSettings(ParseResult parsed)
    {
        // The parser has checked every list (see Checked); reading them again cannot fail.
        int repetitions = parsed.GetValue(RepeatOption);
        IReadOnlyList<int> fanIns = ReadFanIns(parsed.GetValue(FanInOption)!);
        var network = new NetworkOptions
        {
            Topology = ReadTopology(parsed.GetValue(TopologyOption)!),
            FatTreeArity = parsed.GetValue(ArityOption),
        };
        var host = new HostOptions { Noise = ReadNoise(parsed.GetValue(NoiseOption)) };
        if (parsed.GetValue(OverheadOption) is { } overhead)
        {
            host = host with { SendOverheadNs = overhead, ReceiveOverheadNs = overhead };
        }

        var offload = new OffloadNicOptions();
        if (parsed.GetValue(NicProcessingOption) is { } processing)
        {
            offload = offload with { ProcessingNs = processing };
        }

        if (parsed.GetValue(AluOption) is { } alu)
        {
            offload = offload with { AluNsPerElement = alu };
        }

        network.Validate();
        host.Validate();
        offload.Validate();
        return new StudySettings(
            ListParser.Names<StudyCollective>(parsed.GetValue(CollectivesOption)!, "--collectives"),
            ListParser.Names<StudyType>(parsed.GetValue(TypesOption)!, "--types"),
            ListParser.Integers(parsed.GetValue(NodesOption)!, "--nodes", 1),
            ListParser.Integers(parsed.GetValue(BytesOption)!, "--bytes", 1),
            fanIns,
            ListParser.Names<StudyPath>(parsed.GetValue(PathsOption)!, "--paths"),
            repetitions,
            new SimulationOptions { Network = network, Host = host, Seed = parsed.GetValue(SeedOption) },
            offload,
            parsed.GetValue(CsvOption),
            parsed.GetValue(SvgOption));
    }

    private static NoiseOptions ReadNoise(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text == "none")
        {
            return NoiseOptions.None;
        }

        string[] parts = text.Split(':');
        if (parts.Length != 2
            || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double intervalUs)
            || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double detourUs)
            || !(intervalUs > 0) || !(detourUs > 0))
        {
            throw new FormatException($"--noise: '{text}' is not <mean interval µs>:<detour µs> with positive numbers, e.g. 1000:25.");
        }

        return new NoiseOptions((long)(intervalUs * 1000), (long)(detourUs * 1000));
    }

    private static string Describe(StudySettings settings)
    {
        NetworkOptions network = settings.Model.Network;
        HostOptions host = settings.Model.Host;
        string topology = network.Topology == NetworkTopology.FatTree ? $"{network.FatTreeArity}-ary fat tree" : "crossbar";
        string noise = host.Noise.Enabled ? $", noise {host.Noise.DetourNs / 1000.0} µs every {host.Noise.MeanIntervalNs / 1000.0} µs" : string.Empty;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"collsim: {settings.PointCount} points x {settings.Repetitions}; {topology}, {network.LinkBandwidthGbps} Gb/s, switch {network.SwitchDelayNs} ns, link {network.LinkLatencyNs} ns; host o_s {host.SendOverheadNs} ns, o_r {host.ReceiveOverheadNs} ns{noise}; NIC {settings.Offload.ProcessingNs} ns/step, ALU {settings.Offload.AluNsPerElement} ns/element");
    }
}
