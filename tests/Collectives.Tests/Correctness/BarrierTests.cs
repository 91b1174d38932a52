using Collectives.Catalog;
using Collectives.Tests.Support;

namespace Collectives.Tests.Correctness;

/// <summary>
/// Barrier: no rank may leave before every rank has entered. Each rank counts itself in before the
/// barrier and reads the count after it; every rank must read p. Several barriers run back to back
/// (each with its own counter, so a fast rank entering the next one cannot disturb the reading), and
/// in each one a different rank arrives late, so that a barrier letting anyone through early would
/// be caught with the count short.
/// </summary>
public class BarrierTests
{
    private const int Rounds = 4;

    private static readonly TimeSpan LateArrival = TimeSpan.FromMilliseconds(15);

    [TestCaseSource(typeof(BarrierCase), nameof(BarrierCase.Cases))]
    public async Task Barrier_holds_every_rank_until_all_entered(BarrierCase testCase)
    {
        int ranks = testCase.Ranks;
        var entered = new int[Rounds];
        var seen = new int[Rounds, ranks];

        // Forced through a selection override that covers every size, as a user would configure it.
        var options = new CommunicatorOptions
        {
            Timeout = CaseRunner.CallTimeout,
            Algorithms = $"barrier:*:{AlgorithmCatalog.Find(CollectiveKind.Barrier, (byte)testCase.Algorithm)!.Name}",
        };

        if (testCase.Api == ApiStyle.Blocking)
        {
            LocalJob.Run(ranks, options, communicator =>
            {
                for (int round = 0; round < Rounds; round++)
                {
                    if (IsLate(communicator.Rank, round, ranks))
                    {
                        Thread.Sleep(LateArrival);
                    }

                    Interlocked.Increment(ref entered[round]);
                    communicator.Barrier();
                    seen[round, communicator.Rank] = Volatile.Read(ref entered[round]);
                }
            });
        }
        else
        {
            await LocalJob.RunAsync(ranks, options, async communicator =>
            {
                for (int round = 0; round < Rounds; round++)
                {
                    if (IsLate(communicator.Rank, round, ranks))
                    {
                        await Task.Delay(LateArrival);
                    }

                    Interlocked.Increment(ref entered[round]);
                    await communicator.BarrierAsync();
                    seen[round, communicator.Rank] = Volatile.Read(ref entered[round]);
                }
            });
        }

        using (Assert.EnterMultipleScope())
        {
            for (int round = 0; round < Rounds; round++)
            {
                for (int rank = 0; rank < ranks; rank++)
                {
                    Assert.That(seen[round, rank], Is.EqualTo(ranks), $"ranks that had entered barrier {round} when rank {rank} left it");
                }
            }
        }
    }

    /// <summary>The late rank walks backwards from the last, so it is a different rank in each round.</summary>
    private static bool IsLate(int rank, int round, int ranks) => rank == ranks - 1 - (round % ranks);
}
