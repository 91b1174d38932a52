using Collectives.Tests.Support;

namespace Collectives.Tests.Correctness;

/// <summary>
/// The pairwise generator keeps its promise: every valid pair of values of every two dimensions is
/// in some row, no row breaks the constraint, and the rows are the same on every run. Checked by
/// brute force over all pairs, on the real correctness matrix and on small synthetic ones.
/// </summary>
public class PairwiseGeneratorTests
{
    [Test]
    public void Correctness_matrix_rows_cover_every_valid_pair_and_respect_the_constraint()
    {
        IReadOnlyList<int[]> rows = PairwiseMatrix.Rows();
        long fullProduct = PairwiseMatrix.DimensionSizes.Aggregate(1L, (product, size) => product * size);
        using (Assert.EnterMultipleScope())
        {
            AssertCoversEveryValidPair(PairwiseMatrix.DimensionSizes, PairwiseMatrix.IsValid, rows);
            AssertEveryRowValid(PairwiseMatrix.IsValid, rows);

            // The two largest dimensions' product is a lower bound on the rows (every pair of their
            // values needs one); the greedy should stay close to it, whatever the catalog grows to.
            int[] largest = [.. PairwiseMatrix.DimensionSizes.OrderDescending().Take(2)];
            int lowerBound = largest[0] * largest[1];
            Assert.That(rows, Has.Count.LessThan(lowerBound * 2), $"rows, against a lower bound of {lowerBound} and a full product of {fullProduct}");
        }
    }

    [Test]
    public void Unconstrained_rows_cover_every_pair()
    {
        int[] sizes = [3, 3, 3, 3];
        IReadOnlyList<int[]> rows = PairwiseGenerator.Generate(sizes);
        using (Assert.EnterMultipleScope())
        {
            AssertCoversEveryValidPair(sizes, null, rows);

            // 9 rows is optimal for four ternary dimensions (an orthogonal array); the full product is 81.
            Assert.That(rows, Has.Count.LessThanOrEqualTo(13));
        }
    }

    [Test]
    public void Constrained_rows_cover_every_valid_pair_and_no_invalid_one()
    {
        int[] sizes = [4, 3, 5, 2, 6];

        // Forbids equal values in dimensions 0 and 1, the first three values of dimension 4 with value 0 of
        // dimension 2, and two single pairs: restrictive, yet every allowed pair fits in some valid row.
        static bool IsValid(int first, int firstValue, int second, int secondValue) => (first, second) switch
        {
            (0, 1) => firstValue != secondValue,
            (2, 4) => firstValue != 0 || secondValue >= 3,
            (1, 3) => (firstValue, secondValue) != (2, 1),
            (0, 4) => (firstValue, secondValue) != (3, 5),
            _ => true,
        };

        IReadOnlyList<int[]> rows = PairwiseGenerator.Generate(sizes, IsValid);
        using (Assert.EnterMultipleScope())
        {
            AssertCoversEveryValidPair(sizes, IsValid, rows);
            AssertEveryRowValid(IsValid, rows);
        }
    }

    [Test]
    public void Same_seed_gives_the_same_rows()
    {
        int[] sizes = [7, 6, 12, 10, 5, 4, 2, 2];
        string first = string.Join(";", PairwiseGenerator.Generate(sizes, seed: 7).Select(row => string.Join(",", row)));
        string second = string.Join(";", PairwiseGenerator.Generate(sizes, seed: 7).Select(row => string.Join(",", row)));
        Assert.That(second, Is.EqualTo(first));
    }

    [Test]
    public void A_pair_that_no_valid_row_can_hold_is_reported()
    {
        // (0, 0) with (1, 0) is allowed on its own, but dimension 2 has no value compatible with both.
        static bool IsValid(int first, int firstValue, int second, int secondValue) => (first, firstValue, second, secondValue) switch
        {
            (0, 0, 2, 0) => false,
            (1, 0, 2, 1) => false,
            _ => true,
        };

        Assert.That(() => PairwiseGenerator.Generate([2, 2, 2], IsValid), Throws.InvalidOperationException.With.Message.Contains("no valid row"));
    }

    [Test]
    public void One_dimension_gives_one_row_per_value()
        => Assert.That(PairwiseGenerator.Generate([3]), Is.EqualTo(new[] { new[] { 0 }, [1], [2] }));

    // Both checks enumerate pairs with their own loops rather than the generator's, so that they are independent of it.
    private static void AssertCoversEveryValidPair(IReadOnlyList<int> sizes, PairwiseGenerator.PairConstraint? isValid, IReadOnlyList<int[]> rows)
    {
        var missing = new List<string>();
        for (int first = 0; first < sizes.Count; first++)
        {
            for (int second = first + 1; second < sizes.Count; second++)
            {
                for (int a = 0; a < sizes[first]; a++)
                {
                    for (int b = 0; b < sizes[second]; b++)
                    {
                        bool valid = isValid is null || isValid(first, a, second, b);
                        if (valid && !rows.Any(row => row[first] == a && row[second] == b))
                        {
                            missing.Add($"dimension {first} = {a} with dimension {second} = {b}");
                        }
                    }
                }
            }
        }

        Assert.That(missing, Is.Empty, "valid pairs that no row contains");
    }

    private static void AssertEveryRowValid(PairwiseGenerator.PairConstraint isValid, IReadOnlyList<int[]> rows)
    {
        var broken = new List<string>();
        foreach (int[] row in rows)
        {
            for (int first = 0; first < row.Length; first++)
            {
                for (int second = first + 1; second < row.Length; second++)
                {
                    if (!isValid(first, row[first], second, row[second]))
                    {
                        broken.Add($"row [{string.Join(", ", row)}] pairs dimension {first} = {row[first]} with dimension {second} = {row[second]}");
                    }
                }
            }
        }

        Assert.That(broken, Is.Empty, "pairs the constraint forbids");
    }
}
