using System.Diagnostics;
using Collectives.Transport.Security;

namespace Collectives.Tests.MultiProcess.FaultMatrix;

/// <summary>
/// A job serving Allreduce calls (ProcessWorker "serve": every result checked) while an intruder
/// knocks on every port it listens on, all at once: the rendezvous server's, and over TCP every
/// rank's. Once every intrusion has been refused, the rendezvous server must still serve a real
/// client, and the job is told to stop; every rank must then end OK.
/// </summary>
internal static class IntrudedJob
{
    /// <summary>Generous: only the intrusions' refusals (at most <see cref="Intrusions.RefusalBound"/>) stand between the job's start and its end.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Runs the job with <paramref name="intrusion"/> on every port; returns it once over, with how long the intrusions took.</summary>
    public static async Task<(FinishedJob Job, TimeSpan Intruding)> RunAsync(string transport, int size, Func<ListeningPort, RunningJob, Task> intrusion)
    {
        string folder = Directory.CreateTempSubdirectory("collectives-intruded-").FullName;
        string ready = Path.Combine(folder, "ready");
        string stop = Path.Combine(folder, "stop");
        TimeSpan intruding = TimeSpan.Zero;
        try
        {
            FinishedJob job = await ProcessJob.RunAsync(new ProcessJobRun(transport, size, "serve", Timeout)
            {
                Arguments = [ready, stop],
                Meanwhile = async running =>
                {
                    try
                    {
                        await WaitForAsync(ready, Timeout);
                        ListeningPort[] ports = await PortsAsync(transport, running);
                        long start = Stopwatch.GetTimestamp();
                        await Task.WhenAll(ports.Select(port => intrusion(port, running)));
                        intruding = Stopwatch.GetElapsedTime(start);
                        await AssertRendezvousStillServesAsync(running);
                    }
                    finally
                    {
                        await File.WriteAllTextAsync(stop, "stop");
                    }
                },
            });
            return (job, intruding);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<ListeningPort[]> PortsAsync(string transport, RunningJob job)
    {
        var ports = new List<ListeningPort> { new("rendezvous", job.Rendezvous, HandshakePurpose.Rendezvous, -1) };
        if (transport == "tcp")
        {
            for (int rank = 0; rank < job.Size; rank++)
            {
                ports.Add(new ListeningPort($"rank {rank}", await job.RankEndPointAsync(rank, Timeout), HandshakePurpose.Transport, rank));
            }
        }

        return [.. ports];
    }

    private static async Task AssertRendezvousStillServesAsync(RunningJob job)
    {
        using var giveUp = new CancellationTokenSource(Timeout);
        await using var store = await Transport.Rendezvous.RendezvousClient.ConnectAsync(job.Rendezvous, job.Credentials, Timeout, giveUp.Token);
        await store.SetAsync("after-intrusion", new byte[] { 7 }, giveUp.Token);

        Assert.That(await store.GetAsync("after-intrusion", giveUp.Token), Is.EqualTo(new byte[] { 7 }), "the rendezvous server no longer serves after the intrusions");
    }

    private static async Task WaitForAsync(string file, TimeSpan timeout)
    {
        long start = Stopwatch.GetTimestamp();
        while (!File.Exists(file))
        {
            if (Stopwatch.GetElapsedTime(start) > timeout)
            {
                throw new TimeoutException($"The job did not start serving within {timeout.TotalSeconds} s.");
            }

            await Task.Delay(20);
        }
    }
}
