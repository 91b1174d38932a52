using Collectives.Transport.SharedMemory;

namespace Collectives.Transport.Tests.SharedMemory;

/// <summary>The ranks of one shared-memory job as transports in this process, each with its own mapping of the segment.</summary>
internal sealed class ShmJob : IAsyncDisposable
{
    private ShmJob(string jobId, SharedMemoryTransport[] ranks)
    {
        JobId = jobId;
        Ranks = ranks;
    }

    public string JobId { get; }

    public SharedMemoryTransport[] Ranks { get; }

    public SharedMemoryTransport this[int rank] => Ranks[rank];

    public static async Task<ShmJob> StartAsync(int size, SharedMemoryTransportOptions? options = null)
    {
        string jobId = $"test-{Guid.NewGuid():N}";
        var store = new InMemoryRendezvousStore();
        SharedMemoryTransport[] ranks = await Task.WhenAll(Enumerable.Range(0, size)
            .Select(rank => SharedMemoryTransport.ConnectAsync(rank, size, jobId, store, options, CancellationToken.None)));
        return new ShmJob(jobId, ranks);
    }

    /// <summary>Segments of this job still named in /dev/shm.</summary>
    public static string[] Leftovers(string jobId)
        => Directory.GetFiles("/dev/shm", SharedMemoryTransport.SegmentNamePrefix(jobId) + "*");

    public async ValueTask DisposeAsync()
    {
        foreach (SharedMemoryTransport rank in Ranks)
        {
            await rank.DisposeAsync();
        }
    }
}
