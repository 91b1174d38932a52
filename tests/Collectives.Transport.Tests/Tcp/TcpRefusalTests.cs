using Collectives.Transport.Tests.Support;
using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using Collectives.Transport.Security;
using Collectives.Transport.Tcp;

namespace Collectives.Transport.Tests.Tcp;

/// <summary>Connections that are not the job's own ranks are refused, logged with the reason, and the job carries on.</summary>
[TestFixture]
[CancelAfter(20_000)]
public sealed class TcpRefusalTests
{
    [Test]
    public async Task GarbageOnARanksPortIsRefusedAndLoggedAndTheJobCarriesOn()
    {
        var log = new ListLoggerFactory();
        await using TcpJob job = await TcpJob.StartAsync(2, rank => TcpJob.Options(rank == 0 ? log : null));
        using Socket client = await ConnectAsync(job[0]);
        await client.SendAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n" + new string('x', 100)), SocketFlags.None);

        Assert.That(await ReadUntilClosedAsync(client), Is.EqualTo(43), "expected the hello, then a close");
        Assert.That(await log.WaitForWarningAsync("bad magic bytes", TimeSpan.FromSeconds(5)), Does.Contain("Rank 0 refused a connection from"));
        await AssertJobStillWorksAsync(job);
    }

    [Test]
    public async Task AClientWithTheWrongSecretIsRefusedWithThatReason()
    {
        var log = new ListLoggerFactory();
        await using TcpJob job = await TcpJob.StartAsync(2, rank => TcpJob.Options(rank == 0 ? log : null));
        var impostor = JobCredentials.Generate(job.Credentials.JobId);
        ProtocolException refused = await ConnectWithAsync(job[0], impostor, claimedRank: 1);

        Assert.That(refused.Message, Does.Contain("could not prove it knows the job's secret"));
        Assert.That(await log.WaitForWarningAsync("could not prove it knows the job's secret", TimeSpan.FromSeconds(5)), Is.Not.Null);
        await AssertJobStillWorksAsync(job);
    }

    [Test]
    public async Task AClientOfAnotherJobIsRefusedWithThatReason()
    {
        var log = new ListLoggerFactory();
        await using TcpJob job = await TcpJob.StartAsync(2, rank => TcpJob.Options(rank == 0 ? log : null));
        ProtocolException refused = await ConnectWithAsync(job[0], JobCredentials.Generate("another-job"), claimedRank: 1);

        Assert.That(refused.Message, Does.Contain("belongs to a different job"));
        Assert.That(await log.WaitForWarningAsync("belongs to a different job", TimeSpan.FromSeconds(5)), Is.Not.Null);
        await AssertJobStillWorksAsync(job);
    }

    [Test]
    public async Task AClientSpeakingAnotherProtocolVersionIsRefusedWithThatReason()
    {
        var log = new ListLoggerFactory();
        await using TcpJob job = await TcpJob.StartAsync(2, rank => TcpJob.Options(rank == 0 ? log : null));
        using Socket client = await ConnectAsync(job[0]);
        byte[] hello = new byte[43];
        await ReadExactlyAsync(client, hello);

        // A well-formed proof, except that it speaks version 2 of the handshake.
        byte[] proof = new byte[91];
        "COLL"u8.CopyTo(proof);
        BinaryPrimitives.WriteUInt16LittleEndian(proof.AsSpan(4), 2);
        proof[6] = (byte)HandshakePurpose.Transport;
        BinaryPrimitives.WriteInt32LittleEndian(proof.AsSpan(7), 1);
        await client.SendAsync(proof, SocketFlags.None);

        Assert.That(await log.WaitForWarningAsync("speaks protocol version 2", TimeSpan.FromSeconds(5)), Is.Not.Null);
        await AssertJobStillWorksAsync(job);
    }

    [Test]
    public async Task AClientThatConnectsAndSaysNothingIsRefusedAfterTheHandshakeTimeout()
    {
        var log = new ListLoggerFactory();
        await using TcpJob job = await TcpJob.StartAsync(2, rank => new TcpTransportOptions { HandshakeTimeout = TimeSpan.FromMilliseconds(300), LoggerFactory = rank == 0 ? log : null });
        using Socket client = await ConnectAsync(job[0]);

        Assert.That(await ReadUntilClosedAsync(client), Is.EqualTo(43), "expected the hello, then a close");
        Assert.That(await log.WaitForWarningAsync("did not complete the handshake within 0.3 s", TimeSpan.FromSeconds(5)), Is.Not.Null);
        await AssertJobStillWorksAsync(job);
    }

    [Test]
    public async Task ATruncatedHandshakeIsRefusedWithThatReason()
    {
        var log = new ListLoggerFactory();
        await using TcpJob job = await TcpJob.StartAsync(2, rank => TcpJob.Options(rank == 0 ? log : null));
        using (Socket client = await ConnectAsync(job[0]))
        {
            await client.SendAsync("COLL\u0001"u8.ToArray(), SocketFlags.None);
            client.Shutdown(SocketShutdown.Send);
            await ReadUntilClosedAsync(client);
        }

        Assert.That(await log.WaitForWarningAsync("truncated handshake", TimeSpan.FromSeconds(5)), Is.Not.Null);
        await AssertJobStillWorksAsync(job);
    }

