using System.Buffers;
using BenchmarkDotNet.Attributes;
using Collectives.Transport;
using Collectives.Transport.Tcp;

namespace Collectives.Benchmarks;

/// <summary>
/// Encoding and decoding the TCP frame header, which every message pays for twice; the memory
/// diagnoser shows that neither allocates.
/// </summary>
[MemoryDiagnoser]
public class FrameHeaderBenchmarks
{
    private const int MaxPayload = 64 << 20;

    private readonly byte[] _wire = new byte[FrameHeader.Size];
    private readonly FrameHeader _header = new(FrameType.Data, 4096, new MessageTag(1, 2, 3, 4));
    private ReadOnlySequence<byte> _received;

    /// <summary>Puts one encoded header on the "wire" for the decode benchmark.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _header.WriteTo(_wire);
        _received = new ReadOnlySequence<byte>(_wire);
    }

    /// <summary>Writes the 40-byte header.</summary>
    [Benchmark]
    public void Encode() => _header.WriteTo(_wire);

    /// <summary>Reads and validates the header from a received buffer.</summary>
    /// <returns>The payload length, so the read is not optimised away.</returns>
    [Benchmark]
    public int Decode() => FrameHeader.TryRead(_received, MaxPayload, out FrameHeader header) ? header.PayloadLength : -1;
}
