using System.Numerics.Tensors;

namespace DataParallelTraining;

/// <summary>Stochastic gradient descent with momentum over one span of parameters: <c>v = μv + g; p -= lr·v</c>.</summary>
internal sealed class MomentumSgd(int length, float learningRate, float momentum)
{
    private readonly float[] _velocity = new float[length];

    /// <summary>Applies one step to <paramref name="parameters"/> with <paramref name="gradients"/> (same length as the optimizer's state).</summary>
    public void Step(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        TensorPrimitives.MultiplyAdd(_velocity, momentum, gradients, _velocity);
        TensorPrimitives.MultiplyAdd(_velocity, -learningRate, parameters, parameters);
    }
}
