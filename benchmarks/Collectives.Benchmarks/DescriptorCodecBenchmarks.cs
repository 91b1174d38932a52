using BenchmarkDotNet.Attributes;
using Collectives.Offload.Descriptors;
using Collectives.Reduction;

namespace Collectives.Benchmarks;

/// <summary>Encoding and decoding (with validation) one 128-byte NIC descriptor; both must allocate nothing.</summary>
[MemoryDiagnoser]
public class DescriptorCodecBenchmarks
{
    private readonly byte[] _wire = new byte[Descriptor.EncodedSize];
    private Descriptor _descriptor;

    /// <summary>A full reduce descriptor: twelve float sums.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _descriptor.Kind = DescriptorKind.Reduce;
        _descriptor.Flags = DescriptorFlags.Queue;
        _descriptor.Op = ReduceOp.Sum;
        _descriptor.ElementType = ElementType.Float32;
        _descriptor.Width = 32;
        _descriptor.Count = 12;
        _descriptor.Branch = 3;
        _descriptor.Slot = 1;
        _descriptor.Cp = 5;
        _descriptor.CpCnt = 2;
        _descriptor.Sequence = 42;
        _descriptor.Source = 7;
        _descriptor.Destination = 3;
        _descriptor.Data.Fill(0x3F);
        _descriptor.Encode(_wire);
    }

    /// <summary>Writes the descriptor's wire format.</summary>
    [Benchmark]
    public void Encode() => _descriptor.Encode(_wire);

    /// <summary>Reads and validates it.</summary>
    /// <returns>A field of the result, so the work is not dropped.</returns>
    [Benchmark]
    public int Decode() => Descriptor.Decode(_wire).Count;
}
