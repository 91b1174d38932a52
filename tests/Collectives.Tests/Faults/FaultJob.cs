using System.Diagnostics;

namespace Collectives.Tests.Faults;

/// <summary>
/// An in-process job for fault tests: every rank runs its own list of calls on a dedicated thread,
/// and the job records, per rank, which call threw what and when. A rank still running after
/// <see cref="HangLimit"/> fails the test as a hang instead of blocking the test run.
/// </summary>
internal sealed class FaultJob : IDisposable
{
    public FaultJob(int size, TimeSpan timeout, bool verifyCalls = true)
        : this(Communicator.CreateLocal(size, new CommunicatorOptions { Timeout = timeout, VerifyCalls = verifyCalls }), timeout)
    {
    }

    public FaultJob(Communicator[] ranks, TimeSpan timeout)
    {
        Ranks = ranks;
        Timeout = timeout;
    }

    public Communicator[] Ranks { get; }

    public TimeSpan Timeout { get; }

    /// <summary>
    /// The liveness bound: every rank must have finished (returned or thrown) within three times
    /// the timeout. Not a speed claim; it only separates "failed" from "hung".
    /// </summary>
    public TimeSpan HangLimit => 3 * Timeout;

    /// <summary>Runs the calls <paramref name="callsOf"/> gives each rank, in order, stopping at the first that throws.</summary>
    public RankOutcome[] Run(Func<int, IReadOnlyList<Action<Communicator>>> callsOf)
    {
        int size = Ranks.Length;
        var outcomes = new RankOutcome?[size];
        var threads = new Thread[size];
        var clock = Stopwatch.StartNew();
        for (int rank = 0; rank < size; rank++)
        {
            int me = rank;
            IReadOnlyList<Action<Communicator>> calls = callsOf(me);
            threads[me] = new Thread(() =>
            {
                int completed = 0;
                try
                {
                    foreach (Action<Communicator> call in calls)
                    {
                        call(Ranks[me]);
                        completed++;
                    }

                    outcomes[me] = new RankOutcome(me, completed, null, clock.Elapsed);
                }
                catch (Exception exception)
                {
                    outcomes[me] = new RankOutcome(me, completed, exception, clock.Elapsed);
                }
            })
            {
                IsBackground = true,
                Name = $"rank {me}",
            };
        }

        foreach (Thread thread in threads)
        {
            thread.Start();
        }

        var hung = new List<int>();
        for (int rank = 0; rank < size; rank++)
        {
            TimeSpan left = HangLimit - clock.Elapsed;
            if (!threads[rank].Join(left > TimeSpan.Zero ? left : TimeSpan.Zero))
            {
                hung.Add(rank);
            }
        }

        if (hung.Count > 0)
        {
            Assert.Fail($"Rank(s) {string.Join(", ", hung)} of {size} were still inside a collective {HangLimit.TotalSeconds} s after the job started "
                + $"(timeout {Timeout.TotalSeconds} s): a hang. Others: {string.Join("; ", outcomes.Where(o => o is not null))}");
        }

        return outcomes.Select(outcome => outcome!).ToArray();
    }

    /// <summary>Runs one call per rank.</summary>
    public RankOutcome[] Run(Func<int, Action<Communicator>> callOf) => Run(rank => [callOf(rank)]);

    public void Dispose()
    {
        foreach (Communicator communicator in Ranks)
        {
            communicator.Dispose();
        }
    }
}
