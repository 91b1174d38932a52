using System.Net;
using Microsoft.Extensions.Logging;

namespace Collectives.Transport.Tcp;

/// <summary>
/// Settings of a <see cref="TcpTransport"/>. Every property has a documented default; a rank
/// reads each one in exactly one place. Ranks of one job may use different values, except that a
/// peer's frames must fit this rank's <see cref="MaxFramePayload"/>.
/// </summary>
public sealed class TcpTransportOptions
{
    /// <summary>Default of <see cref="ConnectTimeout"/>: 30 seconds.</summary>
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Default of <see cref="HandshakeTimeout"/>: 5 seconds.</summary>
    public static readonly TimeSpan DefaultHandshakeTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Default of <see cref="HeartbeatInterval"/>: 1 second.</summary>
    public static readonly TimeSpan DefaultHeartbeatInterval = TimeSpan.FromSeconds(1);

    /// <summary>Default of <see cref="PeerSilenceTimeout"/>: 10 seconds.</summary>
    public static readonly TimeSpan DefaultPeerSilenceTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Default of <see cref="ReceiveSpinBudget"/>: 50 microseconds.</summary>
    public static readonly TimeSpan DefaultReceiveSpinBudget = TimeSpan.FromMicroseconds(50);

    /// <summary>Default of <see cref="OversubscribedReceiveSpinBudget"/>: 1 millisecond.</summary>
    public static readonly TimeSpan DefaultOversubscribedReceiveSpinBudget = TimeSpan.FromMilliseconds(1);

    /// <summary>Default of <see cref="ReceiveSpinPerMebibyte"/>: 1 millisecond (a mebibyte at about 1 GB/s).</summary>
    public static readonly TimeSpan DefaultReceiveSpinPerMebibyte = TimeSpan.FromMilliseconds(1);

    /// <summary>Default of <see cref="MaxFramePayload"/>: 64 MiB.</summary>
    public const int DefaultMaxFramePayload = 64 * 1024 * 1024;

    /// <summary>Default of <see cref="PauseThreshold"/>: 1 MiB (as Kestrel's default request buffer limit).</summary>
    public const int DefaultPauseThreshold = 1024 * 1024;

    /// <summary>Default of <see cref="ResumeThreshold"/>: 512 KiB.</summary>
    public const int DefaultResumeThreshold = 512 * 1024;

    /// <summary>
    /// The local address to listen on. Default <see cref="IPAddress.Loopback"/>: a job spans one
    /// machine unless told otherwise. Use <see cref="IPAddress.Any"/> or one interface's address
    /// for multi-host jobs (and set <see cref="AdvertisedHost"/> when peers must use another name).
    /// </summary>
    public IPAddress BindAddress { get; init; } = IPAddress.Loopback;

    /// <summary>
    /// The name of a network interface (for example <c>eth0</c>) to listen on, instead of
    /// <see cref="BindAddress"/>: its first IPv4 address, else its first IPv6 address. Default null
    /// (use <see cref="BindAddress"/>). An unknown name fails <see cref="TcpTransport.ConnectAsync"/>
    /// with the names that exist.
    /// </summary>
    public string? BindInterface { get; init; }

    /// <summary>The port to listen on. Default 0: the operating system picks a free port, which the rank publishes.</summary>
    public int Port { get; init; }

    /// <summary>
    /// The host name or address peers should use to reach this rank, published in the rendezvous
    /// store as <c>host:port</c>. Default null: <see cref="BindAddress"/>, or the machine's host
    /// name when bound to a wildcard address.
    /// </summary>
    public string? AdvertisedHost { get; init; }

    /// <summary>
    /// How long <see cref="TcpTransport.ConnectAsync"/> may take to build the whole mesh: every peer
    /// published, reached, authenticated. A rank that has not joined by then is reported as a
    /// <see cref="PeerFailedException"/> naming it. Default <see cref="DefaultConnectTimeout"/>.
    /// </summary>
    public TimeSpan ConnectTimeout { get; init; } = DefaultConnectTimeout;

