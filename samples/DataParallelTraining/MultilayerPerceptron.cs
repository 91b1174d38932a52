using System.Numerics.Tensors;

namespace DataParallelTraining;

/// <summary>
/// A multilayer perceptron (ReLU hidden layers, softmax cross-entropy) written with
/// <see cref="TensorPrimitives"/>: forward over a batch, and a backward pass that hands each
/// layer's gradient to <c>layerDone</c> as soon as it is complete, last layer first, so the caller
/// can start reducing it while the earlier layers are still being differentiated.
/// </summary>
internal sealed class MultilayerPerceptron
{
    private readonly DenseLayer[] _layers;
    private readonly float[][] _activations;
    private readonly float[][] _deltas;
    private readonly int _batchCapacity;

    /// <param name="sizes">Input length, hidden layer widths, number of classes.</param>
    /// <param name="batchCapacity">The most samples one forward pass takes.</param>
    public MultilayerPerceptron(int[] sizes, int batchCapacity)
    {
        _layers = new DenseLayer[sizes.Length - 1];
        int offset = 0;
        for (int l = 0; l < _layers.Length; l++)
        {
            _layers[l] = new DenseLayer(sizes[l], sizes[l + 1], offset);
            offset += _layers[l].Length;
        }

        ParameterCount = offset;
        _batchCapacity = batchCapacity;
        _activations = [.. sizes.Select(size => new float[batchCapacity * size])];
        _deltas = [.. sizes.Select(size => new float[batchCapacity * size])];
    }

    /// <summary>The layers, first to last.</summary>
    public IReadOnlyList<DenseLayer> Layers => _layers;

    /// <summary>Length of the flat parameter (and gradient) vector.</summary>
    public int ParameterCount { get; }

    /// <summary>He-initialised weights and zero biases, the same on every rank for one seed.</summary>
    public void Initialise(Span<float> parameters, int seed)
    {
        var random = new Random(seed);
        foreach (DenseLayer layer in _layers)
        {
            SyntheticDataset.Normal(random, layer.Inputs * layer.Outputs, MathF.Sqrt(2f / layer.Inputs)).CopyTo(parameters.Slice(layer.Offset));
            layer.Biases(parameters).Clear();
        }
    }

    /// <summary>
    /// Runs the batch forward and backward. <paramref name="gradients"/> is overwritten with the
    /// sum over the batch of each sample's gradient (the caller divides by the global batch size
    /// once every rank's sums are combined).
    /// </summary>
    /// <param name="parameters">The model.</param>
    /// <param name="data">The dataset.</param>
    /// <param name="samples">Indices of this batch's samples in <paramref name="data"/>.</param>
    /// <param name="gradients">Receives the summed gradients, same layout as <paramref name="parameters"/>.</param>
    /// <param name="layerDone">Called with a layer's index as soon as its gradient is final, last layer first.</param>
    /// <returns>The batch's summed loss and its number of correct predictions.</returns>
    public (double LossSum, int Correct) ForwardBackward(ReadOnlySpan<float> parameters, SyntheticDataset data, ReadOnlySpan<int> samples, Span<float> gradients, Action<int> layerDone)
    {
        if (samples.Length > _batchCapacity)
        {
            throw new ArgumentException($"A batch of {samples.Length} samples is more than the {_batchCapacity} this model was sized for.", nameof(samples));
        }

        int batch = samples.Length;
        for (int s = 0; s < batch; s++)
        {
            data.Input(samples[s]).CopyTo(_activations[0].AsSpan(s * data.Features));
        }

        for (int l = 0; l < _layers.Length; l++)
        {
            Forward(_layers[l], parameters, _activations[l], _activations[l + 1], batch, relu: l < _layers.Length - 1);
        }

        (double lossSum, int correct) = SoftmaxCrossEntropy(data, samples, _activations[^1], _deltas[^1]);
        gradients.Clear();
        for (int l = _layers.Length - 1; l >= 0; l--)
        {
            Backward(_layers[l], parameters, gradients, l, batch);
            layerDone(l);
        }

        return (lossSum, correct);
    }

    private static void Forward(DenseLayer layer, ReadOnlySpan<float> parameters, float[] input, float[] output, int batch, bool relu)
    {
        ReadOnlySpan<float> biases = layer.Biases(parameters);
        for (int s = 0; s < batch; s++)
        {
            ReadOnlySpan<float> x = input.AsSpan(s * layer.Inputs, layer.Inputs);
            Span<float> y = output.AsSpan(s * layer.Outputs, layer.Outputs);
            for (int unit = 0; unit < layer.Outputs; unit++)
            {
                y[unit] = TensorPrimitives.Dot(layer.Row(parameters, unit), x) + biases[unit];
            }

            if (relu)
            {
                TensorPrimitives.Max(y, 0f, y);
            }
        }
    }

    /// <summary>Turns the logits into the loss and the gradient of the loss with respect to them.</summary>
    private static (double LossSum, int Correct) SoftmaxCrossEntropy(SyntheticDataset data, ReadOnlySpan<int> samples, float[] logits, float[] delta)
    {
        double lossSum = 0;
        int correct = 0;
        int classes = data.Classes;
        for (int s = 0; s < samples.Length; s++)
        {
            ReadOnlySpan<float> z = logits.AsSpan(s * classes, classes);
            Span<float> p = delta.AsSpan(s * classes, classes);
            TensorPrimitives.SoftMax(z, p);
            int label = data.Labels[samples[s]];
            lossSum -= Math.Log(Math.Max(p[label], 1e-12f));
            correct += TensorPrimitives.IndexOfMax(z) == label ? 1 : 0;
            p[label] -= 1f;
        }

        return (lossSum, correct);
    }

    /// <summary>
    /// Accumulates the layer's weight and bias gradients from the deltas of its outputs, then (but
    /// for the first layer) turns them into the deltas of its inputs through the ReLU.
    /// </summary>
    private void Backward(DenseLayer layer, ReadOnlySpan<float> parameters, Span<float> gradients, int index, int batch)
    {
        float[] input = _activations[index];
        float[] outputDelta = _deltas[index + 1];
        float[] inputDelta = _deltas[index];
        Span<float> biasGradients = layer.Biases(gradients);
        for (int s = 0; s < batch; s++)
        {
            ReadOnlySpan<float> x = input.AsSpan(s * layer.Inputs, layer.Inputs);
            ReadOnlySpan<float> dy = outputDelta.AsSpan(s * layer.Outputs, layer.Outputs);
            TensorPrimitives.Add(biasGradients, dy, biasGradients);
            for (int unit = 0; unit < layer.Outputs; unit++)
            {
                Span<float> row = layer.Row(gradients, unit);
                TensorPrimitives.MultiplyAdd(x, dy[unit], row, row);
            }
        }

        if (index == 0)
        {
            return;
        }

        for (int s = 0; s < batch; s++)
        {
            ReadOnlySpan<float> dy = outputDelta.AsSpan(s * layer.Outputs, layer.Outputs);
            Span<float> dx = inputDelta.AsSpan(s * layer.Inputs, layer.Inputs);
            dx.Clear();
            for (int unit = 0; unit < layer.Outputs; unit++)
            {
                TensorPrimitives.MultiplyAdd(layer.Row(parameters, unit), dy[unit], dx, dx);
            }

            // ReLU: no gradient flows through a unit that was clamped to zero.
            ReadOnlySpan<float> activation = input.AsSpan(s * layer.Inputs, layer.Inputs);
            for (int i = 0; i < dx.Length; i++)
            {
                if (activation[i] <= 0f)
                {
                    dx[i] = 0f;
                }
            }
        }
    }
}
