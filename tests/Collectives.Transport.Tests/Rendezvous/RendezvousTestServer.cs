using Collectives.Transport.Tests.Support;
using System.Net;
using System.Net.Sockets;
using Collectives.Transport.Rendezvous;
using Collectives.Transport.Security;

namespace Collectives.Transport.Tests.Rendezvous;

/// <summary>A loopback rendezvous server with a capturing log, and ways to talk to it.</summary>
internal sealed class RendezvousTestServer : IAsyncDisposable
{
    private RendezvousTestServer(RendezvousServer server, JobCredentials credentials, ListLoggerFactory log)
    {
        Server = server;
        Credentials = credentials;
        Log = log;
    }

    public RendezvousServer Server { get; }

    public JobCredentials Credentials { get; }

    public ListLoggerFactory Log { get; }

    public static async Task<RendezvousTestServer> StartAsync(TimeSpan? handshakeTimeout = null, TimeProvider? clock = null)
    {
        var credentials = JobCredentials.Generate("rendezvous-test");
        var log = new ListLoggerFactory();
        RendezvousServer server = await RendezvousServer.StartAsync(
            new IPEndPoint(IPAddress.Loopback, 0), credentials, log, handshakeTimeout ?? RendezvousServer.HandshakeTimeout, CancellationToken.None, clock);
        return new RendezvousTestServer(server, credentials, log);
    }

    public Task<RendezvousClient> ConnectAsync(JobCredentials? credentials = null)
        => RendezvousClient.ConnectAsync(Server.Endpoint, credentials ?? Credentials, TimeSpan.FromSeconds(5), CancellationToken.None);

    /// <summary>A raw socket to the server, not yet authenticated.</summary>
    public async Task<NetworkStream> OpenRawAsync()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(Server.Endpoint);
        return new NetworkStream(socket, ownsSocket: true);
    }

    /// <summary>A raw socket that passed the handshake, for sending hand-made frames.</summary>
    public async Task<NetworkStream> OpenAuthenticatedAsync()
    {
        NetworkStream stream = await OpenRawAsync();
        await Handshake.ConnectAsync(stream, Credentials, HandshakePurpose.Rendezvous, -1, -1, CancellationToken.None);
        return stream;
    }

    /// <summary>Checks the server still serves a well-behaved client.</summary>
    public async Task AssertStillServesAsync()
    {
        await using RendezvousClient client = await ConnectAsync();
        string key = "alive-" + Guid.NewGuid();
        await client.SetAsync(key, new byte[] { 42 }, CancellationToken.None);
        Assert.That(await client.GetAsync(key, CancellationToken.None), Is.EqualTo(new byte[] { 42 }));
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