    /// <summary>
    /// How long one connection may take to complete the authentication handshake. A client that is
    /// slower (or connects and says nothing) is refused and logged, so it cannot hold a listener
    /// slot. Default <see cref="DefaultHandshakeTimeout"/>.
    /// </summary>
    public TimeSpan HandshakeTimeout { get; init; } = DefaultHandshakeTimeout;

    /// <summary>
    /// How often a rank sends a heartbeat frame to a peer it has sent nothing else to. Default
    /// <see cref="DefaultHeartbeatInterval"/>. Must be well below <see cref="PeerSilenceTimeout"/>.
    /// </summary>
    public TimeSpan HeartbeatInterval { get; init; } = DefaultHeartbeatInterval;

    /// <summary>
    /// A connected peer from which nothing (data or heartbeat) has arrived for this long is failed:
    /// every operation waiting on it throws <see cref="PeerFailedException"/>. This catches peers
    /// that are alive to the kernel but not running (a stopped process, a hung machine), which a
    /// closed or reset connection does not. A connection this rank has paused for backpressure is
    /// exempt (the peer is waiting on us). Default <see cref="DefaultPeerSilenceTimeout"/>;
    /// <see cref="Timeout.InfiniteTimeSpan"/> disables the check.
    /// </summary>
    public TimeSpan PeerSilenceTimeout { get; init; } = DefaultPeerSilenceTimeout;

    /// <summary>
    /// The largest payload a frame may carry. A peer announcing a larger frame has broken the
    /// protocol and is failed with a reason naming it; a local send of a larger payload is an
    /// <see cref="ArgumentException"/>. Default <see cref="DefaultMaxFramePayload"/>: raise it if
    /// the layer above sends larger messages in one piece.
    /// </summary>
    public int MaxFramePayload { get; init; } = DefaultMaxFramePayload;

    /// <summary>
    /// Backpressure: when this many bytes from one peer are buffered without a receive to take them,
    /// this rank stops reading from that peer's socket, so the peer's sends wait in the kernel
    /// instead of growing our memory. A posted receive always makes progress (its payload streams
    /// straight into its buffer). Default <see cref="DefaultPauseThreshold"/>.
    /// </summary>
    public int PauseThreshold { get; init; } = DefaultPauseThreshold;

    /// <summary>
    /// Backpressure: a paused connection is read again once its buffered bytes drop to this many.
    /// At most <see cref="PauseThreshold"/>. Default <see cref="DefaultResumeThreshold"/>.
    /// </summary>
    public int ResumeThreshold { get; init; } = DefaultResumeThreshold;

    /// <summary>
    /// How long a waiting receive keeps polling its socket on the caller's thread, without
    /// progress, before it parks and lets a background read wake it. The trade-off: waking a
    /// parked thread costs tens of microseconds (about 45 µs on a small VM), so polling makes
    /// small-message latency several times lower, but a polling rank burns a core for up to this
    /// long per receive, which hurts when ranks outnumber cores. Default
    /// <see cref="DefaultReceiveSpinBudget"/>; <see cref="TimeSpan.Zero"/> disables polling (one
    /// non-blocking read, then park). A large message that keeps arriving never exhausts the
    /// budget, since it counts time without progress. A send that finds the socket full polls
    /// under the same budget before it waits for the socket to drain. When this host runs more
    /// ranks of the job than it has processors, <see cref="OversubscribedReceiveSpinBudget"/> is
    /// used instead.
    /// </summary>
    public TimeSpan ReceiveSpinBudget { get; init; } = DefaultReceiveSpinBudget;

    /// <summary>
    /// Used instead of <see cref="ReceiveSpinBudget"/> (for receives and sends alike) when this
    /// host is oversubscribed: more ranks of the job run here (this rank plus the peers connected
    /// over loopback or to one of this rank's own addresses) than
    /// <see cref="Environment.ProcessorCount"/>. Every poll yields the processor, so a waiting rank
    /// hands its core to a rank with work (Open MPI's yield-when-idle); parking instead costs a
    /// chain of thread wake-ups that, with every core contended, each wait for a time slice
    /// (measured with 4 ranks on 2 cores: parking on almost every receive made an 8-byte allreduce
    /// several times slower than yield-polling for up to a millisecond). Bounded so that a rank
    /// waiting long on a busy peer still parks. Default
    /// <see cref="DefaultOversubscribedReceiveSpinBudget"/>; <see cref="TimeSpan.Zero"/> disables
    /// polling when oversubscribed.
    /// </summary>
    public TimeSpan OversubscribedReceiveSpinBudget { get; init; } = DefaultOversubscribedReceiveSpinBudget;

