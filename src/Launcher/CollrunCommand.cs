using System.CommandLine;
using System.Net;
using Collectives.Launcher.Jobs;
using Collectives.Launcher.Output;
using Collectives.Launcher.Programs;
using Collectives.Launcher.Signals;
using Collectives.Transport.Security;
using Collectives.Transport.Settings;

namespace Collectives.Launcher;

/// <summary>collrun's command line (System.CommandLine) and what it does with it.</summary>
internal static class CollrunCommand
{
    /// <summary>The range of <c>-n</c>: 1 to 4096 ranks.</summary>
    internal static readonly NumericSetting RanksSetting = NumericSetting.Count("-n", 1, 4096);

    /// <summary>The range of <c>--timeout</c>: what the ranks accept in COLLECTIVES_TIMEOUT.</summary>
    internal static readonly NumericSetting TimeoutSetting = CommunicatorOptions.TimeoutSetting.Named("--timeout");

    /// <summary>The range of <c>--grace-period</c>: 0 to 2147483.647 seconds (the longest a timer waits).</summary>
    internal static readonly NumericSetting GracePeriodSetting = NumericSetting.Seconds("--grace-period", 0, int.MaxValue / 1000.0);

    private static readonly Option<int?> RanksOption = new("--np", "-n")
    {
        Description = "Number of ranks (processes) to start; with --nnodes, on each node.",
    };

    private static readonly Option<int?> NodesOption = new("--nnodes")
    {
        Description = "Nodes of a job across hosts: one collrun per node starts its ranks (torchrun's agent model). Default: PET_NNODES, else a job on this machine alone.",
    };

    private static readonly Option<int?> NodeRankOption = new("--node-rank")
    {
        Description = "This node's place among --nnodes, from 0; node 0's collrun hosts the rendezvous. Default: PET_NODE_RANK.",
    };

    private static readonly Option<string?> RanksPerNodeOption = new("--nproc-per-node")
    {
        Description = "Ranks each node starts (a number, or auto or cpu for the processor count); the same as -n. Default: PET_NPROC_PER_NODE.",
    };

    private static readonly Option<string?> MasterAddressOption = new("--master-addr")
    {
        Description = "Host of node 0, reachable from every node: where the rendezvous is hosted. Default: PET_MASTER_ADDR, then MASTER_ADDR.",
    };

    private static readonly Option<int?> MasterPortOption = new("--master-port")
    {
        Description = "Port of the rendezvous on --master-addr. Default: PET_MASTER_PORT, then MASTER_PORT, then 29500.",
    };

    private static readonly Option<string?> TransportOption = new("--transport")
    {
        Description = "Transport the ranks use: auto (shared memory within a host, TCP between hosts), shm, tcp, or nic (the simulated offload NIC over those; the program must reference Collectives.Offload). Passed to them as COLLECTIVES_TRANSPORT. Default: auto.",
    };

    /// <summary>What <c>--transport</c> accepts (as the library reads COLLECTIVES_TRANSPORT).</summary>
    internal static readonly string[] TransportNames = ["auto", "shm", "tcp", "nic"];

    /// <summary>The transport that runs collectives on the offload NIC, found in the Collectives.Offload assembly.</summary>
    internal const string OffloadTransport = "nic";

    private static readonly Option<double?> TimeoutOption = new("--timeout")
    {
        Description = "Seconds a collective may wait for other ranks before failing, passed as COLLECTIVES_TIMEOUT. Default: the library's (60 s).",
    };

    private static readonly Option<string?> BindOption = new("--bind")
    {
        Description = "Address the rendezvous server and the ranks listen on. Default: 127.0.0.1, or every interface (0.0.0.0) with --nnodes.",
    };

    private static readonly Option<string?> JobIdOption = new("--job-id")
    {
        Description = "Job id (ranks of different jobs refuse each other). Default: a fresh one.",
    };

    private static readonly Option<string?> SecretFileOption = new("--secret-file")
    {
        Description = "File holding the job's secret in base64 (at least 16 bytes decoded). Default: a fresh random secret.",
    };

