using Collectives.Transport;

namespace Collectives;

public sealed partial class Communicator
{
    /// <summary>Blocks until every rank has entered the barrier.</summary>
    /// <exception cref="CollectiveException">The call failed on some rank; see the derived types.</exception>
    public void Barrier() => Barrier(BarrierAlgorithm.Auto);

    /// <summary>Blocks until every rank has entered the barrier, with the given algorithm.</summary>
    /// <param name="algorithm">Forces an algorithm; <see cref="BarrierAlgorithm.Auto"/> uses the selection table.</param>
    /// <exception cref="NotSupportedException">The communicator cannot run <paramref name="algorithm"/>.</exception>
    /// <exception cref="CollectiveException">The call failed on some rank; see the derived types.</exception>
    public void Barrier(BarrierAlgorithm algorithm)
        => RunBlocking<byte>(PlanBarrier(algorithm), default, default);

    /// <summary>Completes when every rank has entered the barrier.</summary>
    /// <param name="cancellationToken">Cancels the call; cancelling breaks the communicator on every rank.</param>
    /// <returns>Completes when every rank has entered.</returns>
    public ValueTask BarrierAsync(CancellationToken cancellationToken = default)
        => BarrierAsync(BarrierAlgorithm.Auto, cancellationToken);

    /// <summary>Completes when every rank has entered the barrier, run with the given algorithm.</summary>
    /// <param name="algorithm">Forces an algorithm; <see cref="BarrierAlgorithm.Auto"/> uses the selection table.</param>
    /// <param name="cancellationToken">Cancels the call; cancelling breaks the communicator on every rank.</param>
    /// <returns>Completes when every rank has entered.</returns>
    public ValueTask BarrierAsync(BarrierAlgorithm algorithm, CancellationToken cancellationToken = default)
        => RunPinnedAsync<byte>(PlanBarrier(algorithm), default, default, cancellationToken);

    private Execution.CollectiveCall PlanBarrier(BarrierAlgorithm algorithm)
        => Plan(CollectiveKind.Barrier, 0, null, 0, -1, (byte)algorithm);
}
