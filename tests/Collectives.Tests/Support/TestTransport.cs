using System.Net;
using Collectives.Transport;
using Collectives.Transport.Security;
using Collectives.Transport.SharedMemory;
using Collectives.Transport.Tcp;

namespace Collectives.Tests.Support;

/// <summary>The transports a test job can run over, all with ranks in this process.</summary>
public enum TestTransport
{
    /// <summary>Ranks talk through memory (<see cref="Communicator.CreateLocal"/>).</summary>
    InProcess,

    /// <summary>Ranks talk through real loopback TCP connections (an in-memory rendezvous store).</summary>
    Tcp,

    /// <summary>
    /// Ranks map one real /dev/shm segment each (an in-memory rendezvous store), with small rings and
    /// windows so that streaming and chunking run on small counts.
    /// </summary>
    SharedMemory,
}

/// <summary>Creates the communicators of an in-process job over a <see cref="TestTransport"/>.</summary>
internal static class TestJobs
{
    public static Communicator[] Create(int size, CommunicatorOptions? options, TestTransport transport) => transport switch
    {
        TestTransport.InProcess => Communicator.CreateLocal(size, options),
        TestTransport.Tcp => CreateTcp(size, options),
        TestTransport.SharedMemory => CreateSharedMemory(size, options),
        _ => throw new ArgumentOutOfRangeException(nameof(transport), transport, null),
    };

    /// <summary>Rings of 4 KiB and windows of 8 KiB (3 KiB chunks, after the 2 KiB flag area): the smallest the transport accepts.</summary>
    public static readonly SharedMemoryTransportOptions SmallSharedMemory = new() { RingCapacity = 4096, WindowLength = 8192 };

    private static Communicator[] CreateSharedMemory(int size, CommunicatorOptions? options)
    {
        string jobId = $"test-{Guid.NewGuid():N}";
        var store = new InMemoryRendezvousStore();
        var credentials = Collectives.Transport.Security.JobCredentials.Generate(jobId);
        SharedMemoryTransport[] transports = Task.WhenAll(Enumerable.Range(0, size)
                .Select(rank => SharedMemoryTransport.ConnectAsync(rank, size, credentials, store, SmallSharedMemory, CancellationToken.None)))
            .GetAwaiter().GetResult();
        string[] leftovers = Directory.GetFiles("/dev/shm", SharedMemoryTransport.SegmentNamePrefix(jobId) + "*");
        if (leftovers.Length != 0)
        {
            throw new InvalidOperationException($"The segment is still named in /dev/shm after every rank connected: {string.Join(", ", leftovers)}.");
        }

        return [.. transports.Select(transport => Communicator.Create(transport, options))];
    }

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
