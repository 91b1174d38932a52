using BenchmarkDotNet.Attributes;
using Collectives.Transport;
using Collectives.Transport.Tcp;

namespace Collectives.Benchmarks;

/// <summary>
/// Round trips between two ranks of a TCP job in this process over loopback (<see cref="LoopbackTcpJob"/>),
/// against a raw-socket baseline measured the same way (<see cref="RawSocketPair"/>; the machine is
/// noisy, so compare within a run). 8 bytes is the latency; at 1 and 16 MiB the bandwidth is
/// 2 x Bytes / Mean. Rank 1 echoes for as long as the benchmark runs: on its own thread, blocking
/// on each call (as the synchronous API does), or as an async loop on the thread pool (as
/// collectives run). The memory diagnoser counts both ranks' allocations. Every reply must arrive
/// whole, and the last one must equal the payload.
/// </summary>
[MemoryDiagnoser]
public class TcpPingPongBenchmarks
{
    private const ulong Context = 0xC011EC7;

    private static readonly MessageTag Ping = new(0, 1, 0, Context);
    private static readonly MessageTag Pong = new(1, 0, 0, Context);
    private static readonly MessageTag Stop = new(0, 1, 1, Context);

    private byte[] _payload = [];
    private byte[] _reply = [];
    private RawSocketPair? _raw;
    private LoopbackTcpJob? _job;
    private Thread? _echoThread;
    private Task? _echoTask;

    /// <summary>Bytes each way.</summary>
    [Params(8, 1024 * 1024, 16 * 1024 * 1024)]
    public int Bytes { get; set; }

    /// <summary>Connects the raw sockets and starts their echo.</summary>
    [GlobalSetup(Target = nameof(RawSocket))]
    public void SetupRawSocket()
    {
        CreateBuffers();
        _raw = RawSocketPair.Connect();
        _raw.StartEcho(Bytes);
    }

    /// <summary>Connects the ranks; rank 1 echoes on its own thread, blocking.</summary>
    [GlobalSetup(Target = nameof(TcpTransportBlocking))]
    public void SetupBlocking()
    {
        CreateBuffers();
        LoopbackTcpJob job = _job = LoopbackTcpJob.Start();
        _echoThread = new Thread(() =>
        {
            byte[] buffer = new byte[Bytes];
            while (Wait(job[1].ReceiveAsync(0, Ping, buffer, CancellationToken.None)).Tag != Stop)
            {
                Wait(job[1].SendAsync(0, Pong, buffer, CancellationToken.None));
            }
        })
        { IsBackground = true, Name = "rank 1 echo" };
        _echoThread.Start();
    }

    /// <summary>Connects the ranks; rank 1 echoes in an async loop on the thread pool.</summary>
    [GlobalSetup(Target = nameof(TcpTransportAsync))]
    public void SetupAsync()
    {
        CreateBuffers();
        LoopbackTcpJob job = _job = LoopbackTcpJob.Start();
        _echoTask = Task.Run(async () =>
        {
            byte[] buffer = new byte[Bytes];
            while ((await job[1].ReceiveAsync(0, Ping, buffer, CancellationToken.None)).Tag != Stop)
            {
                await job[1].SendAsync(0, Pong, buffer, CancellationToken.None);
            }
        });
    }

    /// <summary>One round trip over raw non-blocking sockets, busy-polling.</summary>
    [Benchmark(Baseline = true)]
    public void RawSocket() => _raw!.RoundTrip(_payload, _reply);

    /// <summary>One round trip from rank 0, blocking on each call.</summary>
    [Benchmark]
    public void TcpTransportBlocking()
    {
        TcpTransport rank = _job![0];
        Wait(rank.SendAsync(1, Ping, _payload, CancellationToken.None));
        LoopbackTcpJob.ThrowUnlessDelivered(Wait(rank.ReceiveAsync(1, Pong, _reply, CancellationToken.None)));
    }

    /// <summary>One round trip from rank 0, awaiting each call.</summary>
    /// <returns>The round trip.</returns>
    [Benchmark]
    public async Task TcpTransportAsync()
    {
        TcpTransport rank = _job![0];
        await rank.SendAsync(1, Ping, _payload, CancellationToken.None);
        LoopbackTcpJob.ThrowUnlessDelivered(await rank.ReceiveAsync(1, Pong, _reply, CancellationToken.None));
    }

    /// <summary>Stops the echo, closes everything, and checks the last reply.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        if (_job is not null)
        {
            Wait(_job[0].SendAsync(1, Stop, ReadOnlyMemory<byte>.Empty, CancellationToken.None));
            _echoThread?.Join();
            _echoTask?.GetAwaiter().GetResult();
            _job.Dispose();
        }

        _raw?.Dispose();
        if (!_reply.AsSpan().SequenceEqual(_payload))
        {
            throw new InvalidOperationException("The echoed payload differs from the one sent.");
        }
    }

    private void CreateBuffers()
    {
        _payload = new byte[Bytes];
        new Random(42).NextBytes(_payload);
        _reply = new byte[Bytes];
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
}
