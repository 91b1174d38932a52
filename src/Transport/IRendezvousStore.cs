namespace Collectives.Transport;

/// <summary>
/// A small key-value store the ranks of a job share while they start: each publishes how to reach
/// it and reads how to reach the others. Values are write-once per key.
/// </summary>
public interface IRendezvousStore : IAsyncDisposable
{
    /// <summary>Publishes <paramref name="value"/> under <paramref name="key"/>.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value (at most 64 KiB).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Completes when the store holds the value.</returns>
    ValueTask SetAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken);

    /// <summary>Returns the value under <paramref name="key"/>, waiting until some rank publishes it.</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Cancels the wait (callers bound it with their timeout).</param>
    /// <returns>The value.</returns>
    ValueTask<byte[]> GetAsync(string key, CancellationToken cancellationToken);
}
