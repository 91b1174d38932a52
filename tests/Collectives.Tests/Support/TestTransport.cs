using System.Net;
using Collectives.Transport;
using Collectives.Transport.Security;
using Collectives.Transport.Tcp;

namespace Collectives.Tests.Support;

/// <summary>The transports a test job can run over, all with ranks in this process.</summary>
public enum TestTransport
{
    /// <summary>Ranks talk through memory (<see cref="Communicator.CreateLocal"/>).</summary>
    InProcess,

    /// <summary>Ranks talk through real loopback TCP connections (an in-memory rendezvous store).</summary>
    Tcp,
}

/// <summary>Creates the communicators of an in-process job over a <see cref="TestTransport"/>.</summary>
internal static class TestJobs
{
    public static Communicator[] Create(int size, CommunicatorOptions? options, TestTransport transport) => transport switch
    {
        TestTransport.InProcess => Communicator.CreateLocal(size, options),
        TestTransport.Tcp => CreateTcp(size, options),
        _ => throw new ArgumentOutOfRangeException(nameof(transport), transport, null),
    };

    private static Communicator[] CreateTcp(int size, CommunicatorOptions? options)
    {
        JobCredentials credentials = JobCredentials.Generate($"test-{Guid.NewGuid():N}");
        var store = new InMemoryRendezvousStore();
        var tcpOptions = new TcpTransportOptions { BindAddress = IPAddress.Loopback, ConnectTimeout = TimeSpan.FromSeconds(30) };
        TcpTransport[] transports = Task.WhenAll(Enumerable.Range(0, size)
                .Select(rank => TcpTransport.ConnectAsync(rank, size, credentials, store, tcpOptions, CancellationToken.None)))
            .GetAwaiter().GetResult();
        return [.. transports.Select(transport => Communicator.Create(transport, options))];
    }
}
