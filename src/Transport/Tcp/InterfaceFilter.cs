using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Collectives.Transport.Tcp;

/// <summary>
/// Which network interface a rank listens on and advertises, from a filter in the syntax NCCL's
/// and Gloo's users know (<c>NCCL_SOCKET_IFNAME</c>): a comma list of name prefixes
/// (<c>eth,en</c>), exact names when it starts with <c>=</c> (<c>=eth0</c>), or prefixes to
/// leave out when it starts with <c>^</c> (<c>^docker,lo,veth</c>). Of the interfaces that are
/// up, have an IP address and pass, the first in the system's order wins; so a host with docker0
/// and veth interfaces does not advertise an address its peers cannot reach.
/// </summary>
internal static class InterfaceFilter
{
    /// <summary>An interface as the filter sees it.</summary>
    /// <param name="Name">Its name.</param>
    /// <param name="IsUp">Whether it is up.</param>
    /// <param name="Addresses">Its unicast addresses.</param>
    public sealed record Candidate(string Name, bool IsUp, IReadOnlyList<IPAddress> Addresses);

    /// <summary>The address to listen on and advertise: the chosen interface's first IPv4 address, else its first IPv6 one.</summary>
    /// <param name="filter">The filter, for example <c>^docker,lo</c>.</param>
    /// <param name="variable">The variable or option the filter came from, for the error message.</param>
    /// <exception cref="ArgumentException">No interface passes; the message lists those there are.</exception>
    public static IPAddress Choose(string filter, string variable)
        => Choose(filter, variable, [.. NetworkInterface.GetAllNetworkInterfaces().Select(adapter => new Candidate(
            adapter.Name,
            adapter.OperationalStatus is OperationalStatus.Up or OperationalStatus.Unknown,
            [.. adapter.GetIPProperties().UnicastAddresses.Select(unicast => unicast.Address)]))]);

    /// <inheritdoc cref="Choose(string, string)"/>
    /// <param name="filter">The filter.</param>
    /// <param name="variable">Where it came from.</param>
    /// <param name="interfaces">The interfaces to choose from, in the system's order.</param>
    public static IPAddress Choose(string filter, string variable, IReadOnlyList<Candidate> interfaces)
    {
        ArgumentNullException.ThrowIfNull(filter);
        string text = filter.Trim();
        bool exclude = text.StartsWith('^');
        bool exact = text.StartsWith('=');
        string[] names = [.. (exclude || exact ? text[1..] : text).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        if (names.Length == 0)
        {
            throw new ArgumentException($"{variable}='{filter}' names no interface; give names or prefixes (eth0, eth, =eth0, ^docker,lo).", nameof(filter));
        }

        bool Named(string name) => names.Any(wanted => exact ? name == wanted : name.StartsWith(wanted, StringComparison.Ordinal));
        Candidate? chosen = interfaces.FirstOrDefault(candidate => candidate.IsUp && candidate.Addresses.Count > 0 && Named(candidate.Name) != exclude);
        if (chosen is null)
        {
            string there = string.Join(", ", interfaces.Select(candidate => candidate.IsUp ? candidate.Name : $"{candidate.Name} (down)"));
            throw new ArgumentException($"No network interface that is up and has an address passes {variable}='{filter}'; this machine has: {there}.", nameof(filter));
        }

        return chosen.Addresses.FirstOrDefault(address => address.AddressFamily == AddressFamily.InterNetwork)
            ?? chosen.Addresses[0];
    }
}
