using Collectives.Transport.SharedMemory;

namespace Collectives.Transport.Tests.SharedMemory;

/// <summary>Failures in the windows of a segment some of the job's ranks share name the job's ranks, not places in the segment.</summary>
public class JobRankedWindowsTests
{
    [Test]
    public void A_peer_failure_names_the_jobs_rank_of_the_failed_place()
    {
        var windows = new JobRankedWindows(new FailingWindows(new PeerFailedException(1, "its process (42) exited")), [4, 7, 9]);

        var failure = Assert.Throws<PeerFailedException>(() => windows.WaitForAll(0, 1, long.MaxValue, CancellationToken.None, out _));

        Assert.That((failure!.Rank, failure.Reason), Is.EqualTo((7, "its process (42) exited")));
    }

    [Test]
    public void An_abort_names_the_jobs_rank_of_the_aborting_place_and_keeps_its_reason()
    {
        byte[] reason = [1, 2, 3];
        var windows = new JobRankedWindows(new FailingWindows(new PeerAbortedException(2, reason)), [4, 7, 9]);

        var failure = Assert.Throws<PeerAbortedException>(() => windows.WaitForAll(0, 1, long.MaxValue, CancellationToken.None, out _));

        Assert.That((failure!.OriginRank, failure.Reason.ToArray()), Is.EqualTo((9, reason)));
    }

    [Test]
    public void A_peer_failure_in_a_wait_for_a_word_names_the_jobs_rank_of_the_failed_place()
    {
        var windows = new JobRankedWindows(new FailingWindows(new PeerFailedException(2, "it closed its transport")), [4, 7, 9]);

        var failure = Assert.Throws<PeerFailedException>(() => windows.WaitForWord(2, 0, 1, long.MaxValue, CancellationToken.None));

        Assert.That(failure!.Rank, Is.EqualTo(9));
    }

    /// <summary>Windows whose every wait fails as given.</summary>
    private sealed class FailingWindows(Exception failure) : ISharedMemoryWindows
    {
        public int Rank => 0;

        public int Size => 3;

        public int WindowLength => 0;

        public int SlotDataLength => 0;

        public void BeginAccess()
        {
        }

        public void EndAccess()
        {
        }

        public Span<byte> Window(int rank) => [];

        public Span<byte> SlotData(int rank, int slot) => [];

        public void Publish(int slot, long sequence)
        {
        }

        public bool WaitForAll(int slot, long sequence, long deadline, CancellationToken cancellationToken, out int laggard) => throw failure;

        public void PublishWord(int offset, long value)
        {
        }

        public bool WaitForWord(int rank, int offset, long value, long deadline, CancellationToken cancellationToken) => throw failure;
    }
}
