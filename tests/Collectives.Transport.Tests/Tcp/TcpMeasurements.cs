using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Collectives.Transport.Tcp;

namespace Collectives.Transport.Tests.Tcp;

/// <summary>
/// Latency and bandwidth of two in-process ranks over loopback, printed next to a raw-socket
/// baseline measured in the same run (this machine is shared and noisy; compare within a run).
/// Measures, never asserts speed; asserts only that the data arrived intact. Run with
/// <c>dotnet test -c Release --filter TestCategory=Measurement --logger "console;verbosity=detailed"</c>.
/// </summary>
[TestFixture]
[Category("Measurement")]
[CancelAfter(60_000)]
public sealed class TcpMeasurements
{
    private const int Rounds = 5;

    [Test]
    public async Task PingPongLatencyOfEightBytes()
    {
        await using TcpJob job = await TcpJob.StartAsync(2);
        using var raw = await RawPair.ConnectAsync();
        const int iterations = 5000;
        double bestRaw = double.MaxValue, bestThreads = double.MaxValue, bestTasks = double.MaxValue;
        for (int round = 0; round < Rounds; round++)
        {
            Summary baseline = raw.PingPong(8, iterations);
            Summary threads = PingPongOnThreads(job, 8, iterations);
            Summary tasks = await PingPongOnTasksAsync(job, 8, iterations);
            TestContext.Out.WriteLine($"8 B round trip, round {round + 1}: raw socket busy-poll {baseline}; TcpTransport, blocking threads {threads}; TcpTransport, async tasks {tasks}");
            bestRaw = Math.Min(bestRaw, baseline.MedianMicroseconds);
            bestThreads = Math.Min(bestThreads, threads.MedianMicroseconds);
            bestTasks = Math.Min(bestTasks, tasks.MedianMicroseconds);
        }

        TestContext.Out.WriteLine($"8 B round trip, best round's median: raw socket {bestRaw:F1} µs, TcpTransport blocking threads {bestThreads:F1} µs, async tasks {bestTasks:F1} µs");
    }

    [TestCase(1024 * 1024, 100)]
    [TestCase(16 * 1024 * 1024, 8)]
    public async Task PingPongBandwidth(int length, int iterations)
    {
        await using TcpJob job = await TcpJob.StartAsync(2);
        using var raw = await RawPair.ConnectAsync();
        double bestRaw = double.MaxValue, bestTasks = double.MaxValue;
        for (int round = 0; round < Rounds; round++)
        {
            Summary baseline = raw.PingPong(length, iterations);
            Summary tasks = await PingPongOnTasksAsync(job, length, iterations);
            TestContext.Out.WriteLine($"{length / 1024} KiB ping-pong, round {round + 1}: raw socket {Bandwidth(length, baseline)}; TcpTransport {Bandwidth(length, tasks)}");
            bestRaw = Math.Min(bestRaw, baseline.MedianMicroseconds);
            bestTasks = Math.Min(bestTasks, tasks.MedianMicroseconds);
        }

        TestContext.Out.WriteLine($"{length / 1024} KiB ping-pong, best round: raw socket {2.0 * length / bestRaw / 1000:F2} GB/s, TcpTransport {2.0 * length / bestTasks / 1000:F2} GB/s");
    }

    [TestCase(16 * 1024 * 1024, 20)]
    public async Task StreamingBandwidth(int length, int messages)
    {
        await using TcpJob job = await TcpJob.StartAsync(2);
        byte[] payload = Tags.Payload(0, 1, 0, length);
        byte[] buffer = new byte[length];
        for (int round = 0; round < Rounds; round++)
        {
            var clock = Stopwatch.StartNew();
            Task sending = Task.Run(async () =>
            {
                for (int index = 0; index < messages; index++)
                {
                    await job[0].SendAsync(1, Tags.For(0, 1, index), payload, CancellationToken.None);
                }
            });
            for (int index = 0; index < messages; index++)
            {
                Assert.That((await job[1].ReceiveAsync(0, Tags.For(0, 1, index), buffer, CancellationToken.None)).Delivered, Is.True);
            }

            await sending;
            Assert.That(buffer.AsSpan().SequenceEqual(payload), Is.True);
            TestContext.Out.WriteLine($"{length / (1024 * 1024)} MiB one-way stream, round {round + 1}: {(double)length * messages / clock.Elapsed.TotalSeconds / 1e9:F2} GB/s");
        }
    }

    private static string Bandwidth(int length, Summary roundTrip)
        => $"{roundTrip.MedianMicroseconds:F0} µs per round trip = {2.0 * length / roundTrip.MedianMicroseconds / 1000:F2} GB/s";

    /// <summary>Rank 1 echoes on its own thread; rank 0 pings from another; both block on each call (as the synchronous API does).</summary>
    private static Summary PingPongOnThreads(TcpJob job, int length, int iterations)
    {
        byte[] payload = Tags.Payload(0, 1, length, length);
        var echo = new Thread(() =>
        {
            byte[] buffer = new byte[length];
            for (int index = 0; index < iterations; index++)
            {
                Wait(job[1].ReceiveAsync(0, Tags.For(0, 1, 0), buffer, CancellationToken.None));
                Wait(job[1].SendAsync(0, Tags.For(1, 0, 0), buffer, CancellationToken.None));
            }
        });
        echo.Start();
        long[] samples = new long[iterations];
        byte[] reply = new byte[length];
        int undelivered = 0;
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        for (int index = 0; index < iterations; index++)
        {
            long start = Stopwatch.GetTimestamp();
            Wait(job[0].SendAsync(1, Tags.For(0, 1, 0), payload, CancellationToken.None));
            ReceivedMessage received = Wait(job[0].ReceiveAsync(1, Tags.For(1, 0, 0), reply, CancellationToken.None));
            samples[index] = Stopwatch.GetTimestamp() - start;
            undelivered += received.Delivered ? 0 : 1;
        }

        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        echo.Join();
        Assert.That(undelivered, Is.Zero);
        Assert.That(reply.AsSpan().SequenceEqual(payload), Is.True, "the echoed payload differs");

        // What the caller allocates: nothing on the polling path; a parked receive's Task (the
        // AsTask above, test code) shows up here.
        return new Summary(samples, (double)allocated / iterations);
    }

