namespace Collectives.Tests.Support;

/// <summary>
/// All-pairs (pairwise) combinatorial test generation: builds a small set of rows, each choosing
/// one value per dimension, such that every valid pair of values from any two dimensions appears
/// together in at least one row. Bugs caused by the interaction of two parameters are then caught
/// at a fraction of the full product's cost.
/// </summary>
/// <remarks>
/// Greedy, in the style of AETG (Cohen et al., 1997): each new row is the best of a few randomised
/// candidates, and every candidate starts from a pair no row covers yet, so each row covers at
/// least one new pair and the generator always terminates. The rest of a candidate is filled one
/// dimension at a time with the value that covers the most new pairs, backtracking when the
/// constraint leaves no value, so a seed pair fails only when no valid row can hold it at all.
/// The same inputs and seed always give the same rows.
/// </remarks>
internal static class PairwiseGenerator
{
    /// <summary>The default seed: fixed so that test names and rows are stable from run to run.</summary>
    public const int DefaultSeed = 20_240_611;

    /// <summary>
    /// Whether value <paramref name="firstValue"/> of dimension <paramref name="firstDimension"/> may
    /// appear in a row together with value <paramref name="secondValue"/> of dimension
    /// <paramref name="secondDimension"/>. Always called with <paramref name="firstDimension"/> &lt;
    /// <paramref name="secondDimension"/>. A row is valid when all of its pairs are.
    /// </summary>
    public delegate bool PairConstraint(int firstDimension, int firstValue, int secondDimension, int secondValue);

    /// <summary>Generates the rows.</summary>
    /// <param name="dimensionSizes">Number of values of each dimension (each at least 1).</param>
    /// <param name="isValid">The constraint; null allows every pair.</param>
    /// <param name="seed">Seed of the tie-breaking and candidate randomisation.</param>
    /// <param name="candidatesPerRow">How many candidates compete for each row; more gives fewer rows, slower.</param>
    /// <returns>Rows of value indices, one entry per dimension.</returns>
    /// <exception cref="InvalidOperationException">A pair the constraint allows cannot be completed into any valid row.</exception>
    public static IReadOnlyList<int[]> Generate(
        IReadOnlyList<int> dimensionSizes, PairConstraint? isValid = null, int seed = DefaultSeed, int candidatesPerRow = 24)
    {
        ArgumentNullException.ThrowIfNull(dimensionSizes);
        ArgumentOutOfRangeException.ThrowIfLessThan(candidatesPerRow, 1);
        foreach (int size in dimensionSizes)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(size, 1, nameof(dimensionSizes));
        }

        var state = new GeneratorState([.. dimensionSizes], isValid ?? AllowAll, new Random(seed));
        var rows = new List<int[]>();
        if (dimensionSizes.Count == 1)
        {
            // No pairs exist; one row per value is the natural degenerate answer.
            for (int value = 0; value < dimensionSizes[0]; value++)
            {
                rows.Add([value]);
            }

            return rows;
        }

        while (state.Uncovered.Count > 0)
        {
            int[]? best = null;
            int bestScore = 0;
            for (int candidate = 0; candidate < candidatesPerRow; candidate++)
            {
                Pair seedPair = state.Uncovered[state.Random.Next(state.Uncovered.Count)];
                int[] row = state.Complete(seedPair)
                    ?? throw new InvalidOperationException(
                        $"The constraint allows value {seedPair.FirstValue} of dimension {seedPair.FirstDimension} with value "
                        + $"{seedPair.SecondValue} of dimension {seedPair.SecondDimension}, but no valid row contains both.");
                int score = state.CountUncovered(row);
                if (score > bestScore)
                {
                    (best, bestScore) = (row, score);
                }
            }

            rows.Add(best!);
            state.MarkCovered(best!);
        }

