using Collectives.Transport;

namespace Collectives;

public sealed partial class Communicator
{
    /// <summary>Copies the root's <paramref name="buffer"/> into every rank's <paramref name="buffer"/>. Blocks until done.</summary>
    /// <typeparam name="T">float, double, int, long, uint, ulong, or <see cref="ValueIndex{TValue}"/>.</typeparam>
    /// <param name="buffer">At the root, the data; elsewhere, receives it. Same length on every rank.</param>
    /// <param name="root">The rank whose data is broadcast.</param>
    /// <param name="algorithm">Forces an algorithm; <see cref="BroadcastAlgorithm.Auto"/> uses the selection table.</param>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not supported.</exception>
    /// <exception cref="CollectiveException">The call failed on some rank; see the derived types.</exception>
    public void Broadcast<T>(Span<T> buffer, int root, BroadcastAlgorithm algorithm = BroadcastAlgorithm.Auto)
        where T : unmanaged
    {
        var call = Plan<T>(CollectiveKind.Broadcast, 0, buffer.Length, root, (byte)algorithm);
        RunBlocking(call, buffer, buffer);
    }

    /// <summary>Asynchronous form of <see cref="Broadcast{T}(Span{T}, int, BroadcastAlgorithm)"/>.</summary>
    /// <typeparam name="T">float, double, int, long, uint, ulong, or <see cref="ValueIndex{TValue}"/>.</typeparam>
    /// <param name="buffer">At the root, the data; elsewhere, receives it. Pinned until the call completes.</param>
    /// <param name="root">The rank whose data is broadcast.</param>
    /// <param name="algorithm">Forces an algorithm; <see cref="BroadcastAlgorithm.Auto"/> uses the selection table.</param>
    /// <param name="cancellationToken">Cancels the call; cancelling breaks the communicator on every rank.</param>
    /// <returns>Completes when this rank's buffer holds the root's data.</returns>
    public ValueTask BroadcastAsync<T>(Memory<T> buffer, int root, BroadcastAlgorithm algorithm = BroadcastAlgorithm.Auto, CancellationToken cancellationToken = default)
        where T : unmanaged
    {
        var call = Plan<T>(CollectiveKind.Broadcast, 0, buffer.Length, root, (byte)algorithm);
        return RunPinnedAsync(call, buffer, buffer, cancellationToken);
    }
}
