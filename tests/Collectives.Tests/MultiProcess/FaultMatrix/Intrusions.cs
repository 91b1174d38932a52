using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using Collectives.Transport;
using Collectives.Transport.Rendezvous;
using Collectives.Transport.Security;

namespace Collectives.Tests.MultiProcess.FaultMatrix;

/// <summary>
/// What an intruder does to one listening port of a running job, each asserting the port refused
/// it (closed the connection) within <see cref="RefusalBound"/>. Only the oversized request after
/// an authenticated handshake uses the job's secret (a rank gone wrong); the others do not know it.
/// </summary>
internal static class Intrusions
{
    /// <summary>How long a port may take to close an intruder's connection: the longest handshake timeout (the rendezvous server's 10 s) plus slack.</summary>
    public static readonly TimeSpan RefusalBound = RendezvousServer.HandshakeTimeout + TimeSpan.FromSeconds(10);

    /// <summary>Bytes of the acceptor's hello: magic, version, purpose, rank, 32-byte nonce.</summary>
    private const int HelloLength = 4 + 2 + 1 + 4 + 32;

    /// <summary>An HTTP request and junk instead of a handshake.</summary>
    public static async Task GarbageAsync(ListeningPort port, RunningJob job)
    {
        using Socket client = await ConnectAsync(port);
        await client.SendAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n" + new string('x', 100)), SocketFlags.None);

        await AssertClosedAsync(client, port, "garbage");
    }

    /// <summary>The first bytes of a proof (magic and version), then the end of the stream.</summary>
    public static async Task TruncatedFrameAsync(ListeningPort port, RunningJob job)
    {
        using Socket client = await ConnectAsync(port);
        await ReadHelloAsync(client);
        await client.SendAsync("COLL\u0001"u8.ToArray(), SocketFlags.None);
        client.Shutdown(SocketShutdown.Send);

        await AssertClosedAsync(client, port, "a truncated handshake frame");
    }

    /// <summary>
    /// A transport frame header claiming a 2 GiB payload, in place of the handshake; and on the
    /// rendezvous port, also a request whose length prefix claims 2 GiB after a real handshake.
    /// </summary>
    public static async Task OversizedLengthPrefixAsync(ListeningPort port, RunningJob job)
    {
        using (Socket client = await ConnectAsync(port))
        {
            // A data frame's 40-byte header and the first 64 bytes of its payload: more than a
            // handshake's proof, so the port judges it at once rather than at its handshake timeout.
            byte[] frame = new byte[40 + 64];
            frame[0] = 0xC1;
            frame[1] = 1;
            BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(4), int.MaxValue);
            await client.SendAsync(frame, SocketFlags.None);

            await AssertClosedAsync(client, port, "a frame header claiming 2 GiB");
        }

        if (port.Purpose == HandshakePurpose.Rendezvous)
        {
            using Socket client = await ConnectAsync(port);
            await using var stream = new NetworkStream(client, ownsSocket: false);
            await Handshake.ConnectAsync(stream, job.Credentials, HandshakePurpose.Rendezvous, -1, null, CancellationToken.None);
            byte[] prefix = new byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(prefix, int.MaxValue);
            await stream.WriteAsync(prefix);

            await AssertClosedAsync(client, port, "an authenticated request claiming 2 GiB");
        }
    }

    /// <summary>A connection that is opened and says nothing: it is dropped at the handshake timeout.</summary>
    public static async Task HalfOpenAsync(ListeningPort port, RunningJob job)
    {
        using Socket client = await ConnectAsync(port);

        await AssertClosedAsync(client, port, "a silent connection");
    }

    /// <summary>A handshake with the job's id but another secret: the intruder sees it refused.</summary>
    public static async Task WrongSecretAsync(ListeningPort port, RunningJob job)
    {
        using Socket client = await ConnectAsync(port);
        await using var stream = new NetworkStream(client, ownsSocket: false);
        JobCredentials impostor = JobCredentials.Generate(job.Credentials.JobId);

        Assert.That(async () => await Handshake.ConnectAsync(stream, impostor, port.Purpose, ClaimedRank(port, job), null, CancellationToken.None),
            Throws.InstanceOf<ProtocolException>(), $"{port} accepted a handshake with the wrong secret");
        await AssertClosedAsync(client, port, "a handshake with the wrong secret");
    }

    /// <summary>
    /// A proof recorded from a real handshake (the connector's answer, with the job's secret, to
    /// an earlier hello of the same port) replayed to a fresh hello: the nonces differ, so it is refused.
    /// </summary>
    public static async Task ReplayedHandshakeAsync(ListeningPort port, RunningJob job)
    {
        byte[] recorded;
        using (Socket earlier = await ConnectAsync(port))
        {
            byte[] hello = await ReadHelloAsync(earlier);
            await using var recording = new RecordingStream(hello);
            try
            {
                await Handshake.ConnectAsync(recording, job.Credentials, port.Purpose, ClaimedRank(port, job), null, CancellationToken.None);
            }
            catch (ProtocolException)
            {
                // The recording has no verdict to read; the proof was written before.
            }

            recorded = recording.Written;
        }

        Assert.That(recorded, Is.Not.Empty, "the handshake wrote no proof to record");
        using Socket client = await ConnectAsync(port);
        await ReadHelloAsync(client);
        await client.SendAsync(recorded, SocketFlags.None);

        await AssertClosedAsync(client, port, "a replayed handshake");
    }

    /// <summary>A rank the intruder claims to be: one that may connect to <paramref name="port"/> (a higher rank), or none for the rendezvous.</summary>
    private static int ClaimedRank(ListeningPort port, RunningJob job) => port.OwnerRank < 0 ? -1 : (port.OwnerRank + 1) % job.Size;

    private static async Task<Socket> ConnectAsync(ListeningPort port)
    {
        var client = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(port.EndPoint);
        return client;
    }

    private static async Task<byte[]> ReadHelloAsync(Socket client)
    {
        byte[] hello = new byte[HelloLength];
        int read = 0;
        using var giveUp = new CancellationTokenSource(RefusalBound);
        while (read < hello.Length)
        {
            int count = await client.ReceiveAsync(hello.AsMemory(read), SocketFlags.None, giveUp.Token);
            Assert.That(count, Is.Positive, "the port closed before its hello");
            read += count;
        }

        return hello;
    }

    /// <summary>Reads until the port closes the connection; fails if it is still open after <see cref="RefusalBound"/>.</summary>
    private static async Task AssertClosedAsync(Socket client, ListeningPort port, string what)
    {
        byte[] buffer = new byte[1024];
        using var giveUp = new CancellationTokenSource(RefusalBound);
        try
        {
            while (await client.ReceiveAsync(buffer, SocketFlags.None, giveUp.Token) > 0)
            {
            }
        }
        catch (SocketException exception) when (exception.SocketErrorCode == SocketError.ConnectionReset)
        {
            // A reset is a close too.
        }
        catch (OperationCanceledException) when (giveUp.IsCancellationRequested)
        {
            Assert.Fail($"{port} kept a connection that sent {what} open for {RefusalBound.TotalSeconds} s.");
        }
    }
}
