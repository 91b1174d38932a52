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
    private static readonly Option<string> CollectivesOption = new("--collectives") { Description = "reduce, allreduce, or all.", DefaultValueFactory = _ => "all" };

    private static readonly Option<string> TypesOption = new("--types") { Description = "Element types: double, float, int, long, or all.", DefaultValueFactory = _ => "double" };

    private static readonly Option<string> NodesOption = new("--nodes") { Description = "Node counts (one rank each): a comma list; a:b is every power of two, a:b:s every s.", DefaultValueFactory = _ => "16:256" };

    private static readonly Option<string> BytesOption = new("--bytes") { Description = "Message sizes in bytes, same syntax.", DefaultValueFactory = _ => "8:56:8" };

    private static readonly Option<string> PathsOption = new("--paths") { Description = "software, offload, or all.", DefaultValueFactory = _ => "all" };

    private static readonly Option<string> FanInOption = new("--fanin") { Description = "Fan-in of the offload tree (k of a k-ary tree, 2..8); 0 = binomial, the software's tree.", DefaultValueFactory = _ => "0" };

    private static readonly Option<int> RepeatOption = new("--repeat") { Description = "Repetitions of each point (useful with --noise).", DefaultValueFactory = _ => 1 };

    private static readonly Option<string?> NoiseOption = new("--noise") { Description = "OS noise on every host: <mean interval µs>:<detour µs>, e.g. 1000:25." };

    private static readonly Option<int> SeedOption = new("--seed") { Description = "Seed of the noise.", DefaultValueFactory = _ => 1 };

    private static readonly Option<string> TopologyOption = new("--topology") { Description = "fattree or crossbar.", DefaultValueFactory = _ => "fattree" };

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
        return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
    }

    private static int Run(ParseResult parsed, string[] args)
    {
        StudySettings settings;
        try
        {
            settings = ReadSettings(parsed);
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException)
        {
            Console.Error.WriteLine("collsim: " + exception.Message);
            return 2;
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
        int repetitions = parsed.GetValue(RepeatOption);
        if (repetitions < 1)
        {
            throw new FormatException($"--repeat must be at least 1 (got {repetitions}).");
        }

        IReadOnlyList<int> fanIns = ListParser.Integers(parsed.GetValue(FanInOption)!, "--fanin", 0);
        if (fanIns.Any(fanIn => fanIn is 1 or > 8))
        {
            throw new FormatException("--fanin values must be 0 (binomial) or 2..8.");
        }

        var network = new NetworkOptions
        {
            Topology = ListParser.Names<NetworkTopology>(parsed.GetValue(TopologyOption)!, "--topology").Single(),
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
