using System.Diagnostics;
using System.Threading.Channels;
using Collectives;

namespace DataParallelTraining;

/// <summary>
/// Sums each layer's gradient over all ranks while the backward pass is still computing the
/// layers before it, the way PyTorch's DistributedDataParallel reduces gradient buckets: the
/// backward pass marks a layer ready, and one pump sends the ready layers through Allreduce in
/// the order they became ready (a communicator runs one call at a time, and every rank readies
/// the layers in the same order, so the calls match).
/// </summary>
internal sealed class BucketedGradientReducer
{
    private readonly Communicator _communicator;
    private readonly float[] _gradients;
    private readonly IReadOnlyList<DenseLayer> _layers;
    private Channel<DenseLayer> _ready = Channel.CreateUnbounded<DenseLayer>();
    private Task _pump = Task.CompletedTask;

    public BucketedGradientReducer(Communicator communicator, float[] gradients, IReadOnlyList<DenseLayer> layers)
    {
        _communicator = communicator;
        _gradients = gradients;
        _layers = layers;
    }

    /// <summary>Time spent waiting for reductions after the backward pass ended: what overlap did not hide.</summary>
    public TimeSpan ExposedWait { get; private set; }

    /// <summary>Time the reductions took in all, hidden or not.</summary>
    public TimeSpan ReductionTime { get; private set; }

    /// <summary>Starts a step's pump; call before the backward pass.</summary>
    public void BeginStep(CancellationToken cancellationToken)
    {
        _ready = Channel.CreateUnbounded<DenseLayer>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        ChannelReader<DenseLayer> reader = _ready.Reader;
        _pump = Task.Run(() => PumpAsync(reader, _layers.Count, cancellationToken), cancellationToken);
    }

    /// <summary>Called by the backward pass when layer <paramref name="index"/>'s gradient is final.</summary>
    public void LayerDone(int index) => _ready.Writer.TryWrite(_layers[index]);

    /// <summary>Waits until every layer's gradient holds the sum over all ranks.</summary>
    public async Task EndStepAsync()
    {
        long start = Stopwatch.GetTimestamp();
        await _pump.ConfigureAwait(false);
        ExposedWait += Stopwatch.GetElapsedTime(start);
    }

    private async Task PumpAsync(ChannelReader<DenseLayer> reader, int layers, CancellationToken cancellationToken)
    {
        for (int i = 0; i < layers; i++)
        {
            DenseLayer layer = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            long start = Stopwatch.GetTimestamp();
            await _communicator.AllreduceAsync(_gradients.AsMemory(layer.Offset, layer.Length), ReduceOp.Sum, cancellationToken).ConfigureAwait(false);
            ReductionTime += Stopwatch.GetElapsedTime(start);
        }
    }
}
