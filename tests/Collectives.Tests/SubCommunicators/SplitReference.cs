namespace Collectives.Tests.SubCommunicators;

/// <summary>MPI_Comm_split's rule, computed plainly for the tests: the members of a rank's new communicator, in their new order.</summary>
internal static class SplitReference
{
    /// <summary>The parent ranks that share <paramref name="rank"/>'s color, by key, then by parent rank; empty when its color is negative.</summary>
    public static int[] Members(int size, Func<int, int> color, Func<int, int> key, int rank)
        => color(rank) < 0 ? [] : [.. Enumerable.Range(0, size).Where(other => color(other) == color(rank)).OrderBy(key).ThenBy(other => other)];
}
