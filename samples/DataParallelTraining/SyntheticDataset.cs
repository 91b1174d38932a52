using System.Numerics.Tensors;

namespace DataParallelTraining;

/// <summary>
/// A classification task every rank builds identically from one seed, so no file has to be
/// shipped or read: inputs are standard normal vectors, and each label is what a fixed random
/// "teacher" network (one hidden ReLU layer) answers for the input. A student network of the
/// same family can learn it, but not a linear one.
/// </summary>
internal sealed class SyntheticDataset
{
    private SyntheticDataset(float[] inputs, int[] labels, int features, int classes)
    {
        Inputs = inputs;
        Labels = labels;
        Features = features;
        Classes = classes;
    }

    /// <summary>Row-major inputs: sample i is <c>Inputs[(i * Features)..((i + 1) * Features)]</c>.</summary>
    public float[] Inputs { get; }

    /// <summary>The class of each sample, in [0, <see cref="Classes"/>).</summary>
    public int[] Labels { get; }

    /// <summary>Length of one input vector.</summary>
    public int Features { get; }

    /// <summary>Number of classes.</summary>
    public int Classes { get; }

    /// <summary>Number of samples.</summary>
    public int Count => Labels.Length;

    /// <summary>The input of sample <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> Input(int index) => Inputs.AsSpan(index * Features, Features);

    /// <summary>Builds <paramref name="count"/> samples; the same arguments give the same data on every machine.</summary>
    public static SyntheticDataset Create(int count, int features, int classes, int seed)
    {
        var random = new Random(seed);
        const int teacherHidden = 32;
        float[] first = Normal(random, teacherHidden * features, 1f / MathF.Sqrt(features));
        float[] second = Normal(random, classes * teacherHidden, 1f / MathF.Sqrt(teacherHidden));
        float[] inputs = Normal(random, count * features, 1f);
        int[] labels = new int[count];
        Span<float> hidden = stackalloc float[teacherHidden];
        Span<float> scores = stackalloc float[classes];
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<float> input = inputs.AsSpan(i * features, features);
            for (int h = 0; h < teacherHidden; h++)
            {
                hidden[h] = MathF.Max(0f, TensorPrimitives.Dot(first.AsSpan(h * features, features), input));
            }

            for (int c = 0; c < classes; c++)
            {
                scores[c] = TensorPrimitives.Dot(second.AsSpan(c * teacherHidden, teacherHidden), hidden);
            }

            labels[i] = TensorPrimitives.IndexOfMax(scores);
        }

        return new SyntheticDataset(inputs, labels, features, classes);
    }

    /// <summary>Normal(0, scale²) values by Box-Muller from <paramref name="random"/>.</summary>
    internal static float[] Normal(Random random, int count, float scale)
    {
        float[] values = new float[count];
        for (int i = 0; i < count; i++)
        {
            double u1 = 1.0 - random.NextDouble();
            double u2 = random.NextDouble();
            values[i] = (float)(Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2)) * scale;
        }

        return values;
    }
}
