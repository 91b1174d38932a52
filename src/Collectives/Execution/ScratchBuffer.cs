namespace Collectives.Execution;

/// <summary>A temporary buffer of an exact length from a <see cref="ScratchCache"/>; return it with <see cref="Dispose"/>.</summary>
internal readonly struct ScratchBuffer : IDisposable
{
    private readonly ScratchCache? _owner;
    private readonly byte[] _array;
    private readonly int _length;

    public ScratchBuffer(ScratchCache owner, int length)
    {
        _owner = owner;
        _array = owner.Rent(length);
        _length = length;
    }

    public Memory<byte> Memory => _array.AsMemory(0, _length);

    public Span<byte> Span => _array.AsSpan(0, _length);

    /// <summary>Gives the array back; does nothing for <c>default</c>.</summary>
    public void Dispose() => _owner?.Return(_array);
}
