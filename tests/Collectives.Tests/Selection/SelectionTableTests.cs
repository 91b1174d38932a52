using Collectives.Catalog;
using Collectives.Selection;

namespace Collectives.Tests.Selection;

/// <summary>
/// The selection syntax, <c>collective:bytes[:p=ranks]:algorithm</c> entries separated by <c>;</c>
/// or <c>#</c>: what valid text parses into, and that every malformed entry is a
/// <see cref="FormatException"/> quoting the entry and where it came from.
/// </summary>
public class SelectionTableTests
{
    private const long Unbounded = long.MaxValue;
    private const int AnyRanks = int.MaxValue;

    public static IEnumerable<TestCaseData> ValidEntries()
    {
        yield return Case("allreduce:0-4k:recursive_doubling", new SelectionRule(CollectiveKind.Allreduce, 0, 4096, 1, AnyRanks, AlgorithmCatalog.Find(CollectiveKind.Allreduce, (byte)AllreduceAlgorithm.RecursiveDoubling)!));
        yield return Case("allreduce:4k-inf:ring", new SelectionRule(CollectiveKind.Allreduce, 4096, Unbounded, 1, AnyRanks, AlgorithmCatalog.Find(CollectiveKind.Allreduce, (byte)AllreduceAlgorithm.Ring)!));
        yield return Case("allreduce:*:rabenseifner", new SelectionRule(CollectiveKind.Allreduce, 0, Unbounded, 1, AnyRanks, AlgorithmCatalog.Find(CollectiveKind.Allreduce, (byte)AllreduceAlgorithm.Rabenseifner)!));
        yield return Case("reduce:1m-2g:rabenseifner", new SelectionRule(CollectiveKind.Reduce, 1L << 20, 2L << 30, 1, AnyRanks, AlgorithmCatalog.Find(CollectiveKind.Reduce, (byte)ReduceAlgorithm.Rabenseifner)!));
        yield return Case("reduce:100-1000:binomial", new SelectionRule(CollectiveKind.Reduce, 100, 1000, 1, AnyRanks, AlgorithmCatalog.Find(CollectiveKind.Reduce, (byte)ReduceAlgorithm.BinomialTree)!));
        yield return Case("broadcast:128k-inf:p=3-inf:scatter_allgather", new SelectionRule(CollectiveKind.Broadcast, 128 << 10, Unbounded, 3, AnyRanks, AlgorithmCatalog.Find(CollectiveKind.Broadcast, (byte)BroadcastAlgorithm.ScatterAllgather)!));
        yield return Case("bcast:*:p=2-8:binomial", new SelectionRule(CollectiveKind.Broadcast, 0, Unbounded, 2, 8, AlgorithmCatalog.Find(CollectiveKind.Broadcast, (byte)BroadcastAlgorithm.BinomialTree)!));
        yield return Case("barrier:*:p=16:dissemination", new SelectionRule(CollectiveKind.Barrier, 0, Unbounded, 16, 16, AlgorithmCatalog.Find(CollectiveKind.Barrier, (byte)BarrierAlgorithm.Dissemination)!));
        yield return Case("ALLREDUCE:0-4K:P=2-4:RING", new SelectionRule(CollectiveKind.Allreduce, 0, 4096, 2, 4, AlgorithmCatalog.Find(CollectiveKind.Allreduce, (byte)AllreduceAlgorithm.Ring)!));
        yield return Case("  allreduce : 0-1g : p=1-inf : ring  ", new SelectionRule(CollectiveKind.Allreduce, 0, 1L << 30, 1, AnyRanks, AlgorithmCatalog.Find(CollectiveKind.Allreduce, (byte)AllreduceAlgorithm.Ring)!));
    }

    [TestCaseSource(nameof(ValidEntries))]
    public void A_valid_entry_parses_into_its_rule(string text, CollectiveKind kind, long minBytes, long maxBytes, int minRanks, int maxRanks, byte algorithm)
    {
        Assert.That(SelectionTable.Parse(text, "test"), Is.EqualTo(new[] { new SelectionRule(kind, minBytes, maxBytes, minRanks, maxRanks, AlgorithmCatalog.Find(kind, algorithm)!) }));
    }

