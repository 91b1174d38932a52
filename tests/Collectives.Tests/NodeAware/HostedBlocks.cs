using System.Numerics;
using Collectives.Tests.Correctness;
using Collectives.Tests.Support;
using Collectives.Transport.Hybrid;

namespace Collectives.Tests.NodeAware;

/// <summary>
/// The cases and reference blocks of the node-aware gather and scatter tests: rank r's block is
/// r * 100000 + i (and a half, for floating types), written out without the library.
/// </summary>
internal static class HostedBlocks
{
    /// <summary>Hosts by lowest rank: ranks 0, 2 and 5 on host 0, ranks 1 and 3 on host 1, rank 4 alone on host 2.</summary>
    public static readonly HostLayout Interleaved = new([0, 1, 0, 1, 2, 0]);

    /// <summary>Small segments, so a few dozen elements take several; the default ones for the large count, which takes several of those.</summary>
    public static CommunicatorOptions OptionsFor(int count) => new()
    {
        SegmentSize = count == HeartMatrix.OverLargeSegmentCount ? HeartMatrix.LargeSegmentSize : HeartMatrix.SmallSegmentSize,
        Timeout = CaseRunner.CallTimeout,
    };

    private static readonly HostLayout[] Layouts = [HostedJob.Layout([2, 2]), HostedJob.Layout([1, 2, 3]), Interleaved];
    private static readonly int[] Counts = [0, 1, 7, 65, HeartMatrix.OverLargeSegmentCount];

    /// <summary>
    /// Every root of every layout (passed as each rank's host, since the layout type is internal), every count and two element types over in-process hosts; over
    /// shared-memory hosts (whose phases inside a host run in the windows) every root with one small
    /// and one large count of ints.
    /// </summary>
    public static IEnumerable<TestCaseData> Cases(string collective) =>
        from layout in Layouts
        from root in Enumerable.Range(0, layout.Size)
        from link in Enum.GetValues<HostLink>()
        from count in link == HostLink.InProcess ? Counts : [1, HeartMatrix.OverLargeSegmentCount]
        from element in link == HostLink.InProcess ? new[] { typeof(int), typeof(double) } : [typeof(int)]
        let hostOfRank = Enumerable.Range(0, layout.Size).Select(layout.HostOf).ToArray()
        select new TestCaseData(hostOfRank, root, count, element, link)
            .SetName($"{collective}_on_hosts_{string.Join("", hostOfRank)}_root_{root}_count_{count}_{element.Name}_linked_{link}");

    /// <summary>Rank <paramref name="rank"/>'s block of <paramref name="count"/> elements.</summary>
    public static T[] Block<T>(int rank, int count)
        where T : INumber<T>
        => [.. Enumerable.Range(0, count).Select(i => T.CreateTruncating((rank * 100_000) + i + 0.5))];

    /// <summary>Every rank's block of <paramref name="counts"/>, in rank order.</summary>
    public static T[] Reference<T>(int[] counts)
        where T : INumber<T>
        => [.. counts.SelectMany((count, rank) => Block<T>(rank, count))];
}