    /// <summary>
    /// Extra polling time a receive gets per mebibyte of its expected payload, on top of
    /// <see cref="ReceiveSpinBudget"/>. A large message cannot arrive faster than its size allows,
    /// and its sender is often still busy with the previous one, so parking after the small-message
    /// budget would pay a wake-up on nearly every large receive (measured: most 1 MiB ping-pong
    /// receives parked). Scaling keeps the possible waste proportional to the transfer itself.
    /// Default <see cref="DefaultReceiveSpinPerMebibyte"/>; <see cref="TimeSpan.Zero"/> turns the
    /// scaling off. Has no effect when <see cref="ReceiveSpinBudget"/> is zero.
    /// </summary>
    public TimeSpan ReceiveSpinPerMebibyte { get; init; } = DefaultReceiveSpinPerMebibyte;

    /// <summary>Disables Nagle's algorithm on every connection. Default true: collectives send small latency-bound messages.</summary>
    public bool NoDelay { get; init; } = true;

    /// <summary>Where refused connections, peer failures and the mesh's progress are logged; null (the default) logs nothing.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>
    /// Test hook: when false, this rank sends no heartbeats, so its peers see it as silent.
    /// Default true.
    /// </summary>
    internal bool SendHeartbeats { get; init; } = true;

    /// <summary>
    /// Ranks of the job that share this machine's processors, as the bootstrap counted them by the
    /// kernel's boot id (several containers or network namespaces on one machine reach each other
    /// over their own addresses, not loopback); 0 when unknown: then the ranks reached over
    /// loopback or this rank's own address are counted.
    /// </summary>
    internal int MachineRanks { get; private set; }

    /// <summary>A copy of these options for a job that runs <paramref name="machineRanks"/> ranks on this machine.</summary>
    internal TcpTransportOptions ForMachine(int machineRanks)
    {
        var copy = (TcpTransportOptions)MemberwiseClone();
        copy.MachineRanks = machineRanks;
        return copy;
    }

    /// <summary>Test hook: the clock of the refused-connection log's windows (see <see cref="Diagnostics.RefusalThrottle"/>). Default the system's.</summary>
    internal TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Checks the values and throws <see cref="ArgumentException"/> naming the first bad one.</summary>
    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(BindAddress);
        ArgumentOutOfRangeException.ThrowIfNegative(Port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Port, IPEndPoint.MaxPort);
        RequirePositive(ConnectTimeout, nameof(ConnectTimeout));
        RequirePositive(HandshakeTimeout, nameof(HandshakeTimeout));
        if (HeartbeatInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(HeartbeatInterval), HeartbeatInterval, "Must be positive and finite.");
        }

        if (PeerSilenceTimeout != Timeout.InfiniteTimeSpan && PeerSilenceTimeout <= HeartbeatInterval)
        {
            throw new ArgumentOutOfRangeException(nameof(PeerSilenceTimeout), PeerSilenceTimeout, $"Must exceed {nameof(HeartbeatInterval)} ({HeartbeatInterval}) or be infinite.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(MaxFramePayload);
        ArgumentOutOfRangeException.ThrowIfLessThan(PauseThreshold, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(ResumeThreshold);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ResumeThreshold, PauseThreshold);
        ArgumentOutOfRangeException.ThrowIfLessThan(ReceiveSpinBudget, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(ReceiveSpinPerMebibyte, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(OversubscribedReceiveSpinBudget, TimeSpan.Zero);
    }

    private static void RequirePositive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero && value != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(name, value, "Must be positive.");
        }
    }
}
