using System.Runtime.InteropServices;

namespace Collectives.Tests.Algorithms;

/// <summary>
/// The shared matrix of the algorithm tests (rank counts, element counts, a segment size small
/// enough that chunks span several messages), the ranks' contributions, and the sequential
/// references computed from them.
/// </summary>
internal static class AlgorithmCases
{
    /// <summary>Bytes per message: 25 ints or floats, so most chunks take several messages.</summary>
    public const int SegmentSize = 100;

    /// <summary>Powers of two and not, including 1 and a prime above 8.</summary>
    public static readonly int[] RankCounts = [1, 2, 3, 4, 5, 6, 7, 8, 9, 13];

    /// <summary>Empty, fewer elements than ranks, odd, large, and larger than 13 ranks times a segment.</summary>
    public static readonly int[] ElementCounts = [0, 1, 3, 7, 1000, 4099];

    public static CommunicatorOptions Options => new() { SegmentSize = SegmentSize, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Rank <paramref name="rank"/>'s ints; <paramref name="seed"/> varies them between calls of one job.</summary>
    public static int[] Ints(int rank, int count, int seed = 0)
    {
        var values = new int[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = (int)(((long)(rank + 1) * 7919 + (long)i * 104_729 + seed * 613) % 20_011) - 10_000;
        }

        return values;
    }

    /// <summary>Rank <paramref name="rank"/>'s floats: mixed signs and magnitudes, so the order of additions shows in the low bits.</summary>
    public static float[] Floats(int rank, int count, int seed = 0)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            double phase = (rank * 12.9898) + (i * 78.233) + (seed * 3.7);
            values[i] = (float)(Math.Sin(phase) * Math.Pow(10, (rank + i) % 4));
        }

        return values;
    }

    public static int[] IntSum(int size, int count, int seed = 0)
    {
        var sum = new int[count];
        for (int rank = 0; rank < size; rank++)
        {
            int[] contribution = Ints(rank, count, seed);
            for (int i = 0; i < count; i++)
            {
                sum[i] += contribution[i];
            }
        }

        return sum;
    }

    /// <summary>
    /// Fails unless each element is within float rounding of the exact sum: p additions each err by
    /// at most half an ulp of a partial sum, bounded by 2^-24 times the sum of magnitudes.
    /// </summary>
    public static void AssertCloseToFloatSum(float[] actual, int size, int count, int seed, string who)
    {
        var exact = new double[count];
        var magnitude = new double[count];
        for (int rank = 0; rank < size; rank++)
        {
            float[] contribution = Floats(rank, count, seed);
            for (int i = 0; i < count; i++)
            {
                exact[i] += contribution[i];
                magnitude[i] += Math.Abs(contribution[i]);
            }
        }

        Assert.That(actual, Has.Length.EqualTo(count), who);
        for (int i = 0; i < count; i++)
        {
            double tolerance = size * magnitude[i] * Math.ScaleB(1, -24);
            Assert.That(actual[i], Is.EqualTo(exact[i]).Within(tolerance), $"{who}, element {i}");
        }
    }

    /// <summary>
    /// The float sum in the order the Rabenseifner algorithms promise, for every element: the
    /// first 2(p - p') ranks pairwise (2i, 2i+1), then a balanced tree over the p' results in rank
    /// order, p' being the largest power of two not above p.
    /// </summary>
    public static float[] FloatPairwiseTreeSum(int size, int count, int seed = 0)
    {
        int powerOfTwo = 1;
        while (powerOfTwo * 2 <= size)
        {
            powerOfTwo *= 2;
        }

        int extra = size - powerOfTwo;
        var partials = new float[powerOfTwo][];
        for (int participant = 0; participant < powerOfTwo; participant++)
        {
            partials[participant] = participant < extra
                ? Add(Floats(2 * participant, count, seed), Floats((2 * participant) + 1, count, seed))
                : Floats(participant + extra, count, seed);
        }

        for (int width = powerOfTwo; width > 1; width /= 2)
        {
            for (int participant = 0; participant < width / 2; participant++)
            {
                partials[participant] = Add(partials[2 * participant], partials[(2 * participant) + 1]);
            }
        }

        return partials[0];
    }

    private static float[] Add(float[] lower, float[] higher)
    {
        var sum = new float[lower.Length];
        for (int i = 0; i < sum.Length; i++)
        {
            sum[i] = lower[i] + higher[i];
        }

        return sum;
    }

    /// <summary>The floats' bit patterns, so that equality means bitwise equality (0 and -0 differ).</summary>
    public static int[] Bits(float[] values) => MemoryMarshal.Cast<float, int>(values).ToArray();
}
