using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using Collectives.Transport.Security;
using Collectives.Transport.Tcp;

namespace Collectives.Transport.Tests.Tcp;

/// <summary>
/// A job's highest rank played by the test with raw sockets: it connects to every lower rank and
/// passes the real handshake, then writes whatever bytes a test wants (well-formed frames,
/// oversized ones, garbage, nothing at all), or closes or resets its connections.
/// </summary>
internal sealed class FakeRank : IAsyncDisposable
{
    private readonly Socket[] _sockets;

    private FakeRank(int rank, Socket[] sockets)
    {
        Rank = rank;
        _sockets = sockets;
    }

    public int Rank { get; }

    /// <summary>Joins as rank <paramref name="size"/> - 1: connects to ranks 0 .. size - 2 through the store.</summary>
    public static async Task<FakeRank> JoinAsync(int size, JobCredentials credentials, IRendezvousStore store, CancellationToken cancellationToken)
    {
        int rank = size - 1;
        var sockets = new Socket[rank];
        for (int peer = 0; peer < rank; peer++)
        {
            string address = Encoding.UTF8.GetString(await store.GetAsync($"tcp/{peer}", cancellationToken));
            int colon = address.LastIndexOf(':');
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(address[..colon], int.Parse(address[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
            await using (var stream = new NetworkStream(socket, ownsSocket: false))
            {
                await Handshake.ConnectAsync(stream, credentials, HandshakePurpose.Transport, rank, peer, cancellationToken);
            }

            sockets[peer] = socket;
        }

        return new FakeRank(rank, sockets);
    }

    /// <summary>The 40-byte frame header in the transport's wire format.</summary>
    public static byte[] Header(byte type, int length, MessageTag tag = default, byte magicVersion = 0xC1)
    {
        byte[] header = new byte[40];
        header[0] = magicVersion;
        header[1] = type;
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(4), length);
        tag.WriteTo(header.AsSpan(8));
        return header;
    }

    /// <summary>A complete data frame.</summary>
    public static byte[] DataFrame(MessageTag tag, byte[] payload) => [.. Header(1, payload.Length, tag), .. payload];

    public async Task SendAsync(int peer, byte[] bytes) => await _sockets[peer].SendAsync(bytes, SocketFlags.None);

    /// <summary>Reads whatever the peer sent to us, so its sends never block; returns the byte count.</summary>
    public int Drain(int peer)
    {
        int total = 0;
        byte[] buffer = new byte[64 * 1024];
        while (_sockets[peer].Available > 0)
        {
            total += _sockets[peer].Receive(buffer);
        }

        return total;
    }

    /// <summary>Closes one connection in an orderly way (FIN), without the transport's goodbye frame.</summary>
    public void Close(int peer) => _sockets[peer].Close();

    /// <summary>Closes one connection abortively (RST).</summary>
    public void Reset(int peer)
    {
        _sockets[peer].LingerState = new LingerOption(true, 0);
        _sockets[peer].Close();
    }

    public ValueTask DisposeAsync()
    {
        foreach (Socket socket in _sockets)
        {
            socket.Dispose();
        }

        return ValueTask.CompletedTask;
    }
}
