namespace Collectives.Transport.Tests.Support;

/// <summary>What a man in the middle does to one direction of a connection, at a byte position of everything sent that way.</summary>
internal enum TamperKind
{
    /// <summary>XOR the byte at the position with <see cref="Tamper.Bytes"/>[0] (non-zero).</summary>
    Flip,

    /// <summary>Replace the bytes from the position on with <see cref="Tamper.Bytes"/>.</summary>
    Overwrite,

    /// <summary>Insert <see cref="Tamper.Bytes"/> before the byte at the position.</summary>
    Insert,

    /// <summary>Close the connection just before the byte at the position.</summary>
    Cut,
}

/// <summary>One change to the bytes sent one way over a connection.</summary>
/// <param name="Kind">What is done.</param>
/// <param name="Position">Where, counting every byte sent that way from the first.</param>
/// <param name="Bytes">The mask, the replacement or the inserted bytes.</param>
internal sealed record Tamper(TamperKind Kind, int Position, byte[] Bytes)
{
    public override string ToString() => $"{Kind} at {Position} {Convert.ToHexString(Bytes)}";
}

/// <summary>A write-only stream that passes what is written to <c>inner</c> with one <see cref="Tamper"/> applied.</summary>
internal sealed class TamperingStream(Stream inner, Tamper tamper) : Stream
{
    private readonly List<byte> _original = [];
    private readonly List<byte> _passed = [];
    private long _written;
    private bool _cut;

    /// <summary>
    /// Whether the other side received something else than was sent in the first
    /// <paramref name="length"/> bytes (as far as they were sent): a tamper can happen to change
    /// nothing, as when it inserts or writes the very bytes that were there.
    /// </summary>
    public bool Changed(int length)
    {
        int sent = Math.Min(length, _original.Count);
        return _passed.Count < sent || !_passed.GetRange(0, sent).SequenceEqual(_original.GetRange(0, sent));
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _written;
        set => throw new NotSupportedException();
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_cut)
        {
            return;
        }

        long start = _written;
        _written += buffer.Length;
        _original.AddRange(buffer.Span);
        int at = tamper.Position - (int)start;
        byte[] bytes = buffer.ToArray();
        if (at < 0 || at >= bytes.Length)
        {
            if (tamper.Kind == TamperKind.Overwrite)
            {
                Overwrite(bytes, at);
            }

            _passed.AddRange(bytes);
            await inner.WriteAsync(bytes, cancellationToken);
            return;
        }

        switch (tamper.Kind)
        {
            case TamperKind.Flip:
                bytes[at] ^= tamper.Bytes[0];
                break;
            case TamperKind.Overwrite:
                Overwrite(bytes, at);
                break;
            case TamperKind.Insert:
                bytes = [.. bytes.AsSpan(0, at), .. tamper.Bytes, .. bytes.AsSpan(at)];
                break;
            case TamperKind.Cut:
                _passed.AddRange(bytes.AsSpan(0, at));
                await inner.WriteAsync(bytes.AsMemory(0, at), cancellationToken);
                await inner.FlushAsync(cancellationToken);
                _cut = true;
                await inner.DisposeAsync();
                return;
        }

        _passed.AddRange(bytes);
        await inner.WriteAsync(bytes, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override Task FlushAsync(CancellationToken cancellationToken) => _cut ? Task.CompletedTask : inner.FlushAsync(cancellationToken);

    public override void Flush() => FlushAsync(CancellationToken.None).GetAwaiter().GetResult();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        if (!_cut)
        {
            await inner.DisposeAsync();
        }

        await base.DisposeAsync();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_cut)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>Applies an overwrite that starts at <paramref name="at"/> (relative to this write, possibly before it) to the bytes it covers here.</summary>
    private void Overwrite(byte[] bytes, int at)
    {
        for (int i = Math.Max(0, -at); i < tamper.Bytes.Length && at + i < bytes.Length; i++)
        {
            bytes[at + i] = tamper.Bytes[i];
        }
    }
}
