using System.Collections.Concurrent;

namespace Collectives.Transport;

/// <summary>A rendezvous store for ranks that share one process (tests, in-process TCP jobs).</summary>
internal sealed class InMemoryRendezvousStore : IRendezvousStore
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<byte[]>> _entries = new();

    /// <inheritdoc />
    public ValueTask SetAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken)
    {
        if (!Entry(key).TrySetResult(value.ToArray()))
        {
            throw new InvalidOperationException($"Rendezvous key '{key}' was already set.");
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public async ValueTask<byte[]> GetAsync(string key, CancellationToken cancellationToken)
        => await Entry(key).Task.WaitAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private TaskCompletionSource<byte[]> Entry(string key)
        => _entries.GetOrAdd(key, static _ => new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously));
}
