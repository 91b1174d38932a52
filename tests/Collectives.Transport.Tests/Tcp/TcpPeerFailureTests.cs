using Collectives.Transport.Tests.Support;
using System.Diagnostics;
using Collectives.Transport.Tcp;

namespace Collectives.Transport.Tests.Tcp;

/// <summary>A peer that is gone, silent or broken fails the operations waiting on it, naming it, promptly and without spinning.</summary>
[TestFixture]
[CancelAfter(20_000)]
public sealed class TcpPeerFailureTests
{
    /// <summary>Silence detection off the table: these failures must not wait for a timeout.</summary>
    private static TcpTransportOptions PatientOptions(Microsoft.Extensions.Logging.ILoggerFactory? log = null) => new()
    {
        PeerSilenceTimeout = TimeSpan.FromSeconds(60),
        LoggerFactory = log,
    };

    [Test]
    public async Task APeerThatClosesItsConnectionFailsTheWaitingReceiveAtOnceNamingIt()
    {
        await using TcpJob job = await TcpJob.StartAsync(2, _ => PatientOptions(), fakeHighestRank: true);
        ValueTask<ReceivedMessage> receive = job[0].ReceiveAsync(1, default, new byte[8], CancellationToken.None);
        await Task.Delay(100);
        var clock = Stopwatch.StartNew();
        job.Fake!.Close(0);

        PeerFailedException failure = await Expect.Throws<PeerFailedException>(() => receive);
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
        Assert.That(failure.Rank, Is.EqualTo(1));
        Assert.That(failure.Message, Does.Contain("Rank 1 failed").And.Contain("closed"));
    }

    [Test]
    public async Task AClosedConnectionCostsNoCpuAfterwards()
    {
        await using TcpJob job = await TcpJob.StartAsync(2, _ => PatientOptions(), fakeHighestRank: true);

        // Earlier tests leave background work (collections of large buffers, tiered JIT): settle
        // it, take the process's idle rate as the baseline, and leave JIT time out of the count.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        TimeSpan idle = await CpuUsedDuringAsync(TimeSpan.FromMilliseconds(300));

        ValueTask<ReceivedMessage> receive = job[0].ReceiveAsync(1, default, new byte[8], CancellationToken.None);
        job.Fake!.Close(0);
        await Expect.Throws<PeerFailedException>(() => receive);

        // A read loop spinning on the dead socket would burn a whole core (about 500 ms a window
        // here, and never less than half of it on a loaded 2-core machine) in every window; the
        // runtime's own background work (a collection, a thread-pool adjustment) comes and goes.
        // So the quietest of three windows is what counts.
        TimeSpan quietest = TimeSpan.MaxValue;
        for (int window = 0; window < 3; window++)
        {
            TimeSpan used = await CpuUsedDuringAsync(TimeSpan.FromMilliseconds(500));
            TestContext.Out.WriteLine($"CPU: {idle.TotalMilliseconds:F0} ms in 300 ms idle before, {used.TotalMilliseconds:F0} ms in window {window + 1} of 500 ms after the close");
            quietest = used < quietest ? used : quietest;
        }

        Assert.That(quietest, Is.LessThan(TimeSpan.FromMilliseconds(200) + (idle * 2)), "CPU time used in the quietest 500 ms after the peer closed");
    }

    /// <summary>CPU time the process used during <paramref name="window"/>, minus the runtime's JIT compiling in the background.</summary>
    private static async Task<TimeSpan> CpuUsedDuringAsync(TimeSpan window)
    {
        TimeSpan before = Process.GetCurrentProcess().TotalProcessorTime - System.Runtime.JitInfo.GetCompilationTime();
        await Task.Delay(window);
        TimeSpan used = Process.GetCurrentProcess().TotalProcessorTime - System.Runtime.JitInfo.GetCompilationTime() - before;

        // JIT time is wall time on the compiling thread, so the difference can dip below zero.
        return used < TimeSpan.Zero ? TimeSpan.Zero : used;
    }

    [Test]
    public async Task LaterOperationsOnAFailedPeerFailAtOnceNamingIt()
    {
        await using TcpJob job = await TcpJob.StartAsync(2, _ => PatientOptions(), fakeHighestRank: true);
        ValueTask<ReceivedMessage> receive = job[0].ReceiveAsync(1, default, new byte[8], CancellationToken.None);
        job.Fake!.Close(0);
        await Expect.Throws<PeerFailedException>(() => receive);

        PeerFailedException receiveAgain = await Expect.Throws<PeerFailedException>(() => job[0].ReceiveAsync(1, default, new byte[8], CancellationToken.None));
        PeerFailedException send = await Expect.Throws<PeerFailedException>(() => job[0].SendAsync(1, default, new byte[8], CancellationToken.None));
        Assert.That(receiveAgain.Rank, Is.EqualTo(1));
        Assert.That(send.Rank, Is.EqualTo(1));
    }

