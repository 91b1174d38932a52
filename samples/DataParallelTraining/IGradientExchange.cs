namespace DataParallelTraining;

/// <summary>
/// How a training step turns each rank's gradient sums into the same parameter update on every
/// rank: the part that is different between plain data parallelism and a sharded optimizer.
/// </summary>
internal interface IGradientExchange
{
    /// <summary>What the strategy is called in the output.</summary>
    string Name { get; }

    /// <summary>Time the step waited for communication after the backward pass ended.</summary>
    TimeSpan ExposedWait { get; }

    /// <summary>Called before a step's backward pass.</summary>
    void BeginStep(CancellationToken cancellationToken);

    /// <summary>Called by the backward pass when a layer's gradient sums are final.</summary>
    void LayerDone(int layer);

    /// <summary>
    /// Combines the ranks' gradient sums, scales them by <paramref name="scale"/> (one over the
    /// global batch size) and updates <paramref name="parameters"/>, identically on every rank.
    /// </summary>
    Task FinishStepAsync(float[] parameters, float[] gradients, float scale, CancellationToken cancellationToken);
}
