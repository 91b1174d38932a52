using BenchmarkDotNet.Attributes;

namespace Collectives.Benchmarks;

/// <summary>
/// What the flight recorder adds to a call: an 8 B Allreduce on a one-rank communicator, which
/// runs the whole call path (signature, plan, recorder, metrics check) with no peer to wait for,
/// so the recorder's share is the largest it can be. Compare FlightRecorderCalls = 0 (off) and 16
/// (the default); the difference in ns, against a real 8 B call's latency (collbench), is the overhead.
/// </summary>
[MemoryDiagnoser]
public class FlightRecorderBenchmarks
{
    private readonly float[] _data = new float[2];
    private Communicator _communicator = null!;

    /// <summary>Calls each communicator's recorder keeps; 0 turns it off.</summary>
    [Params(0, 16)]
    public int FlightRecorderCalls { get; set; }

    /// <summary>Creates the one-rank communicator.</summary>
    [GlobalSetup]
    public void Setup() => _communicator = Communicator.CreateLocal(1, new CommunicatorOptions { FlightRecorderCalls = FlightRecorderCalls })[0];

    /// <summary>One 8 B Sum Allreduce.</summary>
    [Benchmark]
    public void Allreduce_8B_one_rank() => _communicator.Allreduce(_data.AsSpan(), ReduceOp.Sum);

    /// <summary>Disposes the communicator.</summary>
    [GlobalCleanup]
    public void Cleanup() => _communicator.Dispose();
}
