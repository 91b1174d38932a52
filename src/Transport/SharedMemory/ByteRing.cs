namespace Collectives.Transport.SharedMemory;

/// <summary>
/// A single-producer single-consumer byte stream in shared memory: the producer advances the
/// head, the consumer the tail, each on its own line; both count bytes ever written or read, so
/// the position in the buffer is the count modulo the (power-of-two) capacity.
/// </summary>
internal readonly unsafe struct ByteRing
{
    private readonly long* _head;
    private readonly long* _tail;
    private readonly byte* _data;
    private readonly int _capacity;

    public ByteRing(byte* start, int capacity)
    {
        _head = (long*)start;
        _tail = (long*)(start + SegmentLayout.Line);
        _data = start + (2 * SegmentLayout.Line);
        _capacity = capacity;
    }

    /// <summary>Bytes the producer may write now.</summary>
    public int FreeSpace => _capacity - (int)(*_head - Volatile.Read(ref *_tail));

    /// <summary>Bytes the consumer may read now.</summary>
    public int Available => (int)(Volatile.Read(ref *_head) - *_tail);

    /// <summary>Producer: copies <paramref name="bytes"/> in (they must fit) without publishing them.</summary>
    public void Write(long offsetFromHead, ReadOnlySpan<byte> bytes)
    {
        int position = (int)((*_head + offsetFromHead) & (_capacity - 1));
        int first = Math.Min(bytes.Length, _capacity - position);
        bytes[..first].CopyTo(new Span<byte>(_data + position, first));
        bytes[first..].CopyTo(new Span<byte>(_data, bytes.Length - first));
    }

    /// <summary>Producer: makes <paramref name="count"/> more written bytes visible to the consumer.</summary>
    public void Publish(int count) => Volatile.Write(ref *_head, *_head + count);

    /// <summary>Consumer: copies the next <paramref name="destination"/>.Length bytes out without consuming them.</summary>
    public void Peek(Span<byte> destination)
    {
        int position = (int)(*_tail & (_capacity - 1));
        int first = Math.Min(destination.Length, _capacity - position);
        new ReadOnlySpan<byte>(_data + position, first).CopyTo(destination);
        new ReadOnlySpan<byte>(_data, destination.Length - first).CopyTo(destination[first..]);
    }

    /// <summary>Consumer: frees the next <paramref name="count"/> bytes for the producer.</summary>
    public void Consume(int count) => Volatile.Write(ref *_tail, *_tail + count);
}
