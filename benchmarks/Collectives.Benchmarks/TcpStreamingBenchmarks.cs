using BenchmarkDotNet.Attributes;
using Collectives.Transport;

namespace Collectives.Benchmarks;

/// <summary>
/// One-way bandwidth between two ranks of a TCP job in this process over loopback
/// (<see cref="LoopbackTcpJob"/>): rank 0 streams <see cref="Messages"/> messages from the thread
/// pool while rank 1 receives them. Mean is per message; the GB/s column is Bytes / Mean, the
/// one-way bandwidth. Every message must arrive whole, and the last one must equal the payload.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ThroughputConfig))]
public class TcpStreamingBenchmarks
{
    /// <summary>Messages streamed per invocation.</summary>
    public const int Messages = 20;

    private const ulong Context = 0xC011EC7;

    private byte[] _payload = [];
    private byte[] _buffer = [];
    private LoopbackTcpJob? _job;

    /// <summary>Bytes per message.</summary>
    [Params(16 * 1024 * 1024)]
    public int Bytes { get; set; }

    /// <summary>Connects the ranks and fills the payload.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _payload = new byte[Bytes];
        new Random(42).NextBytes(_payload);
        _buffer = new byte[Bytes];
        _job = LoopbackTcpJob.Start();
    }

    /// <summary>Streams <see cref="Messages"/> messages from rank 0 to rank 1.</summary>
    /// <returns>The stream.</returns>
    [Benchmark(OperationsPerInvoke = Messages)]
    public async Task OneWayStream()
    {
        LoopbackTcpJob job = _job!;
        Task sending = Task.Run(async () =>
        {
            for (int index = 0; index < Messages; index++)
            {
                await job[0].SendAsync(1, Tag(index), _payload, CancellationToken.None);
            }
        });
        for (int index = 0; index < Messages; index++)
        {
            LoopbackTcpJob.ThrowUnlessDelivered(await job[1].ReceiveAsync(0, Tag(index), _buffer, CancellationToken.None));
        }

        await sending;
    }

    /// <summary>Closes the ranks and checks the last message.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _job?.Dispose();
        if (!_buffer.AsSpan().SequenceEqual(_payload))
        {
            throw new InvalidOperationException("The streamed payload differs from the one sent.");
        }
    }

    private static MessageTag Tag(int index) => new(0, 1, (ulong)index, Context);
}
