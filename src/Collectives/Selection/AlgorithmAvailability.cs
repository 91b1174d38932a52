using Collectives.Catalog;
using Collectives.Offload;
using Collectives.Transport.Hybrid;

namespace Collectives.Selection;

/// <summary>
/// Which algorithms a communicator can run, by execution model: message algorithms always,
/// window algorithms when all its ranks share one shared-memory segment, offload when it has an
/// engine and the engine takes the call, node-aware ones when its ranks span hosts and some host
/// runs more than one (those for even layouts only when every host runs as many). Every rank of a
/// communicator answers alike: every rank knows the whole layout.
/// </summary>
internal sealed class AlgorithmAvailability(bool windows, IOffloadEngine? offload, string transportName, HostLayout? hosts = null)
{
    /// <summary>A communicator that only passes messages (no windows, no engine, one host as far as it knows).</summary>
    public static AlgorithmAvailability MessagesOnly { get; } = new(windows: false, offload: null, "none");

    /// <summary>Whether every rank maps one shared-memory segment.</summary>
    public bool Windows => windows;

    /// <summary>Number of hosts the ranks run on (1 when the communicator does not know its layout).</summary>
    public int HostCount => hosts?.HostCount ?? 1;

    /// <summary>Ranks on the most crowded host, or null when the communicator does not know its layout.</summary>
    public int? LargestHost => hosts?.LargestHost;

    private bool NodeAware => hosts is { HostCount: > 1, LargestHost: > 1 };

    /// <summary>Whether the communicator can run <paramref name="algorithm"/> for <paramref name="request"/>.</summary>
    public bool Offers(CollectiveAlgorithm algorithm, in OffloadRequest request) => algorithm.Model switch
    {
        ExecutionModel.Messages => true,
        ExecutionModel.Windows => windows,
        ExecutionModel.Offload => offload is not null && offload.Supports(request),
        ExecutionModel.NodeAware => NodeAware && (!algorithm.NeedsEvenHosts || hosts!.IsEven),
        _ => false,
    };

    /// <summary>Refuses a forced algorithm the communicator cannot run, saying why and what to do.</summary>
    public void RequireOffered(CollectiveAlgorithm algorithm, in OffloadRequest request)
    {
        if (Offers(algorithm, request))
        {
            return;
        }

        string collective = AlgorithmCatalog.NameOf(algorithm.Collective);
        throw new NotSupportedException(algorithm.Model switch
        {
            ExecutionModel.Windows => $"The {collective} algorithm {algorithm.Name} works in shared memory, but this communicator's ranks do not all share one "
                + $"shared-memory segment (its transport is {transportName}); launch with --transport shm or auto on one host, or pick another algorithm.",
            ExecutionModel.NodeAware when !NodeAware => $"The {collective} algorithm {algorithm.Name} organises its messages by host, but this communicator's ranks "
                + (hosts is null ? $"do not span hosts as far as it knows (its transport is {transportName}; node-aware algorithms need the auto transport across hosts)"
                    : $"run {hosts}, one per host or all on one") + "; pick another algorithm.",
            ExecutionModel.NodeAware => $"The {collective} algorithm {algorithm.Name} needs every host to run as many ranks, but this communicator's ranks run {hosts}; pick another algorithm.",
            ExecutionModel.Offload when offload is null => $"The {collective} algorithm {algorithm.Name} runs on an offload engine, but this communicator has none; "
                + "set CommunicatorOptions.Offload or launch with collrun --transport nic, or pick another algorithm.",
            _ => $"The offload engine {offload?.Name} does not run this {collective} ({request.Op}, {request.Count} x {request.DataType?.ToString() ?? "nothing"}, {request.Bytes} bytes); pick another algorithm.",
        });
    }
}
