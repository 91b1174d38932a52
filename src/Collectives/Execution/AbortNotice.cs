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

    /// <summary>Turns an abort received from a peer back into the exception that caused it.</summary>
    public static Exception Decode(PeerAbortedException aborted)
    {
        try
        {
            var reader = new Reader(aborted.Reason.Span);
            switch (reader.Byte())
            {
                case Mismatch:
                    int localRank = reader.Int();
                    CollectiveSignature local = reader.Signature();
                    int remoteRank = reader.Int();
                    CollectiveSignature remote = reader.Signature();
                    string detail = reader.Text();
                    return new CollectiveMismatchException(localRank, local, remoteRank, remote, detail.Length == 0 ? null : detail);
                case Timeout:
                    return new CollectiveTimeoutException(reader.Int(), reader.Int(), TimeSpan.FromTicks(reader.Long()), reader.Signature());
                case PeerFailed:
                    return new PeerFailedException(reader.Int(), reader.Text(), aborted);
                case Other:
                    return new ProtocolException($"Rank {aborted.OriginRank} aborted the job: {reader.Text()}", aborted);
            }
        }
        catch (ArgumentOutOfRangeException)
        {
            // Fall through: a truncated notice is reported as such below.
        }

        return new ProtocolException($"Rank {aborted.OriginRank} aborted the job with an unreadable reason.", aborted);
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

    private ref struct Reader(ReadOnlySpan<byte> source)
    {
        private ReadOnlySpan<byte> _source = source;

        public byte Byte()
        {
            byte value = _source[0];
            _source = _source[1..];
            return value;
        }

        public int Int()
        {
            int value = BinaryPrimitives.ReadInt32LittleEndian(_source);
            _source = _source[4..];
            return value;
        }

        public long Long()
        {
            long value = BinaryPrimitives.ReadInt64LittleEndian(_source);
            _source = _source[8..];
            return value;
        }

        public CollectiveSignature Signature()
        {
            CollectiveSignature value = CollectiveSignature.FromTag(MessageTag.ReadFrom(_source), out _, out _);
            _source = _source[MessageTag.SizeInBytes..];
            return value;
        }

        public string Text()
        {
            int length = Int();
            string value = Encoding.UTF8.GetString(_source[..length]);
            _source = _source[length..];
            return value;
        }
    }
}
