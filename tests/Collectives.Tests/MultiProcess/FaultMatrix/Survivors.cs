using System.Globalization;
using System.Text.RegularExpressions;

namespace Collectives.Tests.MultiProcess.FaultMatrix;

/// <summary>The checks every rank-fault case ends with, on the ranks other than the one at fault.</summary>
internal static partial class Survivors
{
    /// <summary>
    /// Every rank but <paramref name="culprit"/> ended with <paramref name="exceptionType"/>, its
    /// message containing <paramref name="naming"/> (how that exception names the culprit), within
    /// <paramref name="bound"/> of the fault: the culprit's FAULT timestamp; when every rank is at
    /// fault (culprit -1), the first FAULT timestamp; when no rank faulted itself (the culprit
    /// never started), the moment the last survivor started.
    /// Records the case's row in the <see cref="MatrixTable"/> first, so a failing case shows its figures too.
    /// </summary>
    public static void AssertEndedWith(FinishedJob job, string fault, string transport, int size, int culprit, string exceptionType, string naming, TimeSpan bound)
    {
        RankReport[] survivors = AssertEndedWithin(job, fault, transport, size, culprit, exceptionType, bound);

        Assert.That(survivors.Select(report => report.Detail), Has.All.Contains(naming), ProcessJob.Describe(job.Reports));
    }

    /// <summary>
    /// Every rank but the silent <paramref name="culprit"/> ended with a
    /// <see cref="CollectiveTimeoutException"/> within <paramref name="bound"/> of the fault, and the
    /// ranks they say they were waiting for lead to it: a rank waiting for a rank that itself
    /// waits for the culprit names the rank it waited for (it cannot know more).
    /// </summary>
    public static void AssertTimedOutWaitingOn(FinishedJob job, string fault, string transport, int size, int culprit, TimeSpan bound)
    {
        RankReport[] survivors = AssertEndedWithin(job, fault, transport, size, culprit, nameof(CollectiveTimeoutException), bound);
        var waitsFor = survivors.ToDictionary(report => report.Rank, report => WaitedFor(report.Detail));
        foreach (RankReport survivor in survivors)
        {
            int? rank = survivor.Rank;
            for (int step = 0; step < size && rank is { } r && r != culprit; step++)
            {
                rank = waitsFor.GetValueOrDefault(r);
            }

            Assert.That(rank, Is.EqualTo(culprit), $"rank {survivor.Rank}'s chain of waits does not lead to rank {culprit}{ProcessJob.Describe(job.Reports)}");
        }
    }

    private static RankReport[] AssertEndedWithin(FinishedJob job, string fault, string transport, int size, int culprit, string exceptionType, TimeSpan bound)
    {
        RankReport[] survivors = [.. job.Reports.Where(report => report.Rank != culprit)];
        long since = job.Reports.SingleOrDefault(report => report.Rank == culprit)?.FaultedAt
            ?? job.Reports.Min(report => report.FaultedAt)
            ?? survivors.Max(report => report.StartedAt)
            ?? job.StartedAt;
        TimeSpan?[] times = [.. survivors.Select(report => report.EndedAfter(since))];
        TimeSpan? slowest = times.All(time => time is not null) ? times.Max() : null;
        MatrixTable.Record(fault, transport, size, slowest, survivors.Select(report => report.Outcome));
        string reports = ProcessJob.Describe(job.Reports);

        Assert.That(survivors.Select(report => report.Outcome), Has.All.EqualTo(exceptionType), reports);
        Assert.That(times, Has.All.Not.Null, $"a survivor reported no end{reports}");
        Assert.That(times.Select(time => time!.Value), Has.All.LessThanOrEqualTo(bound), $"time from the fault to each survivor's error, bound {bound.TotalSeconds} s{reports}");
        Assert.That(survivors.Select(report => report.BusyThreads), Has.All.EqualTo("0"), $"threads left running in a survivor after its failure (count, names){reports}");
        return survivors;
    }

    /// <summary>The rank a <see cref="CollectiveTimeoutException"/>'s message says its rank was waiting for.</summary>
    private static int? WaitedFor(string message)
        => WaitingFor().Match(message) is { Success: true } match ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;

    [GeneratedRegex(@"was waiting for rank (\d+)")]
    private static partial Regex WaitingFor();
}
