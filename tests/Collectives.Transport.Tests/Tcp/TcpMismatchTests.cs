using Collectives.Transport.Tcp;

namespace Collectives.Transport.Tests.Tcp;

[TestFixture]
[CancelAfter(20_000)]
public sealed class TcpMismatchTests
{
    [Test]
    public async Task AMessageWithAnotherTagIsConsumedWithoutTouchingTheBuffer()
    {
        await using TcpJob job = await TcpJob.StartAsync(2);
        await job[0].SendAsync(1, Tags.For(0, 1, 99), new byte[] { 1, 2, 3, 4 }, CancellationToken.None);
        await job[0].SendAsync(1, Tags.For(0, 1, 2), new byte[] { 5, 6, 7, 8 }, CancellationToken.None);
        byte[] buffer = [42, 42, 42, 42];

        ReceivedMessage first = await job[1].ReceiveAsync(0, Tags.For(0, 1, 1), buffer, CancellationToken.None);
        Assert.That(first, Is.EqualTo(new ReceivedMessage(Tags.For(0, 1, 99), 4, Delivered: false)));
        Assert.That(buffer, Is.EqualTo(new byte[] { 42, 42, 42, 42 }));

        ReceivedMessage second = await job[1].ReceiveAsync(0, Tags.For(0, 1, 2), buffer, CancellationToken.None);
        Assert.That(second.Delivered, Is.True);
        Assert.That(buffer, Is.EqualTo(new byte[] { 5, 6, 7, 8 }));
    }

    [Test]
    public async Task AMessageOfAnotherLengthIsConsumedWithoutTouchingTheBuffer()
    {
        await using TcpJob job = await TcpJob.StartAsync(2);
        await job[0].SendAsync(1, Tags.For(0, 1, 1), new byte[] { 1, 2, 3 }, CancellationToken.None);
        byte[] buffer = [42, 42, 42, 42];
        ReceivedMessage received = await job[1].ReceiveAsync(0, Tags.For(0, 1, 1), buffer, CancellationToken.None);
        Assert.That(received, Is.EqualTo(new ReceivedMessage(Tags.For(0, 1, 1), 3, Delivered: false)));
        Assert.That(buffer, Is.EqualTo(new byte[] { 42, 42, 42, 42 }));
    }

    [Test]
    public async Task ALargeMismatchedMessageThatIsStillArrivingIsSkippedAndTheNextOneDelivered()
    {
        await using TcpJob job = await TcpJob.StartAsync(2);
        byte[] buffer = new byte[2 * 1024 * 1024];
        Array.Fill(buffer, (byte)42);

        // Posted first, so the mismatch is found from the header while the payload still streams in.
        ValueTask<ReceivedMessage> receive = job[1].ReceiveAsync(0, Tags.For(0, 1, 1), buffer, CancellationToken.None);
        ValueTask send = job[0].SendAsync(1, Tags.For(0, 1, 1), Tags.Payload(0, 1, 1, 3 * 1024 * 1024), CancellationToken.None);
        ReceivedMessage received = await receive;
        Assert.That(received, Is.EqualTo(new ReceivedMessage(Tags.For(0, 1, 1), 3 * 1024 * 1024, Delivered: false)));
        Assert.That(buffer.All(value => value == 42), Is.True, "the mismatched payload touched the buffer");
        await send;

        byte[] next = Tags.Payload(0, 1, 2, buffer.Length);
        await job[0].SendAsync(1, Tags.For(0, 1, 2), next, CancellationToken.None);
        ReceivedMessage second = await job[1].ReceiveAsync(0, Tags.For(0, 1, 2), buffer, CancellationToken.None);
        Assert.That(second.Delivered, Is.True);
        Assert.That(buffer.AsSpan().SequenceEqual(next), Is.True);
    }

    [Test]
    public async Task ASecondReceiveFromTheSameSourceWhileOneIsOutstandingIsRejected()
    {
        await using TcpJob job = await TcpJob.StartAsync(2);
        ValueTask<ReceivedMessage> first = job[1].ReceiveAsync(0, Tags.For(0, 1, 1), new byte[1], CancellationToken.None);
        Assert.That(async () => await job[1].ReceiveAsync(0, Tags.For(0, 1, 2), new byte[1], CancellationToken.None), Throws.InvalidOperationException);
        await job[0].SendAsync(1, Tags.For(0, 1, 1), new byte[1], CancellationToken.None);
        Assert.That((await first).Delivered, Is.True);
    }

    [Test]
    public async Task SendingToThisRankOrAnUnknownRankIsAnArgumentError()
    {
        await using TcpJob job = await TcpJob.StartAsync(2);
        Assert.That(() => job[0].SendAsync(0, default, Array.Empty<byte>(), CancellationToken.None), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => job[0].ReceiveAsync(2, default, Array.Empty<byte>(), CancellationToken.None), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }
}
