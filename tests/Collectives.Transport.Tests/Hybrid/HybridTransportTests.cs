using Collectives.Transport.Hybrid;
using Collectives.Transport.InProcess;

namespace Collectives.Transport.Tests.Hybrid;

/// <summary>
/// The hybrid transport's local part numbers this host's ranks from 0; a failure it reports names
/// the job's rank, so a user is told about the right process.
/// </summary>
public class HybridTransportTests
{
    private static readonly MessageTag Tag = new(1, 0, 0, 0);

    [Test]
    public async Task An_abort_by_a_host_mate_names_its_job_rank_when_a_receive_was_waiting()
    {
        // Job ranks 2 and 3 share a host: local ranks 0 and 1.
        InProcessTransport[] wide = InProcessTransport.CreateGroup(4);
        InProcessTransport[] host = InProcessTransport.CreateGroup(2);
        await using var rank3 = new HybridTransport(wide[3], host[1], [2, 3]);
        ValueTask<ReceivedMessage> waiting = rank3.ReceiveAsync(2, Tag, new byte[1], CancellationToken.None);

        host[0].Abort(new byte[] { 7 });

        PeerAbortedException? failure = await Assert.ThrowsAsync<PeerAbortedException>(async () => await waiting);
        Assert.That(failure!.OriginRank, Is.EqualTo(2));
    }

    [Test]
    public async Task An_abort_by_a_host_mate_names_its_job_rank_on_a_later_send()
    {
        InProcessTransport[] wide = InProcessTransport.CreateGroup(4);
        InProcessTransport[] host = InProcessTransport.CreateGroup(2);
        await using var rank2 = new HybridTransport(wide[2], host[0], [2, 3]);

        host[1].Abort(new byte[] { 7 });

        PeerAbortedException? failure = await Assert.ThrowsAsync<PeerAbortedException>(async () => await rank2.SendAsync(3, Tag, new byte[] { 1 }, CancellationToken.None));
        Assert.That(failure!.OriginRank, Is.EqualTo(3));
    }
}
