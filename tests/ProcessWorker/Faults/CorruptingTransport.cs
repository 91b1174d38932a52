using Collectives.Transport;

namespace Collectives.ProcessWorker.Faults;

/// <summary>
/// A rank's transport as its NIC sees it, with the wire corrupted: once <see cref="Armed"/>, every
/// packet the NIC sends carries kind byte 0xEE (no descriptor kind), everything else as sent.
/// </summary>
internal sealed class CorruptingTransport(ITransport inner) : ITransport
{
    /// <summary>Offset of the kind byte in an encoded descriptor (after the format version).</summary>
    private const int KindOffset = 1;

    private static volatile bool s_armed;

    /// <summary>Whether packets are corrupted from now on (set once the job has run clean calls).</summary>
    public static bool Armed
    {
        get => s_armed;
        set => s_armed = value;
    }

    public int Rank => inner.Rank;

    public int Size => inner.Size;

    public string Name => inner.Name;

    public ValueTask SendAsync(int destination, MessageTag tag, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        if (!Armed || payload.Length <= KindOffset)
        {
            return inner.SendAsync(destination, tag, payload, cancellationToken);
        }

        byte[] corrupted = payload.ToArray();
        corrupted[KindOffset] = 0xEE;
        return inner.SendAsync(destination, tag, corrupted, cancellationToken);
    }

    public ValueTask<ReceivedMessage> ReceiveAsync(int source, MessageTag expectedTag, Memory<byte> buffer, CancellationToken cancellationToken)
        => inner.ReceiveAsync(source, expectedTag, buffer, cancellationToken);

    public void Abort(ReadOnlySpan<byte> reason) => inner.Abort(reason);

    public TFeature? GetFeature<TFeature>()
        where TFeature : class
        => inner.GetFeature<TFeature>();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
