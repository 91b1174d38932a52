namespace Collectives.Tests.MultiProcess.FaultMatrix;

/// <summary>
/// A connection played back from bytes: reads return <paramref name="incoming"/> and then the end
/// of the stream; writes are kept. Running a handshake's connector side over it records the proof
/// it answers <paramref name="incoming"/> (a hello) with, without connecting anywhere.
/// </summary>
/// <param name="incoming">What the "other side" sent.</param>
internal sealed class RecordingStream(byte[] incoming) : Stream
{
    private readonly MemoryStream _written = new();
    private int _read;

    /// <summary>Everything written so far.</summary>
    public byte[] Written => _written.ToArray();

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        int length = Math.Min(count, incoming.Length - _read);
        Array.Copy(incoming, _read, buffer, offset, length);
        _read += length;
        return length;
    }

    public override void Write(byte[] buffer, int offset, int count) => _written.Write(buffer, offset, count);

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _written.Dispose();
        }

        base.Dispose(disposing);
    }
}
