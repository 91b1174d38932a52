using Collectives.Transport.Security;
using Collectives.Transport.Tcp;

namespace Collectives.Transport.Tests.Tcp;

/// <summary>
/// An in-process TCP job: every rank is a <see cref="TcpTransport"/> of this process, meeting
/// through an in-memory store; optionally the highest rank is a <see cref="FakeRank"/>.
/// </summary>
internal sealed class TcpJob : IAsyncDisposable
{
    private TcpJob(TcpTransport[] ranks, FakeRank? fake, InMemoryRendezvousStore store, JobCredentials credentials)
    {
        Ranks = ranks;
        Fake = fake;
        Store = store;
        Credentials = credentials;
    }

    /// <summary>The real ranks (index = rank).</summary>
    public TcpTransport[] Ranks { get; }

    /// <summary>The fake highest rank, when the job has one.</summary>
    public FakeRank? Fake { get; }

    public InMemoryRendezvousStore Store { get; }

    public JobCredentials Credentials { get; }

    public TcpTransport this[int rank] => Ranks[rank];

    /// <summary>Timeouts short enough for failure tests; heartbeats at their defaults unless a test says otherwise.</summary>
    public static TcpTransportOptions Options(Microsoft.Extensions.Logging.ILoggerFactory? loggerFactory = null) => new()
    {
        ConnectTimeout = TimeSpan.FromSeconds(10),
        HandshakeTimeout = TimeSpan.FromSeconds(2),
        LoggerFactory = loggerFactory,
    };

    /// <summary>Starts <paramref name="size"/> ranks; with <paramref name="fakeHighestRank"/>, rank size - 1 is a <see cref="FakeRank"/>.</summary>
    public static async Task<TcpJob> StartAsync(int size, Func<int, TcpTransportOptions>? options = null, bool fakeHighestRank = false)
    {
        var credentials = JobCredentials.Generate("tcp-test-" + Guid.NewGuid().ToString("N"));
        var store = new InMemoryRendezvousStore();
        int real = fakeHighestRank ? size - 1 : size;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        Task<TcpTransport>[] joining = [.. Enumerable.Range(0, real).Select(rank =>
            TcpTransport.ConnectAsync(rank, size, credentials, store, options?.Invoke(rank) ?? Options(), deadline.Token))];
        Task<FakeRank>? fake = fakeHighestRank ? FakeRank.JoinAsync(size, credentials, store, deadline.Token) : null;
        TcpTransport[] ranks = await Task.WhenAll(joining);
        return new TcpJob(ranks, fake is null ? null : await fake, store, credentials);
    }

    public async ValueTask DisposeAsync()
    {
        if (Fake is not null)
        {
            await Fake.DisposeAsync();
        }

        await Task.WhenAll(Ranks.Select(rank => rank.DisposeAsync().AsTask())).WaitAsync(TimeSpan.FromSeconds(10));
    }
}
