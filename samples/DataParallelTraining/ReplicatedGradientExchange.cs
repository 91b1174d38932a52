using System.Numerics.Tensors;
using Collectives;

namespace DataParallelTraining;

/// <summary>
/// Plain data parallelism: every rank keeps the whole optimizer state, the layers' gradients are
/// summed by Allreduce while the backward pass goes on (<see cref="BucketedGradientReducer"/>),
/// and every rank applies the same update.
/// </summary>
internal sealed class ReplicatedGradientExchange(Communicator communicator, float[] gradients, IReadOnlyList<DenseLayer> layers, MomentumSgd optimizer) : IGradientExchange
{
    private readonly BucketedGradientReducer _reducer = new(communicator, gradients, layers);

    public string Name => "data parallel, layer gradients allreduced during the backward pass";

    public TimeSpan ExposedWait => _reducer.ExposedWait;

    public void BeginStep(CancellationToken cancellationToken) => _reducer.BeginStep(cancellationToken);

    public void LayerDone(int layer) => _reducer.LayerDone(layer);

    public async Task FinishStepAsync(float[] parameters, float[] gradients, float scale, CancellationToken cancellationToken)
    {
        await _reducer.EndStepAsync().ConfigureAwait(false);
        TensorPrimitives.Multiply(gradients, scale, gradients);
        optimizer.Step(parameters, gradients);
    }
}
