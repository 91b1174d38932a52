using Collectives.Catalog;
using Collectives.Tests.Support;

namespace Collectives.Tests.Catalog;

/// <summary>README's algorithm table is the catalog as users read it: the same rows, names and enum members.</summary>
public class ReadmeAlgorithmTableTests
{
    [Test]
    public void The_readme_table_lists_exactly_the_catalog_rows()
    {
        string readme = File.ReadAllText(Path.Combine(Repository.Root(), "README.md"));
        string[] collectives = [.. AlgorithmCatalog.Collectives.Select(collective => collective.Name)];

        // | allreduce | `ring` | `AllreduceAlgorithm.Ring` | messages | ... |
        var listed = readme.Split('\n')
            .Select(line => line.Split('|', StringSplitOptions.TrimEntries))
            .Where(cells => cells.Length > 5 && collectives.Contains(cells[1]))
            .Select(cells => (cells[1], cells[2].Split('`')[1], cells[3].Trim('`'), cells[4]))
            .ToArray();
        var catalog = AlgorithmCatalog.All
            .Select(row => (AlgorithmCatalog.NameOf(row.Collective), row.Name, $"{EnumName(row.Collective)}.{EnumMember(row)}", row.Model.ToString().ToLowerInvariant()))
            .ToArray();

        Assert.That(listed, Is.EquivalentTo(catalog));
    }

    private static string EnumName(CollectiveKind kind) => $"{kind}Algorithm";

    private static string? EnumMember(CollectiveAlgorithm row) => row.Collective switch
    {
        CollectiveKind.Allreduce => ((AllreduceAlgorithm)row.Value).ToString(),
        CollectiveKind.Reduce => ((ReduceAlgorithm)row.Value).ToString(),
        CollectiveKind.Broadcast => ((BroadcastAlgorithm)row.Value).ToString(),
        CollectiveKind.Barrier => ((BarrierAlgorithm)row.Value).ToString(),
        CollectiveKind.Allgather => ((AllgatherAlgorithm)row.Value).ToString(),
        CollectiveKind.ReduceScatter => ((ReduceScatterAlgorithm)row.Value).ToString(),
        CollectiveKind.Gather => ((GatherAlgorithm)row.Value).ToString(),
        CollectiveKind.Scatter => ((ScatterAlgorithm)row.Value).ToString(),
        CollectiveKind.Alltoall => ((AlltoallAlgorithm)row.Value).ToString(),
        _ => null,
    };
}