    [Test]
    public async Task ASecondConnectionFromAnAlreadyConnectedRankIsRefusedWithTheDuplicateRankVerdict()
    {
        var log = new ListLoggerFactory();
        await using TcpJob job = await TcpJob.StartAsync(2, rank => TcpJob.Options(rank == 0 ? log : null));
        ProtocolException refused = await ConnectWithAsync(job[0], job.Credentials, claimedRank: 1);

        Assert.That(refused.Message, Does.Contain("Rank 0 refused the connection: rank 1 is already connected to rank 0"));
        Assert.That(await log.WaitForWarningAsync("rank 1 is already connected", TimeSpan.FromSeconds(5)), Does.Contain("Refused a connection claiming rank 1"));
        await AssertJobStillWorksAsync(job);
    }

    [Test]
    public async Task ADuplicateRankLeavesTheConnectionItClaimsToReplaceWorkingBothWays()
    {
        await using TcpJob job = await TcpJob.StartAsync(3, rank => TcpJob.Options(null));
        for (int claimed = 1; claimed < 3; claimed++)
        {
            await ConnectWithAsync(job[0], job.Credentials, claimedRank: claimed);
        }

        await AssertJobStillWorksAsync(job);
        byte[] buffer = new byte[2];
        ValueTask<ReceivedMessage> receive = job[0].ReceiveAsync(2, Tags.For(2, 0, 6), buffer, CancellationToken.None);
        await job[2].SendAsync(0, Tags.For(2, 0, 6), new byte[] { 4, 2 }, CancellationToken.None);
        Assert.That((await receive).Delivered, Is.True);
        Assert.That(buffer, Is.EqualTo(new byte[] { 4, 2 }));
    }

    [Test]
    public async Task AnAuthenticatedClientClaimingARankThatNeverConnectsThereIsRefusedWithThatReason()
    {
        var log = new ListLoggerFactory();
        await using TcpJob job = await TcpJob.StartAsync(2, rank => TcpJob.Options(rank == 1 ? log : null));
        ProtocolException refused = await ConnectWithAsync(job[1], job.Credentials, claimedRank: 0);

        Assert.That(refused.Message, Does.Contain("Rank 1 refused the connection: rank 0 is not a rank that connects to rank 1"));
        Assert.That(await log.WaitForWarningAsync("rank 0 is not a rank that connects to rank 1", TimeSpan.FromSeconds(5)), Is.Not.Null);
        await AssertJobStillWorksAsync(job);
    }

    [Test]
    public async Task A_client_refused_in_a_loop_on_a_ranks_port_gets_five_log_lines_and_one_summary_instead_of_a_line_each()
    {
        var log = new ListLoggerFactory();
        var clock = new ManualClock();
        TcpJob job = await TcpJob.StartAsync(2, rank => new TcpTransportOptions { LoggerFactory = rank == 0 ? log : null, Clock = clock });
        await using (job)
        {
            for (int attempt = 0; attempt < 30; attempt++)
            {
                using Socket client = await ConnectAsync(job[0]);
                await client.SendAsync(new byte[100], SocketFlags.None);
                await ReadUntilClosedAsync(client);
            }

            Assert.That(await log.WaitForWarningAsync("refused", TimeSpan.FromSeconds(5)), Is.Not.Null);
            await AssertJobStillWorksAsync(job);
        }

        Assert.That(log.Warnings.Count(line => line.Contains("Rank 0 refused a connection from", StringComparison.Ordinal)), Is.EqualTo(5));
        Assert.That(log.Warnings.Where(line => line.Contains("more connections", StringComparison.Ordinal)),
            Is.EqualTo(new[] { "Rank 0 refused 25 more connections in the last 0 s (not logged one by one)" }));
    }

    private static async Task<Socket> ConnectAsync(TcpTransport rank)
    {
        var client = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(rank.LocalEndPoint);
        return client;
    }

    private static async Task<ProtocolException> ConnectWithAsync(TcpTransport rank, JobCredentials credentials, int claimedRank)
    {
        using Socket client = await ConnectAsync(rank);
        await using var stream = new NetworkStream(client, ownsSocket: false);
        return await Expect.Throws<ProtocolException>(() =>
            Handshake.ConnectAsync(stream, credentials, HandshakePurpose.Transport, claimedRank, rank.Rank, CancellationToken.None));
    }

    private static async Task ReadExactlyAsync(Socket socket, byte[] buffer)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int count = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None);
            Assert.That(count, Is.Positive, "closed early");
            read += count;
        }
    }

    /// <summary>Reads until the server closes the connection; returns how many bytes it sent.</summary>
    private static async Task<int> ReadUntilClosedAsync(Socket socket)
    {
        byte[] buffer = new byte[1024];
        int total = 0;
        while (true)
        {
            int count;
            try
            {
                count = await socket.ReceiveAsync(buffer, SocketFlags.None);
            }
            catch (SocketException exception) when (exception.SocketErrorCode == SocketError.ConnectionReset)
            {
                return total;
            }

            if (count == 0)
            {
                return total;
            }

            total += count;
        }
    }

    private static async Task AssertJobStillWorksAsync(TcpJob job)
    {
        byte[] buffer = new byte[3];
        ValueTask<ReceivedMessage> receive = job[1].ReceiveAsync(0, Tags.For(0, 1, 5), buffer, CancellationToken.None);
        await job[0].SendAsync(1, Tags.For(0, 1, 5), new byte[] { 7, 8, 9 }, CancellationToken.None);
        Assert.That((await receive).Delivered, Is.True);
        Assert.That(buffer, Is.EqualTo(new byte[] { 7, 8, 9 }));
    }
}
