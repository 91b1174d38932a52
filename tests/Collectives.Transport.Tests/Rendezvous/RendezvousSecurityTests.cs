using Collectives.Transport.Tests.Support;
using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using Collectives.Transport.Rendezvous;
using Collectives.Transport.Security;

namespace Collectives.Transport.Tests.Rendezvous;

[CancelAfter(30_000)]
public class RendezvousSecurityTests
{
    [Test]
    public async Task A_client_with_the_wrong_secret_is_refused_and_logged()
    {
        await using RendezvousTestServer server = await RendezvousTestServer.StartAsync();
        var impostor = JobCredentials.Generate(server.Credentials.JobId);

        ProtocolException? error = await Assert.ThrowsAsync<ProtocolException>(async () => await server.ConnectAsync(impostor));

        Assert.That(error!.Message, Does.Contain("secret"));
        Assert.That(await server.Log.WaitForAsync("refused a connection"), Does.Contain("secret"));
        await server.AssertStillServesAsync();
    }

    [Test]
    public async Task A_client_of_another_job_is_refused_and_logged()
    {
        await using RendezvousTestServer server = await RendezvousTestServer.StartAsync();
        var otherJob = JobCredentials.FromBase64("another-job", server.Credentials.SecretToBase64());

        ProtocolException? error = await Assert.ThrowsAsync<ProtocolException>(async () => await server.ConnectAsync(otherJob));

        Assert.That(error!.Message, Does.Contain("different job"));
        Assert.That(await server.Log.WaitForAsync("refused a connection"), Does.Contain("different job"));
        await server.AssertStillServesAsync();
    }

