using System.Diagnostics;
using Collectives;

namespace DataParallelTraining;

/// <summary>
/// Trains the model on one communicator: each step takes the next global batch of a shuffle every
/// rank draws from the same seed, gives each rank an equal share of it, and lets the gradient
/// exchange turn the ranks' gradients into one update.
/// </summary>
internal sealed class Trainer
{
    private readonly Communicator _communicator;
    private readonly SyntheticDataset _data;
    private readonly TrainingSettings _settings;
    private readonly MultilayerPerceptron _model;
    private readonly IGradientExchange _exchange;
    private readonly int[] _order;
    private readonly double[] _epochTotals = new double[2];

    public Trainer(Communicator communicator, SyntheticDataset data, TrainingSettings settings)
    {
        _communicator = communicator;
        _data = data;
        _settings = settings;
        int localBatch = (settings.GlobalBatch + communicator.Size - 1) / communicator.Size;
        _model = new MultilayerPerceptron([TrainingSettings.Features, settings.Hidden, settings.Hidden, TrainingSettings.Classes], localBatch);

        // Padded to whole shards so a sharded optimizer cuts the vector into equal blocks; the
        // padding has no gradient, so it stays zero.
        int padded = (_model.ParameterCount + communicator.Size - 1) / communicator.Size * communicator.Size;
        Parameters = new float[padded];
        Gradients = new float[padded];
        _model.Initialise(Parameters, TrainingSettings.ModelSeed);
        _exchange = settings.Sharded
            ? new ShardedGradientExchange(communicator, padded, settings.LearningRate, TrainingSettings.Momentum)
            : new ReplicatedGradientExchange(communicator, Gradients, _model.Layers, new MomentumSgd(padded, settings.LearningRate, TrainingSettings.Momentum));
        _order = [.. Enumerable.Range(0, data.Count)];
    }

    /// <summary>The model's parameters (padded to a multiple of the rank count).</summary>
    public float[] Parameters { get; }

    /// <summary>The last step's gradients.</summary>
    public float[] Gradients { get; }

    /// <summary>The model's size in parameters, padding excluded.</summary>
    public int ParameterCount => _model.ParameterCount;

    /// <inheritdoc cref="IGradientExchange.Name"/>
    public string Strategy => _exchange.Name;

    /// <inheritdoc cref="IGradientExchange.ExposedWait"/>
    public TimeSpan ExposedWait => _exchange.ExposedWait;

    /// <summary>Runs one epoch and returns its mean loss and accuracy over all ranks' samples (the same on every rank) and its duration.</summary>
    public async Task<EpochResult> RunEpochAsync(int epoch, CancellationToken cancellationToken)
    {
        long start = Stopwatch.GetTimestamp();
        new Random(TrainingSettings.DataSeed + epoch).Shuffle(_order);
        int steps = _data.Count / _settings.GlobalBatch;
        double lossSum = 0;
        int correct = 0;
        int size = _communicator.Size;
        int rank = _communicator.Rank;
        float scale = 1f / _settings.GlobalBatch;
        for (int step = 0; step < steps; step++)
        {
            // This rank's equal share of the global batch.
            int first = step * _settings.GlobalBatch;
            int from = first + (int)((long)_settings.GlobalBatch * rank / size);
            int to = first + (int)((long)_settings.GlobalBatch * (rank + 1) / size);
            _exchange.BeginStep(cancellationToken);
            (double batchLoss, int batchCorrect) = _model.ForwardBackward(Parameters, _data, _order.AsSpan(from, to - from), Gradients, _exchange.LayerDone);
            await _exchange.FinishStepAsync(Parameters, Gradients, scale, cancellationToken).ConfigureAwait(false);
            lossSum += batchLoss;
            correct += batchCorrect;
        }

        _epochTotals[0] = lossSum;
        _epochTotals[1] = correct;
        await _communicator.AllreduceAsync(_epochTotals.AsMemory(), ReduceOp.Sum, cancellationToken).ConfigureAwait(false);
        int seen = steps * _settings.GlobalBatch;
        return new EpochResult(epoch, _epochTotals[0] / seen, _epochTotals[1] / seen, Stopwatch.GetElapsedTime(start));
    }
}

/// <summary>One epoch's mean loss and accuracy over every rank's samples, and how long it took on this rank.</summary>
internal readonly record struct EpochResult(int Epoch, double Loss, double Accuracy, TimeSpan Duration);