    [Test]
    public async Task APeerWhoseConnectionIsResetFailsTheWaitingReceiveNamingIt()
    {
        await using TcpJob job = await TcpJob.StartAsync(2, _ => PatientOptions(), fakeHighestRank: true);
        ValueTask<ReceivedMessage> receive = job[0].ReceiveAsync(1, default, new byte[8], CancellationToken.None);
        await Task.Delay(100);
        job.Fake!.Reset(0);

        PeerFailedException failure = await Expect.Throws<PeerFailedException>(() => receive);
        Assert.That(failure.Rank, Is.EqualTo(1));
        Assert.That(failure.Reason, Does.Contain("reset").Or.Contain("closed"));
    }

    [Test]
    public async Task MessagesCompleteBeforeAPeerCrashedAreStillDelivered()
    {
        await using TcpJob job = await TcpJob.StartAsync(2, _ => PatientOptions(), fakeHighestRank: true);
        await job.Fake!.SendAsync(0, FakeRank.DataFrame(Tags.For(1, 0, 1), [1, 2, 3]));
        job.Fake.Close(0);
        await Task.Delay(100);

        byte[] buffer = new byte[3];
        Assert.That((await job[0].ReceiveAsync(1, Tags.For(1, 0, 1), buffer, CancellationToken.None)).Delivered, Is.True);
        Assert.That(buffer, Is.EqualTo(new byte[] { 1, 2, 3 }));
        await Expect.Throws<PeerFailedException>(() => job[0].ReceiveAsync(1, Tags.For(1, 0, 2), buffer, CancellationToken.None));
    }

    [TestCase(0xC1, 1, 2 * 1024 * 1024, "it sent a frame of 2097152 bytes, more than the maximum of 1048576")]
    [TestCase(0x55, 1, 8, "bad magic byte 0x55")]
    [TestCase(0xC2, 1, 8, "frame of format version 2")]
    [TestCase(0xC1, 9, 0, "unknown type 9")]
    [TestCase(0xC1, 1, -5, "negative length")]
    [TestCase(0xC1, 2, 4, "Heartbeat frame with a 4-byte payload")]
    public async Task ABrokenFrameFailsThatPeerOnlyWithAProtocolError(int magicVersion, int type, int length, string reason)
    {
        var log = new ListLoggerFactory();
        await using TcpJob job = await TcpJob.StartAsync(3, rank => new TcpTransportOptions { MaxFramePayload = 1024 * 1024, LoggerFactory = rank == 0 ? log : null }, fakeHighestRank: true);
        ValueTask<ReceivedMessage> receive = job[0].ReceiveAsync(2, default, new byte[8], CancellationToken.None);
        await job.Fake!.SendAsync(0, FakeRank.Header((byte)type, length, magicVersion: (byte)magicVersion));

        PeerFailedException failure = await Expect.Throws<PeerFailedException>(() => receive);
        Assert.That(failure.Rank, Is.EqualTo(2));
        Assert.That(failure.InnerException, Is.InstanceOf<ProtocolException>());
        Assert.That(failure.Message, Does.Contain(reason));
        Assert.That(log.Warnings, Has.Some.Contains("peer rank 2 failed").And.Contains(reason));

        // Ranks 0 and 1 are unaffected.
        byte[] buffer = new byte[2];
        ValueTask<ReceivedMessage> other = job[1].ReceiveAsync(0, Tags.For(0, 1, 1), buffer, CancellationToken.None);
        await job[0].SendAsync(1, Tags.For(0, 1, 1), new byte[] { 4, 2 }, CancellationToken.None);
        Assert.That((await other).Delivered, Is.True);
    }

