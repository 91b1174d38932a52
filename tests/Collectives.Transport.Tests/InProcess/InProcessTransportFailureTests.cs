using Collectives.Transport.InProcess;

namespace Collectives.Transport.Tests.InProcess;

/// <summary>
/// How the in-process transport reports an aborted job and a closed rank.
/// </summary>
public class InProcessTransportFailureTests
{
    private static readonly MessageTag Tag = new(1, 2, 3, 4);
    private static readonly byte[] Reason = { 1, 2, 3 };

    [Test]
    public async Task Abort_fails_waiting_receives_on_every_rank_with_the_origin_and_reason()
    {
        InProcessTransport[] group = InProcessTransport.CreateGroup(3);
        ValueTask<ReceivedMessage>[] waiting =
        {
            group[0].ReceiveAsync(1, Tag, new byte[1], CancellationToken.None),
            group[1].ReceiveAsync(0, Tag, new byte[1], CancellationToken.None),
            group[2].ReceiveAsync(0, Tag, new byte[1], CancellationToken.None),
        };

        group[2].Abort(Reason);

        for (int rank = 0; rank < waiting.Length; rank++)
        {
            PeerAbortedException? failure = await CatchAsync<PeerAbortedException>(waiting[rank]);
            Assert.That(failure, Is.Not.Null, $"rank {rank}");
            Assert.That((failure!.OriginRank, failure.Reason.ToArray()), Is.EqualTo((2, Reason)), $"rank {rank}");
        }
    }

    [Test]
    public async Task Abort_fails_later_receives_with_the_origin_and_reason()
    {
        InProcessTransport[] group = InProcessTransport.CreateGroup(3);

        group[2].Abort(Reason);
        PeerAbortedException? failure = await CatchAsync<PeerAbortedException>(group[0].ReceiveAsync(1, Tag, new byte[1], CancellationToken.None));

        Assert.That(failure, Is.Not.Null);
        Assert.That((failure!.OriginRank, failure.Reason.ToArray()), Is.EqualTo((2, Reason)));
    }

    [Test]
    public async Task Abort_fails_later_sends_with_the_origin_and_reason()
    {
        InProcessTransport[] group = InProcessTransport.CreateGroup(3);

        group[2].Abort(Reason);
        PeerAbortedException? failure = null;
        try
        {
            await group[0].SendAsync(1, Tag, new byte[1], CancellationToken.None);
        }
        catch (PeerAbortedException exception)
        {
            failure = exception;
        }

        Assert.That(failure, Is.Not.Null);
        Assert.That((failure!.OriginRank, failure.Reason.ToArray()), Is.EqualTo((2, Reason)));
    }

    [Test]
    public async Task After_an_abort_queued_messages_are_no_longer_delivered()
    {
        InProcessTransport[] group = InProcessTransport.CreateGroup(3);
        await group[0].SendAsync(1, Tag, new byte[1], CancellationToken.None);

        group[2].Abort(Reason);

        Assert.That(await CatchAsync<PeerAbortedException>(group[1].ReceiveAsync(0, Tag, new byte[1], CancellationToken.None)), Is.Not.Null);
    }

    [Test]
    public async Task The_first_abort_wins()
    {
        InProcessTransport[] group = InProcessTransport.CreateGroup(3);

        group[2].Abort(Reason);
        group[0].Abort(new byte[] { 9 });
        PeerAbortedException? failure = await CatchAsync<PeerAbortedException>(group[1].ReceiveAsync(0, Tag, new byte[1], CancellationToken.None));

        Assert.That((failure?.OriginRank, failure?.Reason.ToArray()), Is.EqualTo(((int?)2, Reason)));
    }

    [Test]
    public async Task Closing_a_rank_fails_receives_waiting_for_it_with_PeerFailedException_naming_it()
    {
        InProcessTransport[] group = InProcessTransport.CreateGroup(3);
        ValueTask<ReceivedMessage> waitingAtZero = group[0].ReceiveAsync(1, Tag, new byte[1], CancellationToken.None);
        ValueTask<ReceivedMessage> waitingAtTwo = group[2].ReceiveAsync(1, Tag, new byte[1], CancellationToken.None);

        await group[1].DisposeAsync();

        Assert.That((await CatchAsync<PeerFailedException>(waitingAtZero))?.Rank, Is.EqualTo(1));
        Assert.That((await CatchAsync<PeerFailedException>(waitingAtTwo))?.Rank, Is.EqualTo(1));
    }

    [Test]
    public async Task Messages_a_rank_sent_before_closing_are_still_delivered_then_receives_fail()
    {
        InProcessTransport[] group = InProcessTransport.CreateGroup(2);
        await group[1].SendAsync(0, Tag, new byte[] { 1 }, CancellationToken.None);
        await group[1].SendAsync(0, Tag, new byte[] { 2 }, CancellationToken.None);

        await group[1].DisposeAsync();
        byte[] first = new byte[1];
        byte[] second = new byte[1];
        ReceivedMessage one = await group[0].ReceiveAsync(1, Tag, first, CancellationToken.None);
        ReceivedMessage two = await group[0].ReceiveAsync(1, Tag, second, CancellationToken.None);
        PeerFailedException? third = await CatchAsync<PeerFailedException>(group[0].ReceiveAsync(1, Tag, new byte[1], CancellationToken.None));

        Assert.That((one.Delivered, first[0], two.Delivered, second[0]), Is.EqualTo((true, (byte)1, true, (byte)2)));
        Assert.That(third?.Rank, Is.EqualTo(1));
    }

    [Test]
    public async Task Sending_to_a_closed_rank_throws_PeerFailedException_naming_it()
    {
        InProcessTransport[] group = InProcessTransport.CreateGroup(2);
        await group[1].DisposeAsync();

        PeerFailedException? failure = null;
        try
        {
            await group[0].SendAsync(1, Tag, new byte[1], CancellationToken.None);
        }
        catch (PeerFailedException exception)
        {
            failure = exception;
        }

        Assert.That(failure?.Rank, Is.EqualTo(1));
    }

    [Test]
    public async Task Closing_a_rank_twice_is_harmless()
    {
        InProcessTransport[] group = InProcessTransport.CreateGroup(2);

        await group[1].DisposeAsync();

        Assert.That(async () => await group[1].DisposeAsync(), Throws.Nothing);
    }

    private static async Task<TException?> CatchAsync<TException>(ValueTask<ReceivedMessage> operation)
        where TException : Exception
    {
        try
        {
            await operation;
            return null;
        }
        catch (TException exception)
        {
            return exception;
        }
    }
}
