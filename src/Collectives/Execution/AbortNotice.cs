using System.Buffers.Binary;
using System.Text;
using Collectives.Transport;

namespace Collectives.Execution;

/// <summary>
/// The reason a rank gives when it aborts the job (<see cref="ITransport.Abort"/>), so that every
/// other rank throws the same kind of exception with the same facts instead of a bare "aborted".
/// </summary>
internal static class AbortNotice
{
    private const byte Mismatch = 1;
    private const byte Timeout = 2;
    private const byte PeerFailed = 3;
    private const byte Other = 4;

    public static byte[] Encode(Exception failure)
    {
        var writer = new Writer();
        switch (failure)
        {
            case CollectiveMismatchException mismatch:
                writer.Byte(Mismatch).Int(mismatch.LocalRank).Signature(mismatch.Local).Int(mismatch.RemoteRank).Signature(mismatch.Remote).Text(mismatch.Detail ?? string.Empty);
                break;
            case CollectiveTimeoutException timeout:
                writer.Byte(Timeout).Int(timeout.WaitingRank).Int(timeout.SilentRank).Long(timeout.Timeout.Ticks).Signature(timeout.Call);
                break;
            case PeerFailedException peer:
                writer.Byte(PeerFailed).Int(peer.Rank).Text(peer.Reason);
                break;
            default:
                writer.Byte(Other).Text(failure.Message);
                break;
        }

        return writer.ToArray();
    }

    /// <summary>
    /// Turns an abort received from a peer back into the exception that caused it. Never throws:
    /// a reason that is empty, truncated, of an unknown kind or with a length that runs past its
    /// end comes back as a <see cref="ProtocolException"/> saying the reason was unreadable.
    /// </summary>
    public static Exception Decode(PeerAbortedException aborted)
    {
        var reader = new Reader(aborted.Reason.Span);
        byte kind = reader.Byte();
        Exception? decoded = kind switch
        {
            Mismatch => DecodeMismatch(ref reader),
            Timeout => DecodeTimeout(ref reader),
            PeerFailed => DecodePeerFailed(ref reader, aborted),
            Other => DecodeOther(ref reader, aborted),
            _ => null,
        };

        return decoded is not null && !reader.Failed
            ? decoded
            : new ProtocolException($"Rank {aborted.OriginRank} aborted the job with an unreadable reason ({reader.Problem ?? $"unknown kind {kind}"}).", aborted);
    }

    private static CollectiveMismatchException? DecodeMismatch(ref Reader reader)
    {
        int localRank = reader.Int();
        CollectiveSignature local = reader.Signature();
        int remoteRank = reader.Int();
        CollectiveSignature remote = reader.Signature();
        string detail = reader.Text();
        return reader.Failed ? null : new CollectiveMismatchException(localRank, local, remoteRank, remote, detail.Length == 0 ? null : detail);
    }

    private static CollectiveTimeoutException? DecodeTimeout(ref Reader reader)
    {
        int waitingRank = reader.Int();
        int silentRank = reader.Int();
        long ticks = reader.Long();
        CollectiveSignature call = reader.Signature();
        return reader.Failed ? null : new CollectiveTimeoutException(waitingRank, silentRank, TimeSpan.FromTicks(ticks), call);
    }

    private static PeerFailedException? DecodePeerFailed(ref Reader reader, PeerAbortedException aborted)
    {
        int rank = reader.Int();
        string reason = reader.Text();
        return reader.Failed ? null : new PeerFailedException(rank, reason, aborted);
    }

    private static ProtocolException? DecodeOther(ref Reader reader, PeerAbortedException aborted)
    {
        string message = reader.Text();
        return reader.Failed ? null : new ProtocolException($"Rank {aborted.OriginRank} aborted the job: {message}", aborted);
    }

    private sealed class Writer
    {
        private readonly List<byte> _bytes = [];

        public Writer Byte(byte value)
        {
            _bytes.Add(value);
            return this;
        }

        public Writer Int(int value)
        {
            Span<byte> buffer = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(buffer, value);
            _bytes.AddRange(buffer);
            return this;
        }

        public Writer Long(long value)
        {
            Span<byte> buffer = stackalloc byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(buffer, value);
            _bytes.AddRange(buffer);
            return this;
        }

        public Writer Signature(CollectiveSignature signature)
        {
            Span<byte> buffer = stackalloc byte[MessageTag.SizeInBytes];
            signature.ToTag(0, 0).WriteTo(buffer);
            _bytes.AddRange(buffer);
            return this;
        }

        public Writer Text(string text)
        {
            byte[] utf8 = Encoding.UTF8.GetBytes(text.Length > 4000 ? text[..4000] : text);
            Int(utf8.Length);
            _bytes.AddRange(utf8);
            return this;
        }

        public byte[] ToArray() => [.. _bytes];
    }

    /// <summary>
    /// Reads fields front to back, checking each length against what is left before touching a
    /// byte. The first field that does not fit sets <see cref="Problem"/>; it and every later
    /// read return defaults, so a decoder reads its fields and checks <see cref="Failed"/> once.
    /// </summary>
    private ref struct Reader(ReadOnlySpan<byte> source)
    {
        private ReadOnlySpan<byte> _source = source;

        public string? Problem { get; private set; }

        public readonly bool Failed => Problem is not null;

        public byte Byte() => Take(1, "kind byte") is { IsEmpty: false } bytes ? bytes[0] : default;

        public int Int() => Take(4, "integer") is { IsEmpty: false } bytes ? BinaryPrimitives.ReadInt32LittleEndian(bytes) : default;

        public long Long() => Take(8, "long integer") is { IsEmpty: false } bytes ? BinaryPrimitives.ReadInt64LittleEndian(bytes) : default;

        public CollectiveSignature Signature()
            => Take(MessageTag.SizeInBytes, "signature") is { IsEmpty: false } bytes ? CollectiveSignature.FromTag(MessageTag.ReadFrom(bytes), out _, out _) : default;

        public string Text()
        {
            int length = Int();
            if (Failed)
            {
                return string.Empty;
            }

            if (length < 0 || length > _source.Length)
            {
                Problem = $"a text claims {length} byte(s), {_source.Length} remain";
                return string.Empty;
            }

            return length == 0 ? string.Empty : Encoding.UTF8.GetString(Take(length, "text"));
        }

        /// <summary>The next <paramref name="count"/> (at least 1) bytes, or empty once anything was missing.</summary>
        private ReadOnlySpan<byte> Take(int count, string what)
        {
            if (Failed)
            {
                return default;
            }

            if (_source.Length < count)
            {
                Problem = $"the {what} needs {count} byte(s), {_source.Length} remain";
                return default;
            }

            ReadOnlySpan<byte> taken = _source[..count];
            _source = _source[count..];
            return taken;
        }
    }
}
