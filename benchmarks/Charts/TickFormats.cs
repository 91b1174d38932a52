using System.Globalization;

namespace Collectives.Charts;

/// <summary>Tick label formats for <see cref="LineChart"/> axes.</summary>
public static class TickFormats
{
    /// <summary>A plain number: whole numbers with thousands separators (1,024, 100,000), others with up to three significant digits (0.5).</summary>
    /// <param name="value">The tick value.</param>
    /// <returns>The label.</returns>
    public static string Number(double value)
        => Math.Abs(value) >= 1000 ? value.ToString("N0", CultureInfo.InvariantCulture) : value.ToString("G3", CultureInfo.InvariantCulture);

    /// <summary>A byte count with binary suffixes (8, 4K, 16M).</summary>
    /// <param name="value">The tick value in bytes.</param>
    /// <returns>The label.</returns>
    public static string Bytes(double value)
    {
        string[] units = ["", "K", "M", "G"];
        int unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return value.ToString("G3", CultureInfo.InvariantCulture) + units[unit];
    }
}
