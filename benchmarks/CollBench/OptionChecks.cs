using System.Globalization;

namespace Collectives.CollBench;

/// <summary>Validation shared by collbench's command lines; failures name the option.</summary>
internal static class OptionChecks
{
    public static double PositiveFinite(double value, string option, string unit = "number")
        => value > 0 && double.IsFinite(value)
            ? value
            : throw new FormatException($"{option} must be a positive {unit} (got {value.ToString(CultureInfo.InvariantCulture)}).");
}
