using System.Buffers;

namespace Collectives.Execution;

/// <summary>
/// Presents memory that the caller keeps pinned (a <c>fixed</c> span or a pinned
/// <see cref="Memory{T}"/>) as <see cref="Memory{T}"/> of bytes, so the synchronous and asynchronous
/// API, whatever the element type, run the same byte-oriented algorithms. Reused across calls.
/// </summary>
internal sealed unsafe class PinnedMemory : MemoryManager<byte>
{
    private byte* _pointer;
    private int _length;

    public void Attach(void* pointer, int length)
    {
        _pointer = (byte*)pointer;
        _length = length;
    }

    public void Detach()
    {
        _pointer = null;
        _length = 0;
    }

    public override Span<byte> GetSpan() => new(_pointer, _length);

    public override MemoryHandle Pin(int elementIndex = 0) => new(_pointer + elementIndex);

    public override void Unpin()
    {
    }

    protected override void Dispose(bool disposing) => Detach();
}