    private static readonly Option<double> GracePeriodOption = new("--grace-period")
    {
        Description = "Seconds ranks asked to stop (after a failure or Ctrl-C) get before they are killed.",
        DefaultValueFactory = _ => LaunchOptions.DefaultGracePeriod.TotalSeconds,
    };

    private static readonly Option<string> BindToOption = new("--bind-to")
    {
        Description = "Pin each rank to a processor: none (the default), auto (when there are at least as many processors as ranks, mpirun's default), or core (always, wrapping around). Pinning helps on a dedicated machine and hurts on a busy one.",
        DefaultValueFactory = _ => "none",
    };

    private static readonly Argument<string[]> ProgramArgument = new("program")
    {
        Description = "The program and its arguments: an executable, a .dll (run with dotnet), or a project folder or project file (built once in Release, then run).",
        Arity = ArgumentArity.OneOrMore,
    };

    /// <summary>The usage line collrun prints with its errors.</summary>
    public const string Usage = "usage: collrun -n <ranks> [--nnodes <n> --node-rank <k> --master-addr <host> [--master-port <port>]] [--transport auto|shm|tcp|nic] [--timeout <seconds>] [--bind <address>] [--job-id <id>] [--secret-file <path>] [--grace-period <seconds>] [--bind-to auto|core|none] [--] <program> [args...]";

