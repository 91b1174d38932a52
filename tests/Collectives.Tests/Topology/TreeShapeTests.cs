using Collectives.Topology;

namespace Collectives.Tests.Topology;

/// <summary>
/// The shapes the tree algorithms and the offload descriptor builder share: for every size from
/// 1 to 40 and every root, binomial and k-ary trees (arity 2 to 8) are spanning trees rooted at
/// the root, with consistent parent and child links, and the promised depth and fan-in.
/// </summary>
public class TreeShapeTests
{
    private const int MaxSize = 40;

    public static IEnumerable<TestCaseData> BinomialTrees()
    {
        for (int size = 1; size <= MaxSize; size++)
        {
            yield return new TestCaseData(size).SetArgDisplayNames($"size {size}");
        }
    }

    public static IEnumerable<TestCaseData> KAryTrees()
    {
        for (int arity = 2; arity <= 8; arity++)
        {
            for (int size = 1; size <= MaxSize; size++)
            {
                yield return new TestCaseData(size, arity).SetArgDisplayNames($"size {size}, arity {arity}");
            }
        }
    }

    [TestCaseSource(nameof(BinomialTrees))]
    public void A_binomial_tree_is_a_spanning_tree_rooted_at_the_root(int size)
    {
        for (int root = 0; root < size; root++)
        {
            AssertSpanningTree(Tree.Binomial(size, root), size, root);
        }
    }

    [TestCaseSource(nameof(KAryTrees))]
    public void A_k_ary_tree_is_a_spanning_tree_rooted_at_the_root(int size, int arity)
    {
        for (int root = 0; root < size; root++)
        {
            AssertSpanningTree(Tree.KAry(size, root, arity), size, root);
        }
    }

    [TestCaseSource(nameof(BinomialTrees))]
    public void A_binomial_tree_is_at_most_ceil_log2_size_deep(int size)
    {
        int bound = (int)Math.Ceiling(Math.Log2(size));
        for (int root = 0; root < size; root++)
        {
            Tree tree = Tree.Binomial(size, root);
            Assert.That(Enumerable.Range(0, size).Max(tree.Depth), Is.LessThanOrEqualTo(bound), $"root {root}");
        }
    }

    [TestCaseSource(nameof(BinomialTrees))]
    public void A_binomial_tree_child_is_the_relative_rank_plus_a_power_of_two_below_its_lowest_set_bit(int size)
    {
        for (int root = 0; root < size; root++)
        {
            Tree tree = Tree.Binomial(size, root);
            for (int rank = 0; rank < size; rank++)
            {
                int relative = (rank - root + size) % size;
                int limit = relative == 0 ? int.MaxValue : relative & -relative;
                int[] offsets = tree.Children(rank).ToArray().Select(child => (child - root + size) % size - relative).ToArray();
                Assert.That(offsets, Is.Unique.And.All.Matches<int>(offset => int.IsPow2(offset) && offset < limit), $"root {root}, children of rank {rank}");
            }
        }
    }

    [Test]
    public void A_binomial_tree_lists_children_from_the_largest_actual_subtree_to_the_smallest()
    {
        // Tree.Children promises "from the largest subtree to the smallest". One test over every
        // size and root, reporting every place where a child heads fewer ranks than the next one.
        var violations = new List<string>();
        for (int size = 1; size <= MaxSize; size++)
        {
            for (int root = 0; root < size; root++)
            {
                Tree tree = Tree.Binomial(size, root);
                for (int rank = 0; rank < size; rank++)
                {
                    int[] children = tree.Children(rank).ToArray();
                    int[] subtreeSizes = children.Select(child => SubtreeSize(tree, child)).ToArray();
                    if (!subtreeSizes.SequenceEqual(subtreeSizes.OrderDescending()))
                    {
                        violations.Add($"size {size}, root {root}: children [{string.Join(", ", children)}] of rank {rank} head subtrees of [{string.Join(", ", subtreeSizes)}] ranks");
                    }
                }
            }
        }

        Assert.That(violations, Is.Empty, $"{violations.Count} out-of-order child lists, for example:{Environment.NewLine}{string.Join(Environment.NewLine, violations.Take(5))}");
    }

    [TestCaseSource(nameof(BinomialTrees))]
    public void A_binomial_tree_parent_is_the_relative_rank_with_its_lowest_set_bit_cleared(int size)
    {
        for (int root = 0; root < size; root++)
        {
            Tree tree = Tree.Binomial(size, root);
            for (int rank = 0; rank < size; rank++)
            {
                int relative = (rank - root + size) % size;
                int expected = relative == 0 ? -1 : ((relative & (relative - 1)) + root) % size;
                Assert.That(tree.Parent(rank), Is.EqualTo(expected), $"root {root}, rank {rank}");
            }
        }
    }

