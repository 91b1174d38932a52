using Collectives.Transport.Rendezvous;

namespace Collectives.Transport.Tests.Rendezvous;

[CancelAfter(30_000)]
public class RendezvousStoreTests
{
    [Test]
    public async Task A_value_set_by_one_client_is_read_by_others()
    {
        await using RendezvousTestServer server = await RendezvousTestServer.StartAsync();
        await using RendezvousClient writer = await server.ConnectAsync();
        await using RendezvousClient reader1 = await server.ConnectAsync();
        await using RendezvousClient reader2 = await server.ConnectAsync();

        await writer.SetAsync("rank/0/address", "127.0.0.1:5000"u8.ToArray(), CancellationToken.None);
        await writer.SetAsync("rank/1/address", "127.0.0.1:5001"u8.ToArray(), CancellationToken.None);

        Assert.That(await reader1.GetAsync("rank/0/address", CancellationToken.None), Is.EqualTo("127.0.0.1:5000"u8.ToArray()));
        Assert.That(await reader2.GetAsync("rank/1/address", CancellationToken.None), Is.EqualTo("127.0.0.1:5001"u8.ToArray()));
        Assert.That(await writer.GetAsync("rank/0/address", CancellationToken.None), Is.EqualTo("127.0.0.1:5000"u8.ToArray()));
    }

    [Test]
    public async Task A_get_before_the_set_waits_for_it()
    {
        await using RendezvousTestServer server = await RendezvousTestServer.StartAsync();
        await using RendezvousClient reader = await server.ConnectAsync();
        await using RendezvousClient writer = await server.ConnectAsync();

        Task<byte[]> pending = reader.GetAsync("late", CancellationToken.None).AsTask();
        await Task.Delay(200);
        Assert.That(pending.IsCompleted, Is.False, "the GET answered before any client set the key");

        await writer.SetAsync("late", new byte[] { 1, 2, 3 }, CancellationToken.None);
        Assert.That(await pending.WaitAsync(TimeSpan.FromSeconds(5)), Is.EqualTo(new byte[] { 1, 2, 3 }));
    }

    [Test]
    public async Task Many_clients_waiting_on_one_key_all_get_it()
    {
        await using RendezvousTestServer server = await RendezvousTestServer.StartAsync();
        RendezvousClient[] clients = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => server.ConnectAsync()));
        try
        {
            Task<byte[]>[] gets = [.. clients.Select(c => c.GetAsync("go", CancellationToken.None).AsTask())];
            await using RendezvousClient writer = await server.ConnectAsync();
            await writer.SetAsync("go", "now"u8.ToArray(), CancellationToken.None);
            byte[][] values = await Task.WhenAll(gets).WaitAsync(TimeSpan.FromSeconds(5));
            Assert.That(values, Has.All.EqualTo("now"u8.ToArray()));
        }
        finally
        {
            foreach (RendezvousClient client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Test]
    public async Task A_second_set_of_a_key_is_an_error_and_keeps_the_first_value()
    {
        await using RendezvousTestServer server = await RendezvousTestServer.StartAsync();
        await using RendezvousClient first = await server.ConnectAsync();
        await using RendezvousClient second = await server.ConnectAsync();

        await first.SetAsync("once", new byte[] { 1 }, CancellationToken.None);
        InvalidOperationException? error = await Assert.ThrowsAsync<InvalidOperationException>(
            async () => await second.SetAsync("once", new byte[] { 2 }, CancellationToken.None));

        Assert.That(error!.Message, Does.Contain("'once'").And.Contain("already set"));
        Assert.That(await second.GetAsync("once", CancellationToken.None), Is.EqualTo(new byte[] { 1 }), "the refused SET replaced the value");
    }

    [Test]
    public async Task Values_up_to_64_KiB_round_trip_and_empty_values_are_allowed()
    {
        await using RendezvousTestServer server = await RendezvousTestServer.StartAsync();
        await using RendezvousClient client = await server.ConnectAsync();
        byte[] largest = new byte[RendezvousProtocol.MaxValueBytes];
        new Random(7).NextBytes(largest);
        string longestKey = new('k', RendezvousProtocol.MaxKeyBytes);

        await client.SetAsync(longestKey, largest, CancellationToken.None);
        await client.SetAsync("empty", ReadOnlyMemory<byte>.Empty, CancellationToken.None);

        Assert.That(await client.GetAsync(longestKey, CancellationToken.None), Is.EqualTo(largest));
        Assert.That(await client.GetAsync("empty", CancellationToken.None), Is.Empty);
    }

    [Test]
    public async Task The_client_refuses_keys_and_values_over_the_limits_before_sending()
    {
        await using RendezvousTestServer server = await RendezvousTestServer.StartAsync();
        await using RendezvousClient client = await server.ConnectAsync();

        ArgumentException? longKey = await Assert.ThrowsAsync<ArgumentException>(
            async () => await client.SetAsync(new string('k', RendezvousProtocol.MaxKeyBytes + 1), new byte[1], CancellationToken.None));
        ArgumentException? bigValue = await Assert.ThrowsAsync<ArgumentException>(
            async () => await client.SetAsync("big", new byte[RendezvousProtocol.MaxValueBytes + 1], CancellationToken.None));

        Assert.That(longKey!.Message, Does.Contain("1024"));
        Assert.That(bigValue!.Message, Does.Contain("65536"));
        await server.AssertStillServesAsync();
    }
}
