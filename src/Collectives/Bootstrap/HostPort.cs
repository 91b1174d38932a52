using System.Globalization;

namespace Collectives.Bootstrap;

/// <summary>Parses the <c>host:port</c> text of a rendezvous address.</summary>
internal static class HostPort
{
    /// <summary>
    /// Splits <c>host:port</c>, <c>[v6address]:port</c>; returns null and a reason when the text is
    /// not one of those or the port is not 1-65535.
    /// </summary>
    public static (string Host, int Port)? TryParse(string text, out string? error)
    {
        string host;
        string port;
        if (text.StartsWith('['))
        {
            int close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || close + 1 >= text.Length || text[close + 1] != ':')
            {
                error = "an IPv6 address in brackets must be followed by :port, as in [fd00::1]:29500";
                return null;
            }

            host = text[1..close];
            port = text[(close + 2)..];
        }
        else
        {
            int colon = text.LastIndexOf(':');
            if (colon < 0)
            {
                error = "it has no :port, as in node001:29500";
                return null;
            }

            host = text[..colon];
            port = text[(colon + 1)..];
            if (host.Contains(':', StringComparison.Ordinal))
            {
                error = "an IPv6 address must be written in brackets, as in [fd00::1]:29500";
                return null;
            }
        }

        if (host.Length == 0)
        {
            error = "the host is empty";
            return null;
        }

        if (TryParsePort(port) is not { } number)
        {
            error = $"'{port}' is not a port number (1-65535)";
            return null;
        }

        error = null;
        return (host, number);
    }

    /// <summary>A port number 1-65535, or null.</summary>
    public static int? TryParsePort(string text)
        => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port is >= 1 and <= 65535 ? port : null;
}
