using Collectives.Catalog;
using Collectives.Offload;

namespace Collectives.Selection;

/// <summary>
/// Which algorithms a communicator can run, by execution model: message algorithms always,
/// window algorithms when all its ranks share one shared-memory segment, offload when it has an
/// engine and the engine takes the call. Every rank of a communicator answers alike.
/// </summary>
internal sealed class AlgorithmAvailability(bool windows, IOffloadEngine? offload, string transportName)
{
    /// <summary>A communicator that only passes messages (no windows, no engine).</summary>
    public static AlgorithmAvailability MessagesOnly { get; } = new(windows: false, offload: null, "none");

    /// <summary>Whether every rank maps one shared-memory segment.</summary>
    public bool Windows => windows;

    /// <summary>Whether the communicator can run <paramref name="algorithm"/> for <paramref name="request"/>.</summary>
    public bool Offers(CollectiveAlgorithm algorithm, in OffloadRequest request) => algorithm.Model switch
    {
        ExecutionModel.Messages => true,
        ExecutionModel.Windows => windows,
        ExecutionModel.Offload => offload is not null && offload.Supports(request),
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
            ExecutionModel.Offload when offload is null => $"The {collective} algorithm {algorithm.Name} runs on an offload engine, but this communicator has none; "
                + "set CommunicatorOptions.Offload or launch with collrun --transport nic, or pick another algorithm.",
            _ => $"The offload engine {offload?.Name} does not run this {collective} ({request.Op}, {request.Count} x {request.DataType?.ToString() ?? "nothing"}, {request.Bytes} bytes); pick another algorithm.",
        });
    }
}
