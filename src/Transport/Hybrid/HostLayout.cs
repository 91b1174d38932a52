namespace Collectives.Transport.Hybrid;

/// <summary>
/// Which host each rank of a job runs on, hosts numbered in the order of their lowest rank. The
/// same on every rank (it is built from the identities every rank published), so algorithms that
/// organise their messages by host agree on who does what.
/// </summary>
internal sealed class HostLayout
{
    private readonly int[] _hostOfRank;
    private readonly int[] _localIndex;
    private readonly int[][] _ranksOnHost;

    /// <param name="hostOfRank">For each rank, index = rank, its host: 0 for rank 0's, and each new host the next number in rank order.</param>
    public HostLayout(IReadOnlyList<int> hostOfRank)
    {
        ArgumentNullException.ThrowIfNull(hostOfRank);
        if (hostOfRank.Count == 0)
        {
            throw new ArgumentException("A layout needs at least one rank.", nameof(hostOfRank));
        }

        _hostOfRank = [.. hostOfRank];
        int hosts = 0;
        foreach (int host in _hostOfRank)
        {
            if (host < 0 || host > hosts)
            {
                throw new ArgumentException($"Hosts must be numbered 0, 1, ... in the order of their lowest rank; got [{string.Join(", ", _hostOfRank)}].", nameof(hostOfRank));
            }

            hosts = Math.Max(hosts, host + 1);
        }

        var ranks = new List<int>[hosts];
        _localIndex = new int[_hostOfRank.Length];
        for (int rank = 0; rank < _hostOfRank.Length; rank++)
        {
            List<int> onHost = ranks[_hostOfRank[rank]] ??= [];
            _localIndex[rank] = onHost.Count;
            onHost.Add(rank);
        }

        _ranksOnHost = [.. ranks.Select(list => list.ToArray())];
        LargestHost = _ranksOnHost.Max(list => list.Length);
        IsEven = _ranksOnHost.All(list => list.Length == LargestHost);
        IsContiguous = _ranksOnHost.All(list => list[^1] - list[0] == list.Length - 1);
    }

    /// <summary>Builds the layout from each rank's host identity (any string that is equal for ranks on one host).</summary>
    /// <param name="identities">Index = rank.</param>
    /// <returns>The layout.</returns>
    public static HostLayout FromIdentities(IReadOnlyList<string> identities)
    {
        var numbers = new Dictionary<string, int>(StringComparer.Ordinal);
        return new HostLayout([.. identities.Select(identity => numbers.TryGetValue(identity, out int host) ? host : numbers[identity] = numbers.Count)]);
    }

    /// <summary>
    /// The layout of a communicator of some of these ranks (a split or a duplicate): its rank i runs
    /// where <paramref name="ranks"/>[i] runs here, its hosts numbered anew in the order of their lowest rank.
    /// </summary>
    /// <param name="ranks">The communicator's ranks as ranks of this layout, index = the communicator's rank; at least one.</param>
    /// <returns>The communicator's layout.</returns>
    public HostLayout Restrict(IReadOnlyList<int> ranks)
    {
        ArgumentNullException.ThrowIfNull(ranks);
        var numbers = new Dictionary<int, int>();
        return new HostLayout([.. ranks.Select(rank => numbers.TryGetValue(HostOf(rank), out int host) ? host : numbers[HostOf(rank)] = numbers.Count)]);
    }

    /// <summary>
    /// Whether every host runs consecutive ranks (as collrun agents and Slurm's block distribution
    /// place them): anything laid out in rank order is then already grouped by host.
    /// </summary>
    public bool IsContiguous { get; }

    /// <summary>Number of ranks.</summary>
    public int Size => _hostOfRank.Length;

    /// <summary>Number of hosts.</summary>
    public int HostCount => _ranksOnHost.Length;

    /// <summary>Ranks on the most crowded host.</summary>
    public int LargestHost { get; }

    /// <summary>Whether every host runs the same number of ranks.</summary>
    public bool IsEven { get; }

    /// <summary>The host <paramref name="rank"/> runs on.</summary>
    public int HostOf(int rank) => _hostOfRank[rank];

    /// <summary>The place of <paramref name="rank"/> among its host's ranks (0 for the lowest).</summary>
    public int LocalIndex(int rank) => _localIndex[rank];

    /// <summary>The ranks on <paramref name="host"/>, ascending.</summary>
    public ReadOnlySpan<int> RanksOn(int host) => _ranksOnHost[host];

    /// <inheritdoc />
    public override string ToString() => $"{HostCount} hosts of {string.Join(", ", _ranksOnHost.Select(ranks => ranks.Length))} ranks";
}
