using System.Net;

namespace Collectives.Launcher;

/// <summary>What the user asked collrun for, checked.</summary>
/// <param name="Ranks">Number of ranks this collrun starts (with <see cref="Nodes"/>, on this node).</param>
/// <param name="Program">The program: an executable, a .dll, a project file or a project folder.</param>
/// <param name="Arguments">The program's arguments.</param>
/// <param name="Transport">Passed to the ranks as COLLECTIVES_TRANSPORT, or null to leave the choice to them.</param>
/// <param name="Timeout">Passed to the ranks as COLLECTIVES_TIMEOUT, or null.</param>
/// <param name="Bind">Where the rendezvous server and the ranks listen (the server's port chosen by the system, or the master port).</param>
/// <param name="JobId">The job id to use, or null to generate one.</param>
/// <param name="SecretFile">A file holding the job's secret in base64, or null to generate one.</param>
/// <param name="GracePeriod">How long ranks asked to stop (SIGTERM, forwarded SIGINT) get before they are killed.</param>
/// <param name="BindTo">Whether each rank is pinned to a processor.</param>
internal sealed record LaunchOptions(
    int Ranks,
    string Program,
    IReadOnlyList<string> Arguments,
    string? Transport,
    TimeSpan? Timeout,
    IPAddress Bind,
    string? JobId,
    string? SecretFile,
    TimeSpan GracePeriod,
    Jobs.CoreBinding BindTo = Jobs.CoreBinding.None)
{
    /// <summary>Default of <see cref="GracePeriod"/>: 5 seconds.</summary>
    public static readonly TimeSpan DefaultGracePeriod = TimeSpan.FromSeconds(5);

    /// <summary>This node's place in a job across hosts, or null for a job on this machine alone.</summary>
    public NodeLayout? Nodes { get; init; }

    /// <summary>Ranks in the whole job: on every node, or on this machine alone.</summary>
    public int JobSize => Nodes?.WorldSize ?? Ranks;

    /// <summary>The job's rank of the <paramref name="localIndex"/>-th rank this collrun starts.</summary>
    public int JobRank(int localIndex) => Nodes?.GlobalRank(localIndex) ?? localIndex;
}
