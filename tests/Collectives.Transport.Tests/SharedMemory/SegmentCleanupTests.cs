using Collectives.Transport.Security;
using Collectives.Transport.SharedMemory;

namespace Collectives.Transport.Tests.SharedMemory;

/// <summary>
/// The segment's name is computed from the job's id and secret, so whoever survives a rank that
/// created it and died before announcing it (the other ranks, the launcher) removes it.
/// </summary>
[Platform("Linux")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[CancelAfter(30_000)]
public sealed class SegmentCleanupTests
{
    [Test]
    public void Every_holder_of_the_credentials_computes_the_same_name_and_another_secret_gives_another()
    {
        JobCredentials credentials = JobCredentials.Generate("cleanup-job");
        var sameJob = JobCredentials.FromBase64("cleanup-job", credentials.SecretToBase64());

        Assert.That(SharedMemoryTransport.SegmentName(sameJob), Is.EqualTo(SharedMemoryTransport.SegmentName(credentials)));
        Assert.That(SharedMemoryTransport.SegmentName(JobCredentials.Generate("cleanup-job")), Is.Not.EqualTo(SharedMemoryTransport.SegmentName(credentials)));
        Assert.That(SharedMemoryTransport.SegmentName(credentials, SharedMemoryTransport.HostGroup(4)), Is.Not.EqualTo(SharedMemoryTransport.SegmentName(credentials)));
        Assert.That(SharedMemoryTransport.SegmentName(credentials), Does.StartWith(SharedMemoryTransport.SegmentNamePrefix("cleanup-job")).And.Length.EqualTo(SharedMemoryTransport.SegmentNamePrefix("cleanup-job").Length + 32));
    }

    [Test]
    public async Task Rank_0_creates_the_segment_under_the_computed_name()
    {
        JobCredentials credentials = JobCredentials.Generate($"test-{Guid.NewGuid():N}");
        var store = new InMemoryRendezvousStore();
        Task<SharedMemoryTransport> first = SharedMemoryTransport.ConnectAsync(0, 2, credentials, store, null, CancellationToken.None);
        string path = Path.Combine("/dev/shm", SharedMemoryTransport.SegmentName(credentials));
        for (int attempt = 0; attempt < 1000 && !File.Exists(path); attempt++)
        {
            await Task.Delay(10);
        }

        Assert.That(File.Exists(path), Is.True);
        await using SharedMemoryTransport second = await SharedMemoryTransport.ConnectAsync(1, 2, credentials, store, null, CancellationToken.None);
        await using SharedMemoryTransport firstTransport = await first;
        Assert.That(File.Exists(path), Is.False);
    }

    [Test]
    public async Task A_rank_that_gives_up_waiting_for_an_announcement_removes_the_segment_rank_0_created_before_dying()
    {
        JobCredentials credentials = JobCredentials.Generate($"test-{Guid.NewGuid():N}");
        string path = CreateStandIn(credentials, SharedMemoryTransport.AllRanksGroup);
        var options = new SharedMemoryTransportOptions { ConnectTimeout = TimeSpan.FromMilliseconds(300) };

        Task<SharedMemoryTransport> survivor = SharedMemoryTransport.ConnectAsync(1, 2, credentials, new InMemoryRendezvousStore(), options, CancellationToken.None);

        Assert.That(async () => await survivor, Throws.TypeOf<PeerFailedException>().With.Property(nameof(PeerFailedException.Rank)).EqualTo(0));
        Assert.That(File.Exists(path), Is.False);
    }

    [Test]
    public async Task A_rank_whose_connect_is_cancelled_removes_the_segment_too()
    {
        JobCredentials credentials = JobCredentials.Generate($"test-{Guid.NewGuid():N}");
        string path = CreateStandIn(credentials, SharedMemoryTransport.AllRanksGroup);
        using var cancel = new CancellationTokenSource();

        Task<SharedMemoryTransport> leaving = SharedMemoryTransport.ConnectAsync(2, 3, credentials, new InMemoryRendezvousStore(), null, cancel.Token);
        await cancel.CancelAsync();

        Assert.That(async () => await leaving, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(File.Exists(path), Is.False);
    }

    [Test]
    public async Task A_segment_left_by_an_earlier_run_of_the_same_job_is_replaced_and_the_job_connects()
    {
        JobCredentials credentials = JobCredentials.Generate($"test-{Guid.NewGuid():N}");
        string path = CreateStandIn(credentials, SharedMemoryTransport.AllRanksGroup);

        await using ShmJob job = await ShmJob.StartAsync(2, credentials: credentials);

        Assert.That(File.Exists(path), Is.False);
    }

    [Test]
    public void The_launchers_sweep_removes_every_segment_the_job_could_have_left_and_no_other_jobs()
    {
        JobCredentials credentials = JobCredentials.Generate($"test-{Guid.NewGuid():N}");
        JobCredentials sameIdOtherSecret = JobCredentials.Generate(credentials.JobId);
        string[] ours = [CreateStandIn(credentials, SharedMemoryTransport.AllRanksGroup), CreateStandIn(credentials, SharedMemoryTransport.HostGroup(2))];
        string theirs = CreateStandIn(sameIdOtherSecret, SharedMemoryTransport.AllRanksGroup);
        try
        {
            int removed = SharedMemoryTransport.RemoveLeftoverSegments(credentials, size: 4);

            Assert.That(removed, Is.EqualTo(2));
            Assert.That(ours.Where(File.Exists), Is.Empty);
            Assert.That(File.Exists(theirs), Is.True);
        }
        finally
        {
            File.Delete(theirs);
        }
    }

    /// <summary>A file where rank 0 of <paramref name="group"/> would have created the segment: what a rank that died before announcing it leaves.</summary>
    private static string CreateStandIn(JobCredentials credentials, string group)
    {
        string path = Path.Combine("/dev/shm", SharedMemoryTransport.SegmentName(credentials, group));
        using (File.Create(path))
        {
        }

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }
}
