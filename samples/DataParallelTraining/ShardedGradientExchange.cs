using System.Numerics.Tensors;
using Collectives;

namespace DataParallelTraining;

/// <summary>
/// A sharded optimizer (ZeRO stage 1): each rank keeps optimizer state for one equal shard of
/// the parameters only. After the backward pass, ReduceScatter leaves each rank the summed
/// gradient of its own shard; the rank updates that shard; Allgather gives every rank the whole
/// updated model. Same communication volume as an Allreduce, 1/N of the optimizer memory.
/// </summary>
internal sealed class ShardedGradientExchange : IGradientExchange
{
    private readonly Communicator _communicator;
    private readonly int _shardLength;
    private readonly float[] _shardGradients;
    private readonly MomentumSgd _optimizer;

    /// <param name="communicator">The ranks sharing the model.</param>
    /// <param name="paddedLength">The parameter vector's length, a multiple of the rank count.</param>
    /// <param name="learningRate">The optimizer's learning rate.</param>
    /// <param name="momentum">The optimizer's momentum.</param>
    public ShardedGradientExchange(Communicator communicator, int paddedLength, float learningRate, float momentum)
    {
        _communicator = communicator;
        _shardLength = paddedLength / communicator.Size;
        _shardGradients = new float[_shardLength];
        _optimizer = new MomentumSgd(_shardLength, learningRate, momentum);
    }

    public string Name => "sharded optimizer: gradients reduce-scattered, each rank updates its shard, parameters allgathered";

    public TimeSpan ExposedWait { get; private set; }

    public void BeginStep(CancellationToken cancellationToken)
    {
    }

    public void LayerDone(int layer)
    {
    }

    public async Task FinishStepAsync(float[] parameters, float[] gradients, float scale, CancellationToken cancellationToken)
    {
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        await _communicator.ReduceScatterAsync<float>(gradients.AsMemory(), _shardGradients.AsMemory(), ReduceOp.Sum, cancellationToken: cancellationToken).ConfigureAwait(false);
        TensorPrimitives.Multiply(_shardGradients, scale, _shardGradients);
        _optimizer.Step(parameters.AsSpan(_communicator.Rank * _shardLength, _shardLength), _shardGradients);

        // In place: this rank's shard is already where it belongs in the whole vector.
        await _communicator.AllgatherAsync(parameters.AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
        ExposedWait += System.Diagnostics.Stopwatch.GetElapsedTime(start);
    }
}