    [Test]
    public async Task Garbage_instead_of_a_handshake_is_refused_and_the_server_keeps_serving()
    {
        await using RendezvousTestServer server = await RendezvousTestServer.StartAsync();
        await using RendezvousClient waiting = await server.ConnectAsync();
        Task<byte[]> pending = waiting.GetAsync("after-garbage", CancellationToken.None).AsTask();

        await using (NetworkStream raw = await server.OpenRawAsync())
        {
            byte[] garbage = Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: example\r\nUser-Agent: curl/8.0\r\nAccept: */*\r\nConnection: keep-alive\r\n\r\n");
            await raw.WriteAsync(garbage);
            Assert.That(await ReadToEndAsync(raw), Is.LessThanOrEqualTo(33 + 43), "the server answered garbage with more than its hello and a verdict");
        }

        Assert.That(await server.Log.WaitForAsync("refused a connection"), Does.Contain("magic"));
        await server.AssertStillServesAsync();
        await using RendezvousClient writer = await server.ConnectAsync();
        await writer.SetAsync("after-garbage", new byte[] { 9 }, CancellationToken.None);
        Assert.That(await pending.WaitAsync(TimeSpan.FromSeconds(5)), Is.EqualTo(new byte[] { 9 }), "a client waiting before the garbage lost its GET");
    }

    [Test]
    public async Task A_connection_that_never_completes_the_handshake_is_dropped_and_logged()
    {
        await using RendezvousTestServer server = await RendezvousTestServer.StartAsync(handshakeTimeout: TimeSpan.FromMilliseconds(300));
        await using NetworkStream silent = await server.OpenRawAsync();

        Assert.That(await server.Log.WaitForAsync("did not complete the handshake"), Is.Not.Null);
        Assert.That(await ReadToEndAsync(silent), Is.GreaterThan(0), "the server's hello never came before it closed");
        await server.AssertStillServesAsync();
    }

    [Test]
    public async Task An_oversized_request_is_refused_with_a_reason_and_logged()
    {
        await using RendezvousTestServer server = await RendezvousTestServer.StartAsync();
        await using NetworkStream stream = await server.OpenAuthenticatedAsync();

        byte[] prefix = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(prefix, 10 * 1024 * 1024);
        await stream.WriteAsync(prefix);
        byte[]? response = await RendezvousProtocol.ReadFrameAsync(stream, RendezvousProtocol.MaxResponseBodyBytes, "server", CancellationToken.None);

        Assert.That(response, Is.Not.Null);
        Assert.That((RendezvousStatus)response![0], Is.EqualTo(RendezvousStatus.BadRequest));
        Assert.That(RendezvousProtocol.DecodeMessage(response.AsSpan(1)), Does.Contain("10485760").And.Contain("oversized"));
        Assert.That(await ReadToEndAsync(stream), Is.Zero, "the server kept the connection open after an oversized request");
        Assert.That(await server.Log.WaitForAsync("bad request"), Does.Contain("oversized"));
        await server.AssertStillServesAsync();
    }

    [Test]
    public async Task A_request_cut_off_in_the_middle_is_logged_as_truncated()
    {
        await using RendezvousTestServer server = await RendezvousTestServer.StartAsync();
        await using (NetworkStream stream = await server.OpenAuthenticatedAsync())
        {
            byte[] frame = RendezvousProtocol.EncodeRequest(RendezvousOpcode.Set, "k"u8.ToArray(), new byte[100]);
            await stream.WriteAsync(frame.AsMemory(0, 20));
        }

        Assert.That(await server.Log.WaitForAsync("bad request"), Does.Contain("truncated after 16 of 104 bytes"));
        await server.AssertStillServesAsync();
    }

    [TestCase(new byte[] { 9, 1, 0, (byte)'k' }, "unknown opcode 9")]
    [TestCase(new byte[] { 2, 1, 0, (byte)'k', 1 }, "GET carries 1 value bytes")]
    [TestCase(new byte[] { 1, 0, 0 }, "key length 0")]
    [TestCase(new byte[] { 1, 5, 0, (byte)'k' }, "runs past the end")]
    [TestCase(new byte[] { 1, 2, 0, 0xC3, 0x28 }, "not valid UTF-8")]
    public async Task A_malformed_request_after_the_handshake_is_refused_with_its_reason(byte[] body, string reason)
    {
        await using RendezvousTestServer server = await RendezvousTestServer.StartAsync();
        await using NetworkStream stream = await server.OpenAuthenticatedAsync();

        byte[] frame = new byte[4 + body.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(frame, (uint)body.Length);
        body.CopyTo(frame, 4);
        await stream.WriteAsync(frame);
        byte[]? response = await RendezvousProtocol.ReadFrameAsync(stream, RendezvousProtocol.MaxResponseBodyBytes, "server", CancellationToken.None);

        Assert.That((RendezvousStatus)response![0], Is.EqualTo(RendezvousStatus.BadRequest));
        Assert.That(RendezvousProtocol.DecodeMessage(response.AsSpan(1)), Does.Contain(reason));
        Assert.That(await server.Log.WaitForAsync("bad request"), Does.Contain(reason));
        await server.AssertStillServesAsync();
    }

    /// <summary>Reads until the server closes; returns how many bytes came. Bounded by the test's timeout.</summary>
    [Test]
    public async Task A_client_refused_in_a_loop_gets_five_log_lines_and_one_summary_instead_of_a_line_each()
    {
        var clock = new ManualClock();
        RendezvousTestServer server = await RendezvousTestServer.StartAsync(clock: clock);
        await using (server)
        {
            for (int attempt = 0; attempt < 50; attempt++)
            {
                await using NetworkStream raw = await server.OpenRawAsync();
                await raw.WriteAsync(new byte[100]);
                await ReadToEndAsync(raw);
            }

            await server.AssertStillServesAsync();
        }

        Assert.That(server.Log.Warnings.Count(line => line.Contains("refused a connection from", StringComparison.Ordinal)), Is.EqualTo(5));
        Assert.That(server.Log.Warnings.Where(line => line.Contains("more connections", StringComparison.Ordinal)),
            Is.EqualTo(new[] { "Rendezvous server refused 45 more connections in the last 0 s (not logged one by one)" }));
    }

    private static async Task<int> ReadToEndAsync(Stream stream)
    {
        byte[] buffer = new byte[4096];
        int total = 0;
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0)
            {
                total += read;
            }
        }
        catch (IOException)
        {
            // A reset is a close too.
        }

        return total;
    }
}
