using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Collectives.Transport.Rendezvous;
using Collectives.Transport.Security;
using Collectives.Tests.Shared.Network;

namespace Collectives.Transport.Tests.Rendezvous;

[CancelAfter(30_000)]
public class RendezvousClientConnectionTests
{
    [Test]
    public async Task A_client_started_before_the_server_retries_until_it_appears()
    {
        int port = TestPorts.Free();
        var credentials = JobCredentials.Generate("early-client");
        var endpoint = new IPEndPoint(IPAddress.Loopback, port);

        Task<RendezvousClient> connecting = RendezvousClient.ConnectAsync(endpoint, credentials, TimeSpan.FromSeconds(10), CancellationToken.None);
        await Task.Delay(700);
        Assert.That(connecting.IsCompleted, Is.False, "the client gave up or connected while nobody listened");

        await using RendezvousServer server = await RendezvousServer.StartAsync(endpoint, credentials, null, CancellationToken.None);
        await using RendezvousClient client = await connecting.WaitAsync(TimeSpan.FromSeconds(5));
        await client.SetAsync("k", new byte[] { 5 }, CancellationToken.None);
        Assert.That(await client.GetAsync("k", CancellationToken.None), Is.EqualTo(new byte[] { 5 }));
    }

    [Test]
    public async Task A_client_accepts_a_host_name_endpoint()
    {
        await using RendezvousTestServer server = await RendezvousTestServer.StartAsync();
        var byName = new DnsEndPoint("localhost", server.Server.Endpoint.Port);

        await using RendezvousClient client = await RendezvousClient.ConnectAsync(byName, server.Credentials, TimeSpan.FromSeconds(5), CancellationToken.None);
        await client.SetAsync("named", new byte[] { 1 }, CancellationToken.None);
        Assert.That(await client.GetAsync("named", CancellationToken.None), Is.EqualTo(new byte[] { 1 }));
    }

    [Test]
    public async Task Nobody_listening_within_the_connect_timeout_is_reported_with_the_address()
    {
        var endpoint = new IPEndPoint(IPAddress.Loopback, TestPorts.Free());
        var stopwatch = Stopwatch.StartNew();

        RendezvousUnavailableException? error = await Assert.ThrowsAsync<RendezvousUnavailableException>(
            async () => await RendezvousClient.ConnectAsync(endpoint, JobCredentials.Generate("nobody"), TimeSpan.FromMilliseconds(600), CancellationToken.None));

        Assert.That(error!.Message, Does.Contain(endpoint.ToString()).And.Contain("0.6 s"));
        Assert.That(error.Server, Is.EqualTo(endpoint));
        Assert.That(stopwatch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
    }

    [Test]
    public async Task Cancelling_the_connect_stops_the_retries()
    {
        var endpoint = new IPEndPoint(IPAddress.Loopback, TestPorts.Free());
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var stopwatch = Stopwatch.StartNew();

        await Assert.CatchAsync<OperationCanceledException>(
            async () => await RendezvousClient.ConnectAsync(endpoint, JobCredentials.Generate("cancelled"), TimeSpan.FromSeconds(20), cancel.Token));
        Assert.That(stopwatch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
    }

    [Test]
    public async Task A_cancelled_get_returns_at_once_releases_the_server_side_wait_and_the_client_stays_usable()
    {
        await using RendezvousTestServer server = await RendezvousTestServer.StartAsync();
        await using RendezvousClient client = await server.ConnectAsync();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.CatchAsync<OperationCanceledException>(async () => await client.GetAsync("never", cancel.Token));

        Assert.That(await server.Log.WaitForAsync("disconnected"), Is.Not.Null, "the server kept waiting for a client that gave up");
        await client.SetAsync("afterwards", new byte[] { 7 }, CancellationToken.None);
        Assert.That(await client.GetAsync("afterwards", CancellationToken.None), Is.EqualTo(new byte[] { 7 }));
    }

    [Test]
    public async Task Stopping_the_server_fails_a_waiting_get_instead_of_hanging()
    {
        RendezvousTestServer server = await RendezvousTestServer.StartAsync();
        await using RendezvousClient client = await server.ConnectAsync();
        Task<byte[]> pending = client.GetAsync("never", CancellationToken.None).AsTask();
        await Task.Delay(100);

        await server.DisposeAsync();

        RendezvousUnavailableException? error = await Assert.ThrowsAsync<RendezvousUnavailableException>(async () => await pending.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.That(error!.Message, Does.Contain("GET 'never'"));
    }

    [Test]
    public void A_connection_the_kernel_joined_to_itself_is_recognised_so_the_client_drops_it_and_knocks_again()
    {
        // What happens by chance when a client knocks on a local port nobody listens on and the
        // kernel picks that same port as the attempt's own: made certain here by binding first.
        int port = TestPorts.Free();
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
        socket.Connect(new IPEndPoint(IPAddress.Loopback, port));

        Assert.That(RendezvousClient.IsConnectedToItself(socket), Is.True);
    }

    [Test]
    public async Task A_connection_to_a_listening_server_is_not_taken_for_a_self_connect()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(listener.LocalEndpoint);

        Assert.That(RendezvousClient.IsConnectedToItself(socket), Is.False);
    }

    [Test]
    public async Task A_disposed_client_refuses_further_requests()
    {
        await using RendezvousTestServer server = await RendezvousTestServer.StartAsync();
        RendezvousClient client = await server.ConnectAsync();
        await client.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await client.GetAsync("k", CancellationToken.None));
    }
}