    [Test]
    public async Task ASilentPeerIsFailedAfterTheSilenceTimeout()
    {
        // The fake rank completes the handshake, then says nothing, as a stopped (SIGSTOP) process would.
        var options = new TcpTransportOptions { HeartbeatInterval = TimeSpan.FromMilliseconds(50), PeerSilenceTimeout = TimeSpan.FromMilliseconds(400) };
        await using TcpJob job = await TcpJob.StartAsync(2, _ => options, fakeHighestRank: true);
        var clock = Stopwatch.StartNew();

        PeerFailedException failure = await Expect.Throws<PeerFailedException>(() => job[0].ReceiveAsync(1, default, new byte[8], CancellationToken.None));
        Assert.That(failure.Rank, Is.EqualTo(1));
        Assert.That(failure.Reason, Does.Contain("sent nothing"));
        // The silence began at the handshake, before the clock started, so only an upper bound
        // means anything: generous, for a loaded machine, yet far below a hang.
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
    }

    [Test]
    public async Task ARankThatStopsSendingHeartbeatsIsFailedByItsPeer()
    {
        await using TcpJob job = await TcpJob.StartAsync(2, rank => new TcpTransportOptions
        {
            HeartbeatInterval = TimeSpan.FromMilliseconds(50),
            PeerSilenceTimeout = TimeSpan.FromMilliseconds(400),
            SendHeartbeats = rank != 1,
        });

        PeerFailedException failure = await Expect.Throws<PeerFailedException>(() => job[0].ReceiveAsync(1, default, new byte[8], CancellationToken.None));
        Assert.That(failure.Rank, Is.EqualTo(1));
        Assert.That(failure.Reason, Does.Contain("no heartbeat"));
    }

    [Test]
    public async Task AnIdleButLivePeerIsKeptAliveByHeartbeats()
    {
        await using TcpJob job = await TcpJob.StartAsync(2, _ => new TcpTransportOptions
        {
            HeartbeatInterval = TimeSpan.FromMilliseconds(50),
            PeerSilenceTimeout = TimeSpan.FromMilliseconds(400),
        });

        await Task.Delay(1200);
        byte[] buffer = new byte[1];
        ValueTask<ReceivedMessage> receive = job[1].ReceiveAsync(0, default, buffer, CancellationToken.None);
        await job[0].SendAsync(1, default, new byte[] { 1 }, CancellationToken.None);
        Assert.That((await receive).Delivered, Is.True);
    }

    [Test]
    public async Task AfterAPeerClosesItsTransportWhatItSentFirstIsDeliveredThenReceivesFailAsClosed()
    {
        await using TcpJob job = await TcpJob.StartAsync(2, _ => PatientOptions());
        await job[1].SendAsync(0, Tags.For(1, 0, 1), new byte[] { 1 }, CancellationToken.None);
        await job[1].SendAsync(0, Tags.For(1, 0, 2), new byte[100_000], CancellationToken.None);
        await job[1].DisposeAsync();

        Assert.That((await job[0].ReceiveAsync(1, Tags.For(1, 0, 1), new byte[1], CancellationToken.None)).Delivered, Is.True);
        Assert.That((await job[0].ReceiveAsync(1, Tags.For(1, 0, 2), new byte[100_000], CancellationToken.None)).Delivered, Is.True);
        PeerFailedException failure = await Expect.Throws<PeerFailedException>(() => job[0].ReceiveAsync(1, Tags.For(1, 0, 3), new byte[1], CancellationToken.None));
        Assert.That(failure.Rank, Is.EqualTo(1));
        Assert.That(failure.Reason, Is.EqualTo("it closed its transport"));
    }

    [Test]
    public async Task AReceiveWaitingWhenThePeerClosesItsTransportFailsAsClosed()
    {
        await using TcpJob job = await TcpJob.StartAsync(2, _ => PatientOptions());
        ValueTask<ReceivedMessage> receive = job[0].ReceiveAsync(1, default, new byte[1], CancellationToken.None);
        await Task.Delay(50);
        await job[1].DisposeAsync();

        PeerFailedException failure = await Expect.Throws<PeerFailedException>(() => receive);
        Assert.That(failure.Reason, Is.EqualTo("it closed its transport"));
    }

    [Test]
    public async Task OperationsAfterDisposeThrowObjectDisposed()
    {
        await using TcpJob job = await TcpJob.StartAsync(2);
        ValueTask<ReceivedMessage> pending = job[0].ReceiveAsync(1, default, new byte[1], CancellationToken.None);
        await job[0].DisposeAsync();

        await Expect.Throws<ObjectDisposedException>(() => pending);
        await Expect.Throws<ObjectDisposedException>(() => job[0].SendAsync(1, default, new byte[1], CancellationToken.None));
        await Expect.Throws<ObjectDisposedException>(() => job[0].ReceiveAsync(1, default, new byte[1], CancellationToken.None));
    }
}
