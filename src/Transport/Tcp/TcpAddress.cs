using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Collectives.Transport.Tcp;

/// <summary>The <c>host:port</c> text a rank publishes in the rendezvous store (IPv6 literals in brackets).</summary>
internal static class TcpAddress
{
    /// <summary>Formats <paramref name="host"/> and <paramref name="port"/> as <c>host:port</c> or <c>[v6]:port</c>.</summary>
    public static string Format(string host, int port)
        => host.Contains(':', StringComparison.Ordinal) ? $"[{host}]:{port.ToString(CultureInfo.InvariantCulture)}" : $"{host}:{port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>What this rank publishes: the advertised host (or the bound address, or the host name when bound to a wildcard) and the bound port.</summary>
    public static string Advertised(TcpTransportOptions options, IPEndPoint bound)
    {
        string host = options.AdvertisedHost
            ?? (bound.Address.Equals(IPAddress.Any) || bound.Address.Equals(IPAddress.IPv6Any) ? Dns.GetHostName() : bound.Address.ToString());
        return Format(host, bound.Port);
    }

    /// <summary>The address to listen on: <see cref="TcpTransportOptions.BindInterface"/>'s address when set, else <see cref="TcpTransportOptions.BindAddress"/>.</summary>
    public static IPAddress BindAddress(TcpTransportOptions options)
    {
        if (options.BindInterface is not { } name)
        {
            return options.BindAddress;
        }

        NetworkInterface[] interfaces = NetworkInterface.GetAllNetworkInterfaces();
        NetworkInterface? chosen = interfaces.FirstOrDefault(candidate => string.Equals(candidate.Name, name, StringComparison.Ordinal));
        if (chosen is null)
        {
            throw new ArgumentException($"There is no network interface named '{name}'; this machine has: {string.Join(", ", interfaces.Select(candidate => candidate.Name))}.", nameof(options));
        }

        IPAddress[] addresses = [.. chosen.GetIPProperties().UnicastAddresses.Select(unicast => unicast.Address)];
        return addresses.FirstOrDefault(address => address.AddressFamily == AddressFamily.InterNetwork)
            ?? addresses.FirstOrDefault(address => address.AddressFamily == AddressFamily.InterNetworkV6)
            ?? throw new ArgumentException($"Network interface '{name}' has no IP address.", nameof(options));
    }

    /// <summary>Splits published text into host and port; <see cref="FormatException"/> names the text when it is not <c>host:port</c>.</summary>
    public static (string Host, int Port) Parse(string text)
    {
        int colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > IPEndPoint.MaxPort)
        {
            throw new FormatException($"'{text}' is not a host:port address.");
        }

        string host = text[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }

        return (host, port);
    }

    /// <summary>The addresses to try for <paramref name="host"/>: itself when it is a literal, else a DNS lookup.</summary>
    public static async ValueTask<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host, out IPAddress? literal))
        {
            return [literal];
        }

        IPAddress[] addresses = await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }

        return addresses;
    }
}
