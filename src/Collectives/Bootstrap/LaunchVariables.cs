namespace Collectives.Bootstrap;

/// <summary>
/// Names of the environment variables bootstrap reads. <c>collrun</c> sets the
/// <c>COLLECTIVES_*</c> ones for each rank; under another launcher a user may export some of them
/// (see docs/launching.md).
/// </summary>
internal static class LaunchVariables
{
    /// <summary>This process's rank, 0-based (set by collrun).</summary>
    public const string Rank = "COLLECTIVES_RANK";

    /// <summary>Number of ranks in the job (set by collrun).</summary>
    public const string Size = "COLLECTIVES_SIZE";

    /// <summary>This process's index among the ranks on its host (set by collrun).</summary>
    public const string LocalRank = "COLLECTIVES_LOCAL_RANK";

    /// <summary>The rendezvous server, <c>host:port</c> (<c>[v6address]:port</c> for IPv6). Set by collrun; under other launchers it overrides <see cref="MasterAddress"/> and <see cref="MasterPort"/>.</summary>
    public const string Rendezvous = "COLLECTIVES_RENDEZVOUS";

    /// <summary>Identifies the job; ranks of different jobs refuse each other's connections.</summary>
    public const string JobId = "COLLECTIVES_JOB_ID";

    /// <summary>The job's shared secret in base64 (at least 16 bytes once decoded).</summary>
    public const string Secret = "COLLECTIVES_SECRET";

    /// <summary>The transport the ranks should use (for example <c>tcp</c>); passed through by collrun's <c>--transport</c>.</summary>
    public const string Transport = "COLLECTIVES_TRANSPORT";

    /// <summary>
    /// Where this rank listens for its peers: an IP address or a network interface name. Default:
    /// loopback when the rendezvous address is a loopback address, else every interface. Passed
    /// through by collrun's <c>--bind</c>.
    /// </summary>
    public const string Bind = "COLLECTIVES_BIND";

    /// <summary>
    /// Which network interface a rank listens on and advertises when <see cref="Bind"/> is not set,
    /// in NCCL_SOCKET_IFNAME's syntax: name prefixes (<c>eth,en</c>), exact names (<c>=eth0</c>),
    /// or prefixes to leave out (<c>^docker,lo</c>). Unset: every interface, advertised by host name
    /// (loopback when the rendezvous is).
    /// </summary>
    public const string SocketInterface = "COLLECTIVES_SOCKET_IFNAME";

    /// <summary>
    /// A directory where each communicator writes its flight record (its last calls) when a call
    /// fails or the process gets SIGTERM; collrun sets it and prints every rank's records side by
    /// side when a job fails. Unset: nothing is written.
    /// </summary>
    public const string FlightRecords = "COLLECTIVES_FLIGHT_RECORDS";

    /// <summary>Seconds a collective may wait (read by <see cref="CommunicatorOptions"/>); passed through by collrun's <c>--timeout</c>.</summary>
    public const string Timeout = CommunicatorOptions.TimeoutVariable;

    /// <summary>Host of the rendezvous server under torchrun-style launchers (and any non-collrun launcher).</summary>
    public const string MasterAddress = "MASTER_ADDR";

    /// <summary>Port of the rendezvous server under torchrun-style launchers (and any non-collrun launcher).</summary>
    public const string MasterPort = "MASTER_PORT";

    /// <summary>
    /// The rank, size and local-rank variables of the other launchers bootstrap recognises
    /// (Open MPI, MPICH, Slurm, torchrun). collrun removes them from its ranks' environment: when
    /// collrun itself runs inside such a job, the outer launcher's values describe collrun, not
    /// its ranks, and would contradict <see cref="Rank"/> and <see cref="Size"/>.
    /// </summary>
    public static IReadOnlyList<string> OtherLaunchersRankVariables { get; } =
        [.. ForeignLauncher.InPrecedenceOrder.SelectMany(launcher => new[] { launcher.RankVariable, launcher.SizeVariable, launcher.LocalRankVariable })];
}
