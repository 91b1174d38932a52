using System.Net;
using System.Net.Sockets;

namespace Collectives.Tests.Shared.Network;

/// <summary>
/// Ports for tests that must name a port before the process that listens on it starts (a
/// <c>MASTER_PORT</c>, a metrics endpoint). They come from below the kernel's ephemeral range, so
/// no other socket on the machine is given one by the kernel in the meantime: a port taken from
/// the ephemeral range (bind to 0, then release) can be handed to any outgoing connection of a
/// test running beside this one, or to a client's own connect attempt to it (a TCP self-connect),
/// and the listener then fails to bind.
/// </summary>
internal static class TestPorts
{
    private const int DefaultEphemeralStart = 32768;
    private const int LowestPort = 20000;

    private static readonly object Gate = new();
    private static readonly HashSet<int> HandedOut = [];

    /// <summary>
    /// A port <c>p</c> such that <c>p</c> to <c>p + count - 1</c> are free on every interface now,
    /// below the ephemeral range, and never handed out before by this process.
    /// </summary>
    /// <param name="count">How many consecutive ports the caller needs.</param>
    /// <returns>The first of the ports.</returns>
    public static int Free(int count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        int end = EphemeralStart();
        lock (Gate)
        {
            for (int attempt = 0; attempt < 10_000; attempt++)
            {
                // Random, so test processes running side by side rarely probe the same ports.
                int first = Random.Shared.Next(LowestPort, end - count);
                IEnumerable<int> ports = Enumerable.Range(first, count);
                if (ports.All(port => !HandedOut.Contains(port) && IsFree(port)))
                {
                    HandedOut.UnionWith(ports);
                    return first;
                }
            }
        }

        throw new InvalidOperationException($"No {count} consecutive free ports between {LowestPort} and {end}.");
    }

    /// <summary>The first port of the kernel's ephemeral range (Linux), or the IANA default elsewhere.</summary>
    private static int EphemeralStart()
    {
        const string range = "/proc/sys/net/ipv4/ip_local_port_range";
        if (File.Exists(range)
            && int.TryParse(File.ReadAllText(range).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0], out int start)
            && start > LowestPort + 1000)
        {
            return start;
        }

        return DefaultEphemeralStart;
    }

    private static bool IsFree(int port)
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            probe.Bind(new IPEndPoint(IPAddress.Any, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
