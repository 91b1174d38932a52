using System.Net;
using System.Net.Sockets;

namespace Collectives.Transport.Tcp;

/// <summary>
/// One thread per transport that waits, with <c>Socket.Select</c>
/// (poll(2)), until registered sockets are readable or writable, then runs each registration's
/// callback once.
/// </summary>
/// <remarks>
/// Why not the sockets' own asynchronous operations: the first one registers a socket with the
/// runtime's epoll engine for good, after which every arriving segment also wakes the engine's
/// thread. On a small VM that costs about 15 µs per round trip even when the data is read by a
/// polling caller (measured: 16.7 µs unregistered vs 31 µs registered, raw sockets, interleaved).
/// Data sockets therefore only ever see non-blocking calls, and waits go through this thread,
/// which polls only the sockets somebody is waiting on. Callbacks run on this thread and must be
/// short and never block; they hand real work to the thread pool.
/// </remarks>
internal sealed class TcpPoller : IDisposable
{
    private static readonly byte[] WakeDatagram = [1];

    private readonly object _gate = new();
    private readonly List<Registration> _registrations = [];
    private readonly Socket _wake;
    private readonly EndPoint _wakeEndPoint;
    private readonly Thread _thread;
    private int _wakePending;
    private bool _disposed;

    public TcpPoller(int rank)
    {
        // A datagram to itself is the portable way to interrupt a select from another thread.
        _wake = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { Blocking = false };
        _wake.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _wakeEndPoint = _wake.LocalEndPoint!;
        _thread = new Thread(Run) { IsBackground = true, Name = $"Collectives TCP poller (rank {rank})" };
        _thread.Start();
    }

    /// <summary>Runs <paramref name="callback"/> once, on the poller thread, when <paramref name="socket"/> is readable, closed, or in error.</summary>
    public void WhenReadable(Socket socket, Action<object?> callback, object? state) => TryAdd(new Registration(socket, write: false, callback, state));

    /// <summary>Completes when <paramref name="socket"/> is readable (or closed, or in error); the caller then retries its non-blocking call.</summary>
    public Task ReadableAsync(Socket socket, CancellationToken cancellationToken) => WaitAsync(socket, write: false, cancellationToken);

    /// <summary>Completes when <paramref name="socket"/> is writable (or closed, or in error).</summary>
    public Task WritableAsync(Socket socket, CancellationToken cancellationToken) => WaitAsync(socket, write: true, cancellationToken);

    /// <summary>Removes a registration that has not fired; returns false if it already fired (or was removed).</summary>
    public bool TryRemove(Registration registration)
    {
        lock (_gate)
        {
            return _registrations.Remove(registration);
        }
    }

    /// <summary>Stops the thread; registrations still waiting fire, so their owners see the closed sockets.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        Wake();
        if (Thread.CurrentThread != _thread)
        {
            _thread.Join();
        }

        _wake.Dispose();
    }

    private Task WaitAsync(Socket socket, bool write, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }

        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var registration = new Registration(socket, write, static state => ((TaskCompletionSource)state!).TrySetResult(), completion);
        if (!TryAdd(registration))
        {
            return Task.FromException(new ObjectDisposedException(nameof(TcpPoller), "The transport is closed."));
        }

        if (cancellationToken.CanBeCanceled)
        {
            CancellationTokenRegistration cancellation = cancellationToken.UnsafeRegister(
                static (state, token) =>
                {
                    var (poller, registration, completion) = ((TcpPoller, Registration, TaskCompletionSource))state!;
                    if (poller.TryRemove(registration))
                    {
                        completion.TrySetCanceled(token);
                    }
                },
                (this, registration, completion));
            _ = completion.Task.ContinueWith(static (_, state) => ((CancellationTokenRegistration)state!).Dispose(), cancellation, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        return completion.Task;
    }

    /// <summary>Adds a registration; false once disposed (it never fires: firing would let a waiter retry and re-register in a loop).</summary>
    private bool TryAdd(Registration registration)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return false;
            }

            _registrations.Add(registration);
        }

        Wake();
        return true;
    }

    private void Wake()
    {
        if (Interlocked.Exchange(ref _wakePending, 1) == 0)
        {
            try
            {
                _wake.SendTo(WakeDatagram, _wakeEndPoint);
            }
            catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
            {
                // Disposed: the thread is stopping anyway.
            }
        }
    }

    private void Run()
    {
        var read = new List<Socket>();
        var write = new List<Socket>();
        var error = new List<Socket>();
        var active = new List<Registration>();
        var fired = new List<Registration>();
        byte[] drain = new byte[16];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        while (true)
        {
            // Reset before the snapshot: a registration added after it sends a fresh wake.
            Volatile.Write(ref _wakePending, 0);
            lock (_gate)
            {
                if (_disposed)
                {
                    active.Clear();
                    active.AddRange(_registrations);
                    _registrations.Clear();
                    break;
                }

                active.Clear();
                active.AddRange(_registrations);
            }

            read.Clear();
            write.Clear();
            error.Clear();
            read.Add(_wake);
            foreach (Registration registration in active)
            {
                (registration.Write ? write : read).Add(registration.Socket);
                if (!error.Contains(registration.Socket))
                {
                    error.Add(registration.Socket);
                }
            }

            bool closedSockets = false;
            try
            {
                Socket.Select(read, write.Count == 0 ? null : write, error, -1);
            }
            catch (Exception exception) when (exception is ObjectDisposedException or SocketException)
            {
                // A registered socket was closed (its connection failed): fire what waits on it.
                closedSockets = true;
            }

            if (!closedSockets && read.Contains(_wake))
            {
                while (_wake.Available > 0)
                {
                    _wake.ReceiveFrom(drain, ref from);
                }
            }

            fired.Clear();
            lock (_gate)
            {
                for (int index = _registrations.Count - 1; index >= 0; index--)
                {
                    Registration registration = _registrations[index];
                    bool ready = closedSockets
                        ? registration.Socket.SafeHandle.IsClosed
                        : error.Contains(registration.Socket) || (registration.Write ? write : read).Contains(registration.Socket);
                    if (ready)
                    {
                        _registrations.RemoveAt(index);
                        fired.Add(registration);
                    }
                }
            }

            foreach (Registration registration in fired)
            {
                registration.Fire();
            }

            if (closedSockets && fired.Count == 0)
            {
                // The select failed without a closed socket to blame: do not retry in a tight loop.
                Thread.Sleep(1);
            }
        }

        foreach (Registration registration in active)
        {
            registration.Fire();
        }
    }

    /// <summary>One wait: a socket, a direction, and what to run when it is ready.</summary>
    internal sealed class Registration(Socket socket, bool write, Action<object?> callback, object? state)
    {
        public Socket Socket { get; } = socket;

        public bool Write { get; } = write;

        public void Fire() => callback(state);
    }
}
