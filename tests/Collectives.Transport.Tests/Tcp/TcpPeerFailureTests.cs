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

        // Earlier tests leave background work (collections of large buffers): settle it, and take
        // the process's idle rate as the baseline.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        TimeSpan idle = await CpuUsedDuringAsync(TimeSpan.FromMilliseconds(300));

        ValueTask<ReceivedMessage> receive = job[0].ReceiveAsync(1, default, new byte[8], CancellationToken.None);
        job.Fake!.Close(0);
        await Expect.Throws<PeerFailedException>(() => receive);

        // A read loop spinning on the dead socket would compete for the processors like any busy
        // thread of this process. So each window runs such a thread for reference, until it has had
        // 400 ms of CPU: a spinning loop would have had about as much, however loaded the machine
        // (load slows both alike and only stretches the window), and the rest of the process must
        // have used less than half of it. The runtime's own background work (a collection, a
        // thread-pool adjustment) comes and goes, so the quietest of three windows is what counts.
        CpuWindow quietest = new(TimeSpan.Zero, TimeSpan.MaxValue, TimeSpan.Zero);
        for (int window = 0; window < 3; window++)
        {
            CpuWindow used = await CpuUsedBesideABusyThreadAsync(TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(3));
            TestContext.Out.WriteLine($"CPU: {idle.TotalMilliseconds:F0} ms in 300 ms idle before; window {window + 1} after the close: {used}");
            quietest = used.Rest < quietest.Rest ? used : quietest;
        }

        Assert.That(quietest.Rest, Is.LessThan((quietest.BusyThread / 2) + (idle * 2)), $"CPU time the process used beside the busy thread in the quietest window after the peer closed ({quietest})");
    }

    /// <summary>CPU time the process's threads used during <paramref name="window"/> (see <see cref="CpuByThread"/>).</summary>
    private static async Task<TimeSpan> CpuUsedDuringAsync(TimeSpan window)
    {
        Dictionary<int, TimeSpan> before = CpuByThread();
        await Task.Delay(window);
        return CpuSince(before, CpuByThread(), except: 0);
    }

    /// <summary>
    /// Runs a thread that spins until it has had <paramref name="busy"/> of CPU (or until
    /// <paramref name="longest"/> has passed), and measures the CPU the other threads of the
    /// process used meanwhile (see <see cref="CpuByThread"/>).
    /// </summary>
    private static Task<CpuWindow> CpuUsedBesideABusyThreadAsync(TimeSpan busy, TimeSpan longest) => Task.Factory.StartNew(() =>
    {
        // The kernel's id of this thread: /proc/thread-self links to pid/task/tid.
        int self = int.Parse(Path.GetFileName(new FileInfo("/proc/thread-self").LinkTarget!), System.Globalization.CultureInfo.InvariantCulture);
        var wall = Stopwatch.StartNew();
        Dictionary<int, TimeSpan> before = CpuByThread();
        TimeSpan spun = TimeSpan.Zero;
        while (spun < busy && wall.Elapsed < longest)
        {
            // Spin 10 ms at a time: reading the threads' CPU times is not free.
            TimeSpan slice = wall.Elapsed + TimeSpan.FromMilliseconds(10);
            while (wall.Elapsed < slice)
            {
                Thread.SpinWait(100);
            }

            spun = CpuByThread().GetValueOrDefault(self) - before.GetValueOrDefault(self);
        }

        return new CpuWindow(spun, CpuSince(before, CpuByThread(), except: self), wall.Elapsed);
    }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>
    /// CPU time of each thread of this process, by kernel thread id, leaving out the runtime's
    /// background JIT compiler (tiered compilation), whose work comes from the code that ran
    /// before and which a loaded machine stretches out.
    /// </summary>
    private static Dictionary<int, TimeSpan> CpuByThread()
    {
        var times = new Dictionary<int, TimeSpan>();
        using var process = Process.GetCurrentProcess();
        foreach (ProcessThread thread in process.Threads)
        {
            try
            {
                if (!File.ReadAllText($"/proc/self/task/{thread.Id}/comm").StartsWith(".NET Tiered Com", StringComparison.Ordinal))
                {
                    times[thread.Id] = thread.TotalProcessorTime;
                }
            }
            catch (Exception exception) when (exception is IOException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // The thread ended meanwhile.
            }
        }

        return times;
    }

    /// <summary>CPU time the threads in <paramref name="after"/> but <paramref name="except"/> used since <paramref name="before"/> (all of it for threads that started since).</summary>
    private static TimeSpan CpuSince(Dictionary<int, TimeSpan> before, Dictionary<int, TimeSpan> after, int except)
        => after.Where(thread => thread.Key != except).Aggregate(TimeSpan.Zero, (sum, thread) => sum + thread.Value - before.GetValueOrDefault(thread.Key));

    /// <summary>CPU time a busy reference thread got in a window, what the rest of the process used, and the window's length.</summary>
    private readonly record struct CpuWindow(TimeSpan BusyThread, TimeSpan Rest, TimeSpan Wall)
    {
        public override string ToString() => $"busy thread {BusyThread.TotalMilliseconds:F0} ms, the rest {Rest.TotalMilliseconds:F0} ms, in {Wall.TotalMilliseconds:F0} ms";
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

        // The clock starts before the connection exists, so the silence cannot have begun before
        // it: the failure can come no sooner than the timeout after the clock started, however
        // loaded the machine (load only delays it). The upper bound is generous for a loaded
        // machine, yet far below a hang.
        var clock = Stopwatch.StartNew();
        await using TcpJob job = await TcpJob.StartAsync(2, _ => options, fakeHighestRank: true);

        PeerFailedException failure = await Expect.Throws<PeerFailedException>(() => job[0].ReceiveAsync(1, default, new byte[8], CancellationToken.None));
        Assert.That(failure.Rank, Is.EqualTo(1));
        Assert.That(failure.Reason, Does.Contain("sent nothing"));
        Assert.That(clock.Elapsed, Is.GreaterThan(options.PeerSilenceTimeout).And.LessThan(TimeSpan.FromSeconds(10)));
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
