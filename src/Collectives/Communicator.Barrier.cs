using Collectives.Transport;

namespace Collectives;

public sealed partial class Communicator
{
    /// <summary>Blocks until every rank has entered the barrier.</summary>
    /// <exception cref="CollectiveException">The call failed on some rank; see the derived types.</exception>
    public void Barrier()
    {
        var call = PlanBarrier();
        BeginCall();
        try
        {
            Run(call);
        }
        finally
        {
            EndCall();
        }
    }

    /// <summary>Completes when every rank has entered the barrier.</summary>
    /// <param name="cancellationToken">Cancels the call; cancelling breaks the communicator on every rank.</param>
    /// <returns>Completes when every rank has entered.</returns>
    public ValueTask BarrierAsync(CancellationToken cancellationToken = default)
        => RunPinnedAsync<byte>(PlanBarrier(), default, default, cancellationToken);

    private Execution.CollectiveCall PlanBarrier()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        byte algorithm = _options.Selector.Select(CollectiveKind.Barrier, 0, Size, _shared is not null);
        RequireWindowsFor(CollectiveKind.Barrier, algorithm);
        return new Execution.CollectiveCall(CollectiveKind.Barrier, 0, null, null, 0, -1, algorithm)
        {
            Offloaded = CanOffload(CollectiveKind.Barrier, 0, null, 0, -1),
        };
    }
}
