using System.Buffers.Binary;
using System.Text;

namespace Collectives.Transport.Rendezvous;

/// <summary>
/// The wire format of the rendezvous store, spoken after the handshake
/// (<see cref="Security.HandshakePurpose.Rendezvous"/>). All integers are little-endian.
/// <code>
/// request  = u32 bodyLength, body: u8 opcode, u16 keyLength, key (UTF-8), value (SET only: the rest)
/// response = u32 bodyLength, body: u8 status, payload (GET: the value; an error: a UTF-8 message)
/// </code>
/// A client sends one request at a time and reads its response before the next. The length
/// prefix is checked against the limits before any body byte is read, so an oversized frame
/// costs the server nothing.
/// </summary>
internal static class RendezvousProtocol
{
    /// <summary>Longest key, in UTF-8 bytes.</summary>
    public const int MaxKeyBytes = 1024;

    /// <summary>Largest value, in bytes (what <see cref="IRendezvousStore"/> promises).</summary>
    public const int MaxValueBytes = 64 * 1024;

    /// <summary>Size of the length prefix of every frame.</summary>
    public const int LengthPrefixBytes = 4;

    /// <summary>Opcode and key length.</summary>
    private const int RequestHeaderBytes = 1 + 2;

    /// <summary>Largest request body a server accepts.</summary>
    public const int MaxRequestBodyBytes = RequestHeaderBytes + MaxKeyBytes + MaxValueBytes;

    /// <summary>Largest response body a client accepts: a status byte and a value (error messages are shorter).</summary>
    public const int MaxResponseBodyBytes = 1 + MaxValueBytes;

    /// <summary>Error messages are cut to this many characters so they always fit a response.</summary>
    private const int MaxMessageChars = 512;

    /// <summary>What a frame's body starts at before more of it has arrived: most frames fit.</summary>
    private const int FirstBodyChunkBytes = 4096;

    // Strict, so a key that is not valid UTF-8 is refused rather than silently turned into U+FFFD
    // (two different byte strings must never name the same key).
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Checks a key a caller passed; throws <see cref="ArgumentException"/> naming the limit.</summary>
    public static byte[] EncodeKey(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        byte[] bytes = StrictUtf8.GetBytes(key);
        if (bytes.Length > MaxKeyBytes)
        {
            throw new ArgumentException($"A rendezvous key is at most {MaxKeyBytes} bytes of UTF-8; '{key[..Math.Min(key.Length, 40)]}...' is {bytes.Length}.", nameof(key));
        }

        return bytes;
    }

    /// <summary>Builds a whole request frame, prefix included.</summary>
    public static byte[] EncodeRequest(RendezvousOpcode opcode, byte[] key, ReadOnlySpan<byte> value)
    {
        int bodyLength = RequestHeaderBytes + key.Length + value.Length;
        byte[] frame = new byte[LengthPrefixBytes + bodyLength];
        BinaryPrimitives.WriteUInt32LittleEndian(frame, (uint)bodyLength);
        frame[LengthPrefixBytes] = (byte)opcode;
        BinaryPrimitives.WriteUInt16LittleEndian(frame.AsSpan(LengthPrefixBytes + 1), (ushort)key.Length);
        key.CopyTo(frame, LengthPrefixBytes + RequestHeaderBytes);
        value.CopyTo(frame.AsSpan(LengthPrefixBytes + RequestHeaderBytes + key.Length));
        return frame;
    }

    /// <summary>Decodes a request body; a malformed one comes back with <see cref="RendezvousRequest.Error"/> set.</summary>
    public static RendezvousRequest DecodeRequest(ReadOnlySpan<byte> body)
    {
        if (body.Length < RequestHeaderBytes)
        {
            return RendezvousRequest.Invalid($"a request body of {body.Length} bytes is shorter than its {RequestHeaderBytes}-byte header");
        }

        var opcode = (RendezvousOpcode)body[0];
        if (opcode is not (RendezvousOpcode.Set or RendezvousOpcode.Get))
        {
            return RendezvousRequest.Invalid($"unknown opcode {body[0]}");
        }

        int keyLength = BinaryPrimitives.ReadUInt16LittleEndian(body[1..]);
        if (keyLength == 0 || keyLength > MaxKeyBytes)
        {
            return RendezvousRequest.Invalid($"key length {keyLength} is outside 1..{MaxKeyBytes}");
        }

        if (keyLength > body.Length - RequestHeaderBytes)
        {
            return RendezvousRequest.Invalid($"key length {keyLength} runs past the end of a {body.Length}-byte request");
        }

        string key;
        try
        {
            key = StrictUtf8.GetString(body.Slice(RequestHeaderBytes, keyLength));
        }
        catch (DecoderFallbackException)
        {
            return RendezvousRequest.Invalid("the key is not valid UTF-8");
        }

        ReadOnlySpan<byte> value = body[(RequestHeaderBytes + keyLength)..];
        if (opcode == RendezvousOpcode.Get && !value.IsEmpty)
        {
            return RendezvousRequest.Invalid($"a GET carries {value.Length} value bytes");
        }

        if (value.Length > MaxValueBytes)
        {
            return RendezvousRequest.Invalid($"a value of {value.Length} bytes exceeds the {MaxValueBytes}-byte limit");
        }

        return new RendezvousRequest(opcode, key, value.ToArray(), null);
    }

