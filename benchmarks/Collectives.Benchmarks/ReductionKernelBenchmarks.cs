using BenchmarkDotNet.Attributes;
using Collectives.Reduction;

namespace Collectives.Benchmarks;

/// <summary>
/// The library's reduction kernels (through <see cref="ReductionKernel.Apply"/> on byte spans, as the
/// algorithms call them) against a plain scalar loop, at 1 KiB (L1), 64 KiB (L2) and 4 MiB (beyond
/// L2) per operand. The GB/s column is output bytes per second.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ThroughputConfig))]
public class ReductionKernelBenchmarks
{
    private byte[] _x = [];
    private byte[] _y = [];
    private byte[] _destination = [];
    private ReductionKernel? _kernel;

    /// <summary>The operation and element type.</summary>
    [ParamsSource(nameof(Cases))]
    public KernelBenchmarkCase Case { get; set; } = KernelBenchmarkCase.All().First();

    /// <summary>Bytes in each operand and in the result.</summary>
    [Params(1024, 64 * 1024, 4 * 1024 * 1024)]
    public int Bytes { get; set; }

    /// <summary>The benchmarked cases.</summary>
    /// <returns>Every case.</returns>
    public static IEnumerable<KernelBenchmarkCase> Cases() => KernelBenchmarkCase.All();

    /// <summary>Allocates and fills the operands.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _x = new byte[Bytes];
        _y = new byte[Bytes];
        _destination = new byte[Bytes];
        var random = new Random(42);
        Case.Fill(_x, random);
        Case.Fill(_y, random);
        _kernel = ReductionKernels.Get(Case.Op, Case.DataType);
    }

    /// <summary>The plain loop.</summary>
    [Benchmark(Baseline = true)]
    public void ScalarLoop() => Case.ScalarLoop(_x, _y, _destination);

    /// <summary>The library kernel.</summary>
    [Benchmark]
    public void Library() => _kernel!.Apply(_x, _y, _destination);
}
