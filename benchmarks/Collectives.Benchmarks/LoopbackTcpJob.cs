using Collectives.Transport;
using Collectives.Transport.Security;
using Collectives.Transport.Tcp;

namespace Collectives.Benchmarks;

/// <summary>
/// Two ranks of a TCP job in this process: <see cref="TcpTransport"/>s with their default settings,
/// meeting through an in-memory store and talking over loopback.
/// </summary>
internal sealed class LoopbackTcpJob : IDisposable
{
    private readonly TcpTransport[] _ranks;

    private LoopbackTcpJob(TcpTransport[] ranks) => _ranks = ranks;

    /// <summary>The transport of <paramref name="rank"/> (0 or 1).</summary>
    /// <param name="rank">The rank.</param>
    public TcpTransport this[int rank] => _ranks[rank];

    /// <summary>Connects both ranks; gives up after 20 seconds.</summary>
    /// <returns>The connected job.</returns>
    public static LoopbackTcpJob Start()
    {
        var credentials = JobCredentials.Generate("tcp-benchmark-" + Guid.NewGuid().ToString("N"));
        var store = new InMemoryRendezvousStore();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        Task<TcpTransport> first = TcpTransport.ConnectAsync(0, 2, credentials, store, cancellationToken: deadline.Token);
        Task<TcpTransport> second = TcpTransport.ConnectAsync(1, 2, credentials, store, cancellationToken: deadline.Token);
        return new LoopbackTcpJob(Task.WhenAll(first, second).GetAwaiter().GetResult());
    }

    /// <summary>Throws unless <paramref name="received"/> was delivered: the expected tag and length.</summary>
    /// <param name="received">What a receive found.</param>
    public static void ThrowUnlessDelivered(ReceivedMessage received)
    {
        if (!received.Delivered)
        {
            throw new InvalidOperationException($"A message arrived with tag {received.Tag} and {received.Length} bytes, not as sent.");
        }
    }

    /// <summary>Closes both ranks.</summary>
    public void Dispose()
        => Task.WhenAll(_ranks.Select(rank => rank.DisposeAsync().AsTask())).WaitAsync(TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
}