        return rows;
    }

    /// <summary>Every pair of (dimension, value) that the constraint allows, with the first dimension lower.</summary>
    /// <param name="dimensionSizes">Number of values of each dimension.</param>
    /// <param name="isValid">The constraint; null allows every pair.</param>
    /// <returns>The pairs.</returns>
    public static IEnumerable<Pair> ValidPairs(IReadOnlyList<int> dimensionSizes, PairConstraint? isValid = null)
    {
        ArgumentNullException.ThrowIfNull(dimensionSizes);
        isValid ??= AllowAll;
        for (int first = 0; first < dimensionSizes.Count; first++)
        {
            for (int second = first + 1; second < dimensionSizes.Count; second++)
            {
                for (int a = 0; a < dimensionSizes[first]; a++)
                {
                    for (int b = 0; b < dimensionSizes[second]; b++)
                    {
                        if (isValid(first, a, second, b))
                        {
                            yield return new Pair(first, a, second, b);
                        }
                    }
                }
            }
        }
    }

    private static bool AllowAll(int firstDimension, int firstValue, int secondDimension, int secondValue) => true;

    /// <summary>Value <see cref="FirstValue"/> of dimension <see cref="FirstDimension"/> together with value <see cref="SecondValue"/> of <see cref="SecondDimension"/>.</summary>
    /// <param name="FirstDimension">The lower dimension.</param>
    /// <param name="FirstValue">Its value.</param>
    /// <param name="SecondDimension">The higher dimension.</param>
    /// <param name="SecondValue">Its value.</param>
    internal readonly record struct Pair(int FirstDimension, int FirstValue, int SecondDimension, int SecondValue)
    {
        public bool IsIn(int[] row) => row[FirstDimension] == FirstValue && row[SecondDimension] == SecondValue;
    }

    /// <summary>The uncovered pairs and the candidate construction of one <see cref="Generate"/> call.</summary>
    private sealed class GeneratorState
    {
        private readonly int[] _sizes;
        private readonly PairConstraint _isValid;
        private readonly HashSet<Pair> _uncoveredSet;

        public GeneratorState(int[] sizes, PairConstraint isValid, Random random)
        {
            _sizes = sizes;
            _isValid = isValid;
            Random = random;
            Uncovered = [.. ValidPairs(sizes, isValid)];
            _uncoveredSet = [.. Uncovered];
        }

        /// <summary>Pairs no row covers yet, in a deterministic order (so that seeded picks are reproducible).</summary>
        public List<Pair> Uncovered { get; }

        public Random Random { get; }

        public int CountUncovered(int[] row)
        {
            int count = 0;
            for (int first = 0; first < row.Length; first++)
            {
                for (int second = first + 1; second < row.Length; second++)
                {
                    if (_uncoveredSet.Contains(new Pair(first, row[first], second, row[second])))
                    {
                        count++;
                    }
                }
            }

            return count;
        }

        public void MarkCovered(int[] row)
        {
            Uncovered.RemoveAll(pair => pair.IsIn(row));
            _uncoveredSet.RemoveWhere(pair => pair.IsIn(row));
        }

        /// <summary>A valid row containing <paramref name="seedPair"/>, greedily maximising new pairs; null if none exists.</summary>
        public int[]? Complete(Pair seedPair)
        {
            int[] row = new int[_sizes.Length];
            Array.Fill(row, -1);
            row[seedPair.FirstDimension] = seedPair.FirstValue;
            row[seedPair.SecondDimension] = seedPair.SecondValue;
            int[] order = [.. Enumerable.Range(0, _sizes.Length)
                .Where(dimension => row[dimension] < 0)
                .OrderBy(_ => Random.Next())];
            return Fill(row, order, 0) ? row : null;
        }

        private bool Fill(int[] row, int[] order, int position)
        {
            if (position == order.Length)
            {
                return true;
            }

            int dimension = order[position];
            foreach (int value in Preference(row, dimension))
            {
                row[dimension] = value;
                if (Fill(row, order, position + 1))
                {
                    return true;
                }
            }

            row[dimension] = -1;
            return false;
        }

        /// <summary>The values of <paramref name="dimension"/> compatible with the row so far, most new pairs first, ties shuffled.</summary>
        private IEnumerable<int> Preference(int[] row, int dimension)
        {
            var scored = new List<(int Value, int Gain, int Tiebreak)>();
            for (int value = 0; value < _sizes[dimension]; value++)
            {
                int gain = 0;
                bool compatible = true;
                for (int other = 0; other < row.Length && compatible; other++)
                {
                    if (other == dimension || row[other] < 0)
                    {
                        continue;
                    }

                    Pair pair = other < dimension
                        ? new Pair(other, row[other], dimension, value)
                        : new Pair(dimension, value, other, row[other]);
                    compatible = _isValid(pair.FirstDimension, pair.FirstValue, pair.SecondDimension, pair.SecondValue);
                    gain += _uncoveredSet.Contains(pair) ? 1 : 0;
                }

                if (compatible)
                {
                    scored.Add((value, gain, Random.Next()));
                }
            }

            return scored.OrderByDescending(s => s.Gain).ThenBy(s => s.Tiebreak).Select(s => s.Value);
        }
    }
}
