using System.Buffers;

namespace Collectives.Execution;

/// <summary>A pooled temporary buffer of an exact length; return it with <see cref="Dispose"/>.</summary>
internal readonly struct ScratchBuffer : IDisposable
{
    private readonly byte[] _array;
    private readonly int _length;

    public ScratchBuffer(int length)
    {
        _array = length == 0 ? [] : ArrayPool<byte>.Shared.Rent(length);
        _length = length;
    }

    public Memory<byte> Memory => _array.AsMemory(0, _length);

    public Span<byte> Span => _array.AsSpan(0, _length);

    public void Dispose()
    {
        if (_array is { Length: > 0 })
        {
            ArrayPool<byte>.Shared.Return(_array);
        }
    }
}