    [TestCaseSource(nameof(KAryTrees))]
    public void A_k_ary_tree_gives_no_rank_more_children_than_the_arity(int size, int arity)
    {
        for (int root = 0; root < size; root++)
        {
            Tree tree = Tree.KAry(size, root, arity);
            Assert.That(Enumerable.Range(0, size).Max(rank => tree.Children(rank).Length), Is.LessThanOrEqualTo(arity), $"root {root}");
        }
    }

    [TestCaseSource(nameof(KAryTrees))]
    public void A_k_ary_tree_is_as_shallow_as_its_arity_allows(int size, int arity)
    {
        // A complete k-ary tree: depth d holds k^d ranks, so n ranks need the smallest d with (k^(d+1) - 1) / (k - 1) >= n.
        int bound = 0;
        for (long capacity = 1, level = 1; capacity < size; bound++)
        {
            level *= arity;
            capacity += level;
        }

        Tree tree = Tree.KAry(size, 0, arity);
        Assert.That(Enumerable.Range(0, size).Max(tree.Depth), Is.EqualTo(bound));
    }

    [Test]
    public void A_one_ary_tree_is_a_chain_from_the_root()
    {
        Tree tree = Tree.KAry(5, 2, 1);

        Assert.That(Enumerable.Range(0, 5).Select(tree.Parent), Is.EqualTo(new[] { 4, 0, -1, 2, 3 }));
    }

    [TestCase(0)]
    [TestCase(-1)]
    public void A_tree_needs_at_least_one_rank(int size)
    {
        Assert.That(() => Tree.Binomial(size, 0), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => Tree.KAry(size, 0, 2), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [TestCase(4, -1)]
    [TestCase(4, 4)]
    [TestCase(1, 1)]
    public void A_root_outside_the_ranks_throws_ArgumentOutOfRangeException(int size, int root)
    {
        Assert.That(() => Tree.Binomial(size, root), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property(nameof(ArgumentException.ParamName)).EqualTo("root"));
        Assert.That(() => Tree.KAry(size, root, 2), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property(nameof(ArgumentException.ParamName)).EqualTo("root"));
    }

    [TestCase(0)]
    [TestCase(-3)]
    public void An_arity_below_one_throws_ArgumentOutOfRangeException(int arity)
    {
        Assert.That(() => Tree.KAry(4, 0, arity), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property(nameof(ArgumentException.ParamName)).EqualTo("arity"));
    }

    /// <summary>
    /// Root without parent, every other rank with exactly one parent that lists it as a child
    /// (and no other child links), and every rank reaching the root by parent links without a cycle.
    /// </summary>
    private static void AssertSpanningTree(Tree tree, int size, int root)
    {
        Assert.That((tree.Size, tree.Root, tree.Parent(root), tree.Depth(root)), Is.EqualTo((size, root, -1, 0)), $"root {root}");

        var parentsFromChildLists = new int[size];
        Array.Fill(parentsFromChildLists, -1);
        for (int rank = 0; rank < size; rank++)
        {
            foreach (int child in tree.Children(rank))
            {
                Assert.That(child, Is.InRange(0, size - 1).And.Not.EqualTo(root), $"root {root}: child {child} of rank {rank}");
                Assert.That(parentsFromChildLists[child], Is.EqualTo(-1), $"root {root}: rank {child} is listed as a child twice");
                parentsFromChildLists[child] = rank;
            }
        }

        for (int rank = 0; rank < size; rank++)
        {
            Assert.That(tree.Parent(rank), Is.EqualTo(parentsFromChildLists[rank]), $"root {root}: parent of rank {rank} disagrees with the child lists");
            int steps = 0;
            for (int node = rank; node != root; node = tree.Parent(node))
            {
                Assert.That(tree.Parent(node), Is.InRange(0, size - 1), $"root {root}: rank {rank} does not reach the root");
                Assert.That(++steps, Is.LessThan(size), $"root {root}: a cycle above rank {rank}");
            }

            Assert.That(tree.Depth(rank), Is.EqualTo(steps), $"root {root}: depth of rank {rank}");
        }
    }

    private static int SubtreeSize(Tree tree, int rank)
    {
        int count = 1;
        foreach (int child in tree.Children(rank))
        {
            count += SubtreeSize(tree, child);
        }

        return count;
    }
}
