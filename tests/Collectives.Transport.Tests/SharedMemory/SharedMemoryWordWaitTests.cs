using System.Diagnostics;
using Collectives.Transport.SharedMemory;

namespace Collectives.Transport.Tests.SharedMemory;

/// <summary>
/// Waiting for one rank's word of the shared-memory windows (<see cref="ISharedMemoryWindows.WaitForWord"/>)
/// and publishing it (<see cref="ISharedMemoryWindows.PublishWord"/>): each rank of the job has its
/// own mapping of the segment, as separate processes would.
/// </summary>
[Platform("Linux")]
public class SharedMemoryWordWaitTests
{
    private static long InSeconds(double seconds) => Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);

    private static ISharedMemoryWindows WindowsOf(ShmJob job, int rank) => job[rank].GetFeature<ISharedMemoryWindows>()!;

    [Test]
    public async Task A_sleeping_wait_wakes_when_another_mapping_publishes_the_word_and_sees_the_data_written_before()
    {
        await using ShmJob job = await ShmJob.StartAsync(2, ShmJob.QuickToSleep);
        ISharedMemoryWindows waiter = WindowsOf(job, 1);
        ISharedMemoryWindows publisher = WindowsOf(job, 0);
        Task<byte> waiting = Task.Run(() =>
        {
            bool reached = waiter.WaitForWord(0, 64, 3, InSeconds(30), CancellationToken.None);
            return reached ? waiter.Window(0)[128] : (byte)0;
        });
        await Task.Delay(50);

        publisher.Window(0)[128] = 77;
        publisher.PublishWord(64, 3);

        Assert.That(await waiting, Is.EqualTo(77));
    }

    [Test]
    public async Task A_word_already_at_a_larger_value_ends_the_wait_at_once()
    {
        await using ShmJob job = await ShmJob.StartAsync(2, ShmJob.QuickToSleep);
        WindowsOf(job, 0).PublishWord(0, 5);

        Assert.That(WindowsOf(job, 1).WaitForWord(0, 0, 4, InSeconds(-1), CancellationToken.None), Is.True);
    }

    [Test]
    public async Task A_wait_for_a_word_nobody_publishes_returns_false_at_the_deadline()
    {
        await using ShmJob job = await ShmJob.StartAsync(2, ShmJob.QuickToSleep);

        Assert.That(WindowsOf(job, 1).WaitForWord(0, 0, 1, InSeconds(0.1), CancellationToken.None), Is.False);
    }

    [Test]
    public async Task A_peer_that_closes_fails_a_wait_for_its_word_with_PeerFailedException_naming_it()
    {
        await using ShmJob job = await ShmJob.StartAsync(2, ShmJob.QuickToSleep);
        ISharedMemoryWindows waiter = WindowsOf(job, 1);
        Task waiting = Task.Run(() => waiter.WaitForWord(0, 0, 1, InSeconds(30), CancellationToken.None));
        await Task.Delay(50);

        await job[0].DisposeAsync();

        PeerFailedException? failed = await Assert.ThrowsAsync<PeerFailedException>(async () => await waiting);
        Assert.That(failed!.Rank, Is.EqualTo(0));
    }

    [Test]
    public async Task Cancellation_ends_a_sleeping_wait_for_a_word()
    {
        await using ShmJob job = await ShmJob.StartAsync(2, ShmJob.QuickToSleep);
        ISharedMemoryWindows waiter = WindowsOf(job, 1);
        using var cancellation = new CancellationTokenSource();
        Task waiting = Task.Run(() => waiter.WaitForWord(0, 0, 1, InSeconds(30), cancellation.Token));
        await Task.Delay(50);

        await cancellation.CancelAsync();

        Assert.That(async () => await waiting, Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task An_abort_fails_a_sleeping_wait_for_a_word_with_the_abort()
    {
        await using ShmJob job = await ShmJob.StartAsync(3, ShmJob.QuickToSleep);
        ISharedMemoryWindows waiter = WindowsOf(job, 1);
        Task waiting = Task.Run(() => waiter.WaitForWord(0, 0, 1, InSeconds(30), CancellationToken.None));
        await Task.Delay(50);

        job[2].Abort([9]);

        PeerAbortedException? aborted = await Assert.ThrowsAsync<PeerAbortedException>(async () => await waiting);
        Assert.That(aborted!.OriginRank, Is.EqualTo(2));
    }

    [TestCase(-8)]
    [TestCase(4)]
    [TestCase(int.MaxValue)]
    public async Task A_wait_for_a_word_at_a_bad_offset_throws_ArgumentOutOfRangeException(int offset)
    {
        await using ShmJob job = await ShmJob.StartAsync(2);

        Assert.Throws<ArgumentOutOfRangeException>(() => WindowsOf(job, 1).WaitForWord(0, offset, 1, InSeconds(1), CancellationToken.None));
    }

    [Test]
    public async Task A_word_that_does_not_fit_the_window_throws_ArgumentOutOfRangeException()
    {
        await using ShmJob job = await ShmJob.StartAsync(2);
        ISharedMemoryWindows windows = WindowsOf(job, 0);

        Assert.Throws<ArgumentOutOfRangeException>(() => windows.PublishWord(windows.WindowLength - 4, 1));
    }

    [Test]
    public async Task A_wait_for_a_word_of_a_rank_outside_the_job_throws_ArgumentOutOfRangeException()
    {
        await using ShmJob job = await ShmJob.StartAsync(2);

        Assert.Throws<ArgumentOutOfRangeException>(() => WindowsOf(job, 0).WaitForWord(2, 0, 1, InSeconds(1), CancellationToken.None));
    }
}
