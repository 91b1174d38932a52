namespace DataParallelTraining;

/// <summary>
/// Where one fully connected layer's weights (<see cref="Outputs"/> rows of <see cref="Inputs"/>,
/// row-major) and biases live in the model's flat parameter vector. One flat vector lets the
/// gradient of a layer be handed to a collective as one span, and lets the sharded optimizer cut
/// the whole model into equal shards.
/// </summary>
/// <param name="Inputs">Length of the layer's input.</param>
/// <param name="Outputs">Length of the layer's output.</param>
/// <param name="Offset">Index of the first weight in the flat vector; the biases follow the weights.</param>
internal readonly record struct DenseLayer(int Inputs, int Outputs, int Offset)
{
    /// <summary>Weights and biases.</summary>
    public int Length => (Inputs * Outputs) + Outputs;

    /// <summary>The weights of output <paramref name="unit"/> in <paramref name="parameters"/>.</summary>
    public Span<float> Row(Span<float> parameters, int unit) => parameters.Slice(Offset + (unit * Inputs), Inputs);

    /// <summary>The weights of output <paramref name="unit"/> in <paramref name="parameters"/>.</summary>
    public ReadOnlySpan<float> Row(ReadOnlySpan<float> parameters, int unit) => parameters.Slice(Offset + (unit * Inputs), Inputs);

    /// <summary>The biases in <paramref name="parameters"/>.</summary>
    public ReadOnlySpan<float> Biases(ReadOnlySpan<float> parameters) => parameters.Slice(Offset + (Inputs * Outputs), Outputs);

    /// <summary>The biases in <paramref name="parameters"/>.</summary>
    public Span<float> Biases(Span<float> parameters) => parameters.Slice(Offset + (Inputs * Outputs), Outputs);

    /// <summary>The whole layer (weights then biases) in <paramref name="parameters"/>.</summary>
    public Span<float> All(Span<float> parameters) => parameters.Slice(Offset, Length);
}
