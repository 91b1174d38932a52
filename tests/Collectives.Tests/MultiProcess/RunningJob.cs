using System.Net;
using System.Text;
using Collectives.Transport.Rendezvous;
using Collectives.Transport.Security;

namespace Collectives.Tests.MultiProcess;

/// <summary>What a test sees of a job while it runs: its rendezvous server and credentials, and through them the ranks' ports.</summary>
/// <param name="Rendezvous">The job's rendezvous server's listening endpoint.</param>
/// <param name="Credentials">The job's id and secret.</param>
/// <param name="Size">Ranks in the job.</param>
internal sealed record RunningJob(IPEndPoint Rendezvous, JobCredentials Credentials, int Size)
{
    /// <summary>Rank <paramref name="rank"/>'s TCP listening endpoint, as it published it in the rendezvous store (tcp jobs only).</summary>
    public async Task<IPEndPoint> RankEndPointAsync(int rank, TimeSpan timeout)
    {
        using var giveUp = new CancellationTokenSource(timeout);
        await using RendezvousClient store = await RendezvousClient.ConnectAsync(Rendezvous, Credentials, timeout, giveUp.Token);
        string address = Encoding.UTF8.GetString(await store.GetAsync($"tcp/{rank}", giveUp.Token));
        return IPEndPoint.Parse(address);
    }
}