    [TestCase("allreduce:0-4k:recursive_doubling;allreduce:4k-inf:ring;barrier:*:dissemination")]
    [TestCase("allreduce:0-4k:recursive_doubling#allreduce:4k-inf:ring#barrier:*:dissemination")]
    [TestCase(";allreduce:0-4k:recursive_doubling; ;allreduce:4k-inf:ring;#barrier:*:dissemination;")]
    public void Entries_parse_in_order_whichever_separator_and_empty_entries_are_skipped(string text)
    {
        IReadOnlyList<SelectionRule> rules = SelectionTable.Parse(text, "test");

        Assert.That(rules.Select(rule => (rule.Kind, rule.MinBytes, rule.Algorithm.Value)), Is.EqualTo(new[]
        {
            (CollectiveKind.Allreduce, 0L, (byte)AllreduceAlgorithm.RecursiveDoubling),
            (CollectiveKind.Allreduce, 4096L, (byte)AllreduceAlgorithm.Ring),
            (CollectiveKind.Barrier, 0L, (byte)BarrierAlgorithm.Dissemination),
        }));
    }

    [TestCase("")]
    [TestCase(" ; # ; ")]
    public void Text_without_entries_parses_into_no_rules(string text)
    {
        Assert.That(SelectionTable.Parse(text, "test"), Is.Empty);
    }

    [Test]
    public void The_built_in_table_parses()
    {
        Assert.That(SelectionTable.Parse(DefaultSelection.Table, "the built-in table"), Is.Not.Empty);
    }

    public static IEnumerable<TestCaseData> MalformedEntries()
    {
        yield return Malformed("allreduce:0-4k", "too few fields");
        yield return Malformed("allreduce", "a bare collective");
        yield return Malformed("allreduce:0-4k:p=2:ring:extra", "too many fields");
        yield return Malformed("gather:*:ring", "an unknown collective");
        yield return Malformed("allreduce:4k:ring", "a single size instead of a range");
        yield return Malformed("allreduce:4k-1k:ring", "a size range that ends before it starts");
        yield return Malformed("allreduce:0-4x:ring", "an unknown size suffix");
        yield return Malformed("allreduce:0-k:ring", "a suffix without digits");
        yield return Malformed("allreduce:a-4k:ring", "a size that is not a number");
        yield return Malformed("allreduce:1.5k-4k:ring", "a fractional size");
        yield return Malformed("allreduce:-4k:ring", "a range without a start");
        yield return Malformed("allreduce:0-:ring", "a range without an end");
        yield return Malformed("allreduce:0-4k-8k:ring", "a range with three bounds");
        yield return Malformed("allreduce:0-4k:q=2:ring", "a rank range without p=");
        yield return Malformed("allreduce:0-4k:p=:ring", "an empty rank range");
        yield return Malformed("allreduce:0-4k:p=8-2:ring", "a rank range that ends before it starts");
        yield return Malformed("allreduce:0-4k:binomial", "an algorithm of another collective");
        yield return Malformed("allreduce:0-4k:auto", "auto, which is not an algorithm");
        yield return Malformed("allreduce:0-4k:", "a missing algorithm");
        yield return Malformed("allreduce:*:unknown", "'unknown', which is no algorithm's name");
        yield return Malformed("allreduce:0-99999999999g:ring", "a size too large for 64 bits");
    }

    [TestCaseSource(nameof(MalformedEntries))]
    public void A_malformed_entry_throws_FormatException_quoting_it_and_its_origin(string entry)
    {
        string text = $"barrier:*:dissemination;{entry};allreduce:*:ring";

        Assert.That(() => SelectionTable.Parse(text, "the test's overrides"), Throws.TypeOf<FormatException>()
            .With.Message.Contains($"'{entry.Trim()}'").And.Message.Contains("the test's overrides"));
    }

    private static TestCaseData Case(string text, SelectionRule expected)
        => new TestCaseData(text, expected.Kind, expected.MinBytes, expected.MaxBytes, expected.MinRanks, expected.MaxRanks, expected.Algorithm.Value).SetArgDisplayNames(text);

    private static TestCaseData Malformed(string entry, string what) => new TestCaseData(entry).SetArgDisplayNames(what);
}
