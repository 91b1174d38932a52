using System.Net;
using System.Net.Sockets;

namespace Collectives.Benchmarks;

/// <summary>
/// Two connected non-blocking loopback sockets, polled without any transport: the floor for the
/// TCP transport's numbers. One side echoes on its own thread until disposed.
/// </summary>
internal sealed class RawSocketPair : IDisposable
{
    private readonly Socket _near;
    private readonly Socket _far;
    private Thread? _echo;
    private volatile bool _stopping;

    private RawSocketPair(Socket near, Socket far)
    {
        _near = near;
        _far = far;
    }

    /// <summary>Connects the two sockets.</summary>
    /// <returns>The pair.</returns>
    public static RawSocketPair Connect()
    {
        // Synchronous connect and accept on purpose: any asynchronous operation would register
        // the sockets with the runtime's epoll engine, which costs ~15 µs per round trip here.
        using var listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        var near = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        near.Connect(listener.LocalEndPoint!);
        Socket far = listener.Accept();
        far.NoDelay = true;
        near.Blocking = false;
        far.Blocking = false;
        return new RawSocketPair(near, far);
    }

    /// <summary>Starts echoing every message of <paramref name="length"/> bytes back on the far socket.</summary>
    /// <param name="length">The length of every message.</param>
    public void StartEcho(int length)
    {
        _echo = new Thread(() =>
        {
            byte[] buffer = new byte[length];
            while (Transfer(_far, buffer, receive: true) && Transfer(_far, buffer, receive: false))
            {
            }
        })
        { IsBackground = true, Name = "raw socket echo" };
        _echo.Start();
    }

    /// <summary>Sends <paramref name="payload"/> and waits for the echo in <paramref name="reply"/>.</summary>
    /// <param name="payload">The bytes to send.</param>
    /// <param name="reply">Where the echo goes; as long as the payload.</param>
    public void RoundTrip(byte[] payload, byte[] reply)
    {
        Transfer(_near, payload, receive: false);
        Transfer(_near, reply, receive: true);
    }

    /// <summary>Stops the echo and closes both sockets.</summary>
    public void Dispose()
    {
        _stopping = true;
        _echo?.Join();
        _near.Dispose();
        _far.Dispose();
    }

    /// <summary>
    /// Moves all of <paramref name="buffer"/> with non-blocking calls, yielding while the socket is
    /// not ready (as the transport polls); false if the pair is being disposed meanwhile.
    /// </summary>
    private bool Transfer(Socket socket, byte[] buffer, bool receive)
    {
        int done = 0;
        while (done < buffer.Length)
        {
            int count = receive
                ? socket.Receive(buffer, done, buffer.Length - done, SocketFlags.None, out SocketError error)
                : socket.Send(buffer, done, buffer.Length - done, SocketFlags.None, out error);
            if (error == SocketError.WouldBlock)
            {
                if (_stopping)
                {
                    return false;
                }

                Thread.Yield();
                continue;
            }

            if (error != SocketError.Success || count <= 0)
            {
                throw new InvalidOperationException($"A raw loopback socket failed: {error}, {count} bytes moved.");
            }

            done += count;
        }

        return true;
    }
}