    /// <summary>Builds a whole response frame, prefix included.</summary>
    public static byte[] EncodeResponse(RendezvousStatus status, ReadOnlySpan<byte> payload)
    {
        byte[] frame = new byte[LengthPrefixBytes + 1 + payload.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(frame, (uint)(1 + payload.Length));
        frame[LengthPrefixBytes] = (byte)status;
        payload.CopyTo(frame.AsSpan(LengthPrefixBytes + 1));
        return frame;
    }

    /// <summary>Builds an error response carrying a (shortened) message.</summary>
    public static byte[] EncodeError(RendezvousStatus status, string message)
        => EncodeResponse(status, Encoding.UTF8.GetBytes(message.Length > MaxMessageChars ? message[..MaxMessageChars] : message));

    /// <summary>Decodes the message of an error response.</summary>
    public static string DecodeMessage(ReadOnlySpan<byte> payload) => Encoding.UTF8.GetString(payload);

    /// <summary>
    /// Decodes a response body to a request described by <paramref name="what"/>: its status (OK
    /// or key-already-set) and payload.
    /// </summary>
    /// <exception cref="ProtocolException">The body is empty, says the request was refused, or has an unknown status.</exception>
    public static (RendezvousStatus Status, byte[] Payload) DecodeResponse(ReadOnlySpan<byte> body, string what)
    {
        if (body.IsEmpty)
        {
            throw new ProtocolException($"The rendezvous server answered {what} with an empty response (no status byte).");
        }

        var status = (RendezvousStatus)body[0];
        ReadOnlySpan<byte> payload = body[1..];
        return status switch
        {
            RendezvousStatus.Ok or RendezvousStatus.KeyAlreadySet => (status, payload.ToArray()),
            RendezvousStatus.BadRequest => throw new ProtocolException($"The rendezvous server refused {what}: {DecodeMessage(payload[..Math.Min(payload.Length, MaxMessageChars * 3)])}"),
            _ => throw new ProtocolException($"The rendezvous server refused {what}: unknown status {body[0]}"),
        };
    }

    /// <summary>
    /// Reads one frame's body. Returns null when the peer closed cleanly between frames; throws
    /// <see cref="ProtocolException"/> when it closed inside a frame or announced a body larger
    /// than <paramref name="maxBodyBytes"/>. The body grows as its bytes arrive, so a peer that
    /// announces a large frame and sends little of it costs little memory.
    /// </summary>
    public static async ValueTask<byte[]?> ReadFrameAsync(Stream stream, int maxBodyBytes, string peer, CancellationToken cancellationToken)
    {
        byte[] prefix = new byte[LengthPrefixBytes];
        int got = await stream.ReadAtLeastAsync(prefix, LengthPrefixBytes, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (got == 0)
        {
            return null;
        }

        if (got < LengthPrefixBytes)
        {
            throw new ProtocolException($"{peer} closed the connection inside a length prefix (truncated after {got} of {LengthPrefixBytes} bytes).");
        }

        uint length = BinaryPrimitives.ReadUInt32LittleEndian(prefix);
        if (length > (uint)maxBodyBytes)
        {
            throw new ProtocolException($"{peer} announced a {length}-byte frame; the limit is {maxBodyBytes} bytes (oversized).");
        }

        byte[] body = new byte[Math.Min((int)length, FirstBodyChunkBytes)];
        int received = 0;
        while (received < length)
        {
            if (received == body.Length)
            {
                Array.Resize(ref body, (int)Math.Min(length, 2L * body.Length));
            }

            got = await stream.ReadAsync(body.AsMemory(received), cancellationToken).ConfigureAwait(false);
            if (got == 0)
            {
                throw new ProtocolException($"{peer} closed the connection inside a frame (truncated after {received} of {length} bytes).");
            }

            received += got;
        }

        return body;
    }
}
