using System.Globalization;
using System.Net;
using Collectives.Bootstrap;

namespace Collectives.Launcher;

/// <summary>
/// Where this collrun sits in a job of several nodes, as torchrun's agent does: one collrun per
/// node starts that node's ranks, global rank = node rank × ranks per node + local rank, and the
/// agent of node 0 hosts the rendezvous on the master address and port, which every rank reaches.
/// Kubernetes Trainer v2 and Slurm's one-task-per-node run it that way.
/// </summary>
/// <param name="Nodes">How many nodes (agents) the job has.</param>
/// <param name="NodeRank">This node's place among them, from 0.</param>
/// <param name="RanksPerNode">Ranks each node starts.</param>
/// <param name="MasterAddress">The host of node 0, where the rendezvous is hosted.</param>
/// <param name="MasterPort">The rendezvous port on it.</param>
internal sealed record NodeLayout(int Nodes, int NodeRank, int RanksPerNode, string MasterAddress, int MasterPort)
{
    /// <summary>The port torchrun uses when none is given.</summary>
    public const int DefaultMasterPort = 29500;

    /// <summary>Kubeflow Trainer v2's variables, read when the options are not given.</summary>
    public const string NodesVariable = "PET_NNODES";

    /// <inheritdoc cref="NodesVariable"/>
    public const string RanksPerNodeVariable = "PET_NPROC_PER_NODE";

    /// <inheritdoc cref="NodesVariable"/>
    public const string NodeRankVariable = "PET_NODE_RANK";

    /// <inheritdoc cref="NodesVariable"/>
    public const string MasterAddressVariable = "PET_MASTER_ADDR";

    /// <inheritdoc cref="NodesVariable"/>
    public const string MasterPortVariable = "PET_MASTER_PORT";

    /// <summary>Ranks in the whole job.</summary>
    public int WorldSize => Nodes * RanksPerNode;

    /// <summary>Whether this node's agent hosts the rendezvous.</summary>
    public bool HostsRendezvous => NodeRank == 0;

    /// <summary>The rendezvous as ranks reach it, <c>host:port</c>.</summary>
    public string Rendezvous => MasterAddress.Contains(':', StringComparison.Ordinal) && IPAddress.TryParse(MasterAddress, out _)
        ? $"[{MasterAddress}]:{MasterPort.ToString(CultureInfo.InvariantCulture)}"
        : $"{MasterAddress}:{MasterPort.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The global rank of this node's local rank <paramref name="localRank"/>.</summary>
    public int GlobalRank(int localRank) => (NodeRank * RanksPerNode) + localRank;

    /// <summary>
    /// The layout the options give, with Trainer v2's PET_* variables (and MASTER_ADDR/MASTER_PORT)
    /// where an option is missing; null when neither names a node count (a job on this machine alone).
    /// </summary>
    /// <param name="nodes">--nnodes.</param>
    /// <param name="nodeRank">--node-rank.</param>
    /// <param name="ranksPerNode">--nproc-per-node.</param>
    /// <param name="ranks">-n, the same as --nproc-per-node in a job of several nodes.</param>
    /// <param name="masterAddress">--master-addr.</param>
    /// <param name="masterPort">--master-port.</param>
    /// <param name="environment">Reads an environment variable.</param>
    /// <exception cref="CollrunException">A usage error, naming the option or variable.</exception>
    public static NodeLayout? Read(int? nodes, int? nodeRank, string? ranksPerNode, int? ranks, string? masterAddress, int? masterPort, Func<string, string?> environment)
    {
        int? nodeCount = nodes ?? Whole(environment(NodesVariable), NodesVariable);
        if (nodeCount is null)
        {
            string? stray = nodeRank is not null ? "--node-rank" : masterAddress is not null ? "--master-addr" : masterPort is not null ? "--master-port" : ranksPerNode is not null ? "--nproc-per-node" : null;
            return stray is null ? null : throw CollrunCommand.UsageError($"{stray} is for a job of several nodes: give --nnodes too (or {NodesVariable}).");
        }

        if (nodeCount < 1)
        {
            throw CollrunCommand.UsageError($"--nnodes must be at least 1 (got {nodeCount}).");
        }

        int rank = nodeRank ?? Whole(environment(NodeRankVariable), NodeRankVariable)
            ?? (nodeCount == 1 ? 0 : throw CollrunCommand.UsageError($"--node-rank is required with --nnodes {nodeCount} (or {NodeRankVariable}): this node's place, 0 to {nodeCount - 1}."));
        if (rank < 0 || rank >= nodeCount)
        {
            throw CollrunCommand.UsageError($"--node-rank {rank} is not a node of {nodeCount}: it must be 0 to {nodeCount - 1}.");
        }

        string perNodeText = ranksPerNode ?? ranks?.ToString(CultureInfo.InvariantCulture) ?? environment(RanksPerNodeVariable)
            ?? throw CollrunCommand.UsageError($"--nproc-per-node (or -n, or {RanksPerNodeVariable}) is required: the ranks each node starts.");
        int perNode = ParseRanksPerNode(perNodeText);
        string address = masterAddress ?? environment(MasterAddressVariable) ?? environment(LaunchVariables.MasterAddress)
            ?? (nodeCount == 1 ? "127.0.0.1" : throw CollrunCommand.UsageError($"--master-addr is required with --nnodes {nodeCount} (or {MasterAddressVariable}): the host of node 0, which every node can reach."));
        int port = masterPort ?? Whole(environment(MasterPortVariable), MasterPortVariable) ?? Whole(environment(LaunchVariables.MasterPort), LaunchVariables.MasterPort) ?? DefaultMasterPort;
        if (port is < 1 or > 65535)
        {
            throw CollrunCommand.UsageError($"--master-port {port} is not a port number (1-65535).");
        }

        return new NodeLayout(nodeCount.Value, rank, perNode, address.Trim('[', ']'), port);
    }

    /// <summary>A count, or auto/cpu for this machine's processor count (as torchrun reads them).</summary>
    private static int ParseRanksPerNode(string text)
    {
        if (text.Trim() is "auto" or "cpu")
        {
            return Environment.ProcessorCount;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int count) && count >= 1 && count <= 4096
            ? count
            : throw CollrunCommand.UsageError($"ranks per node must be a whole number from 1 to 4096, or auto or cpu (got '{text}').");
    }

    private static int? Whole(string? text, string variable)
        => text is null ? null
            : int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value) ? value
            : throw CollrunCommand.UsageError($"{variable}='{text}' is not a whole number.");
}