    /// <summary>Both ranks are async loops on the thread pool, as collectives run.</summary>
    private static async Task<Summary> PingPongOnTasksAsync(TcpJob job, int length, int iterations)
    {
        byte[] payload = Tags.Payload(0, 1, length, length);
        Task echo = Task.Run(async () =>
        {
            byte[] buffer = new byte[length];
            for (int index = 0; index < iterations; index++)
            {
                await job[1].ReceiveAsync(0, Tags.For(0, 1, 0), buffer, CancellationToken.None);
                await job[1].SendAsync(0, Tags.For(1, 0, 0), buffer, CancellationToken.None);
            }
        });
        long[] samples = await Task.Run(async () =>
        {
            long[] samples = new long[iterations];
            byte[] reply = new byte[length];
            int undelivered = 0;
            for (int index = 0; index < iterations; index++)
            {
                long start = Stopwatch.GetTimestamp();
                await job[0].SendAsync(1, Tags.For(0, 1, 0), payload, CancellationToken.None);
                ReceivedMessage received = await job[0].ReceiveAsync(1, Tags.For(1, 0, 0), reply, CancellationToken.None);
                samples[index] = Stopwatch.GetTimestamp() - start;
                undelivered += received.Delivered ? 0 : 1;
            }

            Assert.That(undelivered, Is.Zero);
            Assert.That(reply.AsSpan().SequenceEqual(payload), Is.True, "the echoed payload differs");
            return samples;
        });
        await echo;
        return new Summary(samples);
    }

    private static void Wait(ValueTask task)
    {
        if (task.IsCompleted)
        {
            task.GetAwaiter().GetResult();
        }
        else
        {
            task.AsTask().GetAwaiter().GetResult();
        }
    }

    private static T Wait<T>(ValueTask<T> task) => task.IsCompleted ? task.GetAwaiter().GetResult() : task.AsTask().GetAwaiter().GetResult();

    /// <summary>Median and mean of per-iteration times.</summary>
    private readonly struct Summary(long[] ticks, double allocatedPerIteration = double.NaN)
    {
        public double MedianMicroseconds { get; } = ToMicroseconds(ticks.Order().ElementAt(ticks.Length / 2));

        public double MeanMicroseconds { get; } = ToMicroseconds((long)ticks.Average());

        public override string ToString() => double.IsNaN(allocatedPerIteration)
            ? $"median {MedianMicroseconds:F1} µs (mean {MeanMicroseconds:F1})"
            : $"median {MedianMicroseconds:F1} µs (mean {MeanMicroseconds:F1}, {allocatedPerIteration:F1} B allocated per round trip by the caller)";

        private static double ToMicroseconds(long ticks) => ticks * 1e6 / Stopwatch.Frequency;
    }

    /// <summary>Two connected loopback sockets, polled without any transport: the floor for our numbers.</summary>
    private sealed class RawPair : IDisposable
    {
        private readonly Socket _a;
        private readonly Socket _b;

        private RawPair(Socket a, Socket b)
        {
            _a = a;
            _b = b;
        }

        public static Task<RawPair> ConnectAsync()
        {
            // Synchronous connect and accept on purpose: any asynchronous operation would register
            // the sockets with the runtime's epoll engine, which costs ~15 µs per round trip here.
            using var listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen();
            var a = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            a.Connect(listener.LocalEndPoint!);
            Socket b = listener.Accept();
            b.NoDelay = true;
            a.Blocking = false;
            b.Blocking = false;
            return Task.FromResult(new RawPair(a, b));
        }

        public Summary PingPong(int length, int iterations)
        {
            var echo = new Thread(() =>
            {
                byte[] buffer = new byte[length];
                for (int index = 0; index < iterations; index++)
                {
                    Transfer(_b, buffer, receive: true);
                    Transfer(_b, buffer, receive: false);
                }
            });
            echo.Start();
            byte[] payload = new byte[length];
            long[] samples = new long[iterations];
            for (int index = 0; index < iterations; index++)
            {
                long start = Stopwatch.GetTimestamp();
                Transfer(_a, payload, receive: false);
                Transfer(_a, payload, receive: true);
                samples[index] = Stopwatch.GetTimestamp() - start;
            }

            echo.Join();
            return new Summary(samples);
        }

        public void Dispose()
        {
            _a.Dispose();
            _b.Dispose();
        }

        /// <summary>Moves all of <paramref name="buffer"/> with non-blocking calls, yielding while the socket is not ready (as the transport polls).</summary>
        private static void Transfer(Socket socket, byte[] buffer, bool receive)
        {
            int done = 0;
            while (done < buffer.Length)
            {
                int count = receive
                    ? socket.Receive(buffer, done, buffer.Length - done, SocketFlags.None, out SocketError error)
                    : socket.Send(buffer, done, buffer.Length - done, SocketFlags.None, out error);
                if (error == SocketError.WouldBlock)
                {
                    Thread.Yield();
                    continue;
                }

                Assert.That(error, Is.EqualTo(SocketError.Success));
                Assert.That(count, Is.Positive);
                done += count;
            }
        }
    }
}
