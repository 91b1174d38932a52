using Collectives.Transport.Security;
using Collectives.Transport.Tcp;

namespace Collectives.Transport.Tests.Tcp;

/// <summary>An in-process TCP job: every rank is a <see cref="TcpTransport"/> of this process, meeting through an in-memory store.</summary>
internal sealed class TcpJob : IAsyncDisposable
{
    private TcpJob(TcpTransport[] ranks, InMemoryRendezvousStore store, JobCredentials credentials)
    {
        Ranks = ranks;
        Store = store;
        Credentials = credentials;
    }

    public TcpTransport[] Ranks { get; }

    public InMemoryRendezvousStore Store { get; }

    public JobCredentials Credentials { get; }

    public TcpTransport this[int rank] => Ranks[rank];

    /// <summary>Short timeouts so failure tests finish quickly; heartbeats fast enough for them.</summary>
    public static TcpTransportOptions FastOptions(Microsoft.Extensions.Logging.ILoggerFactory? loggerFactory = null) => new()
    {
        ConnectTimeout = TimeSpan.FromSeconds(10),
        HandshakeTimeout = TimeSpan.FromSeconds(2),
        LoggerFactory = loggerFactory,
    };

    public static async Task<TcpJob> StartAsync(int size, Func<int, TcpTransportOptions>? options = null, JobCredentials? credentials = null)
    {
        credentials ??= JobCredentials.Generate("tcp-test");
        var store = new InMemoryRendezvousStore();
        Task<TcpTransport>[] joining = [.. Enumerable.Range(0, size).Select(rank =>
            TcpTransport.ConnectAsync(rank, size, credentials, store, options?.Invoke(rank) ?? FastOptions()))];
        TcpTransport[] ranks = await Task.WhenAll(joining).WaitAsync(TimeSpan.FromSeconds(20));
        return new TcpJob(ranks, store, credentials);
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(Ranks.Select(rank => rank.DisposeAsync().AsTask())).WaitAsync(TimeSpan.FromSeconds(10));
    }
}
