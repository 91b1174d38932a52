namespace Collectives.Transport.Tests.Tcp;

/// <summary>Distinct, recognisable tags and payloads for test messages.</summary>
internal static class Tags
{
    public static MessageTag For(int source, int destination, int index) => new((ulong)source, (ulong)destination, (ulong)index, 0xC011EC7);

    /// <summary>A payload whose every byte depends on the message, so misplaced or corrupted data shows.</summary>
    public static byte[] Payload(int source, int destination, int index, int length)
    {
        byte[] payload = new byte[length];
        uint state = (uint)(((source * 31) + destination) * 1_000_003 + index) | 1;
        for (int i = 0; i < length; i++)
        {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            payload[i] = (byte)state;
        }

        return payload;
    }
}