    /// <summary>Parses <paramref name="args"/>, runs the job, and returns collrun's exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter standardOutput, TextWriter standardError, Interrupts interrupts)
    {
        var output = new PrefixedOutput(standardOutput, standardError);
        var root = new RootCommand(
            "Starts a program as N ranks of a Collectives job on this machine: hosts the job's rendezvous, gives each rank its "
            + "COLLECTIVES_* environment, prefixes each output line with [rank], stops every rank when one fails, forwards Ctrl-C, "
            + "and exits with the first non-zero exit code. With --nnodes, one collrun per node starts that node's ranks of a job across hosts.\n\n"
            + "Examples:\n  collrun -n 4 -- ./MyApp --epochs 3\n  collrun -n 4 bin/Release/net10.0/MyApp.dll\n  collrun -n 8 --timeout 30 path/to/MyProject\n"
            + "  collrun --nnodes 2 --node-rank 0 --nproc-per-node 4 --master-addr node0 --master-port 29500 MyApp.dll   (and --node-rank 1 on the other node)")
        {
            RanksOption, NodesOption, NodeRankOption, RanksPerNodeOption, MasterAddressOption, MasterPortOption, TransportOption, TimeoutOption, BindOption, JobIdOption, SecretFileOption, GracePeriodOption, BindToOption, ProgramArgument,
        };

        (string[] launcherArgs, string[] programArgs, string[] unknownOptions) = CommandLineSplitter.Split(args, root.Options);
        // Not Except: a set operation, it would also drop a repeated value ("-n 2 --timeout 2").
        ParseResult parsed = root.Parse([.. launcherArgs.Where(arg => !unknownOptions.Contains(arg)), "--", .. programArgs]);
        if ((parsed.Errors.Count > 0 || unknownOptions.Length > 0) && !IsHelpOrVersion(launcherArgs))
        {
            foreach (string unknown in unknownOptions)
            {
                output.Message($"unknown option '{unknown}' (options after the program are the program's).");
            }

            foreach (System.CommandLine.Parsing.ParseError error in parsed.Errors)
            {
                output.Message(error.Message);
            }

            output.Message(Usage);
            return ExitCodes.Usage;
        }

        if (IsHelpOrVersion(launcherArgs))
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { Output = standardOutput, Error = standardError, ProcessTerminationTimeout = null }).ConfigureAwait(false);
        }

        try
        {
            LaunchOptions options = ReadOptions(parsed);
            JobCredentials credentials = LaunchCredentials.Create(options, output);
            ProgramCommand command = await ProgramResolver.ResolveAsync(options.Program, options.Arguments, output, interrupts.Requested).ConfigureAwait(false);
            if (options.Transport == OffloadTransport && OffloadReference.Problem(command) is { } problem)
            {
                throw UsageError(problem);
            }

            return await JobRunner.RunAsync(options, command, credentials, output, interrupts).ConfigureAwait(false);
        }
        catch (CollrunException exception)
        {
            output.Message(exception.Message);
            return exception.ExitCode;
        }
        catch (OperationCanceledException) when (interrupts.Requested.IsCancellationRequested)
        {
            output.Message("interrupted before the ranks started.");
            return ExitCodes.ForSignal(UnixSignal.SigInt);
        }
    }

    private static bool IsHelpOrVersion(string[] launcherArgs)
        => launcherArgs.Any(token => token is "-h" or "--help" or "-?" or "/?" or "--version");

    private static LaunchOptions ReadOptions(ParseResult parsed)
    {
        int? ranksOption = parsed.GetValue(RanksOption);
        string? ranksPerNode = parsed.GetValue(RanksPerNodeOption);
        if (ranksOption is { } n && ranksPerNode is not null && ranksPerNode.Trim() != n.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            throw UsageError($"-n {n} and --nproc-per-node {ranksPerNode} disagree; give one of them.");
        }

        NodeLayout? nodes = NodeLayout.Read(
            parsed.GetValue(NodesOption), parsed.GetValue(NodeRankOption), ranksPerNode, ranksOption,
            parsed.GetValue(MasterAddressOption), parsed.GetValue(MasterPortOption), Environment.GetEnvironmentVariable);
        int ranks = nodes?.RanksPerNode ?? ranksOption ?? throw UsageError("-n (--np) is required: the number of ranks to start (or --nnodes and --nproc-per-node for a job across hosts).");
        InRange(RanksSetting, ranks);
        if (nodes is not null)
        {
            InRange(RanksSetting.Named("ranks in the job (--nnodes x --nproc-per-node)"), nodes.WorldSize);
        }
        double? timeout = parsed.GetValue(TimeoutOption);
        if (timeout is { } seconds)
        {
            InRange(TimeoutSetting, seconds);
        }

        double grace = parsed.GetValue(GracePeriodOption);
        InRange(GracePeriodSetting, grace);

        // Across hosts the ranks of other nodes must reach this node's: listen everywhere by default.
        string bindText = parsed.GetValue(BindOption) ?? (nodes is null ? "127.0.0.1" : "0.0.0.0");
        IPAddress bind = string.Equals(bindText, "localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback
            : IPAddress.TryParse(bindText, out IPAddress? address) ? address
            : throw UsageError($"--bind wants an IP address of this machine, such as 127.0.0.1 or 0.0.0.0 (got '{bindText}').");

        string? transport = parsed.GetValue(TransportOption);
        if (transport is not null)
        {
            transport = TransportNames.FirstOrDefault(name => string.Equals(name, transport.Trim(), StringComparison.OrdinalIgnoreCase))
                ?? throw UsageError($"--transport wants auto, shm, tcp or nic (got '{transport}').");
        }

        string? jobId = parsed.GetValue(JobIdOption);
        if (jobId is { Length: 0 })
        {
            throw UsageError("--job-id must not be empty.");
        }

        string bindToText = parsed.GetValue(BindToOption)!;
        CoreBinding bindTo = bindToText switch
        {
            "auto" => CoreBinding.Auto,
            "core" => CoreBinding.Core,
            "none" => CoreBinding.None,
            _ => throw UsageError($"--bind-to wants auto, core or none (got '{bindToText}')."),
        };

        string[] program = parsed.GetValue(ProgramArgument)!;
        return new LaunchOptions(
            ranks, program[0], program[1..], transport, timeout is { } t ? TimeoutSetting.ToDuration(t) : null, bind,
            jobId, parsed.GetValue(SecretFileOption), GracePeriodSetting.ToDuration(grace), bindTo)
        {
            Nodes = nodes,
        };
    }

    private static void InRange(NumericSetting setting, double value)
    {
        if (!setting.TryCheck(value, out string? problem))
        {
            throw UsageError(problem);
        }
    }

    /// <summary>A usage error: collrun prints it and exits with <see cref="ExitCodes.Usage"/>.</summary>
    internal static CollrunException UsageError(string message) => new(message, ExitCodes.Usage);
}
