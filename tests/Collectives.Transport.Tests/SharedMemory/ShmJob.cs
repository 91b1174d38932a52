using Collectives.Transport.Security;
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

    /// <summary>Options with no spinning or yielding: every wait that is not met at once sleeps on the futex.</summary>
    public static SharedMemoryTransportOptions QuickToSleep { get; } = new()
    {
        SpinDuration = TimeSpan.Zero,
        YieldDuration = TimeSpan.Zero,
        OversubscribedSpinDuration = TimeSpan.Zero,
        OversubscribedYieldDuration = TimeSpan.Zero,
    };

    public string JobId { get; }

    public SharedMemoryTransport[] Ranks { get; }

    public SharedMemoryTransport this[int rank] => Ranks[rank];

    public static async Task<ShmJob> StartAsync(int size, SharedMemoryTransportOptions? options = null, JobCredentials? credentials = null)
    {
        credentials ??= JobCredentials.Generate($"test-{Guid.NewGuid():N}");
        string jobId = credentials.JobId;
        var store = new InMemoryRendezvousStore();
        SharedMemoryTransport[] ranks = await Task.WhenAll(Enumerable.Range(0, size)
            .Select(rank => SharedMemoryTransport.ConnectAsync(rank, size, credentials, store, options, CancellationToken.None)));
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
