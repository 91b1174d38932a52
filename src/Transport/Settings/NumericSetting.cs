using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Collectives.Transport.Settings;

/// <summary>
/// A numeric knob that can come from text (an environment variable, a command-line option) or
/// from code: its name, its unit and the range it accepts. The one place where such text is
/// parsed and such values are range-checked, so every knob fails the same way: text that is not
/// a number is a <see cref="FormatException"/>, a number outside the range (NaN and infinities
/// included) an <see cref="ArgumentOutOfRangeException"/>, both with a message that names the
/// knob and its range. Nothing outside the range reaches a conversion that could overflow.
/// </summary>
internal sealed class NumericSetting
{
    private readonly double _ticksPerUnit;
    private readonly bool _sizeSuffixes;

    private NumericSetting(string name, string unit, double minimum, bool minimumExclusive, double maximum, bool wholeNumber, double ticksPerUnit, bool sizeSuffixes)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!(minimum <= maximum))
        {
            throw new ArgumentException($"The range of {name} is empty ({minimum} to {maximum}).", nameof(maximum));
        }

        Name = name;
        Unit = unit;
        Minimum = minimum;
        MinimumExclusive = minimumExclusive;
        Maximum = maximum;
        WholeNumber = wholeNumber;
        _ticksPerUnit = ticksPerUnit;
        _sizeSuffixes = sizeSuffixes;
    }

    /// <summary>The knob's name as users write it: an environment variable, an option, or a property.</summary>
    public string Name { get; }

    /// <summary>The unit of the knob's numbers (for example <c>seconds</c>), or empty for a plain count.</summary>
    public string Unit { get; }

    /// <summary>The smallest accepted value (excluded when <see cref="MinimumExclusive"/>).</summary>
    public double Minimum { get; }

    /// <summary>Whether <see cref="Minimum"/> itself is refused (the value must be greater).</summary>
    public bool MinimumExclusive { get; }

    /// <summary>The largest accepted value (included).</summary>
    public double Maximum { get; }

    /// <summary>Whether only whole numbers are accepted.</summary>
    public bool WholeNumber { get; }

    /// <summary>The accepted range in words, for example <c>greater than 0 and at most 2147483.647 seconds</c>.</summary>
    public string Range
    {
        get
        {
            string lower = MinimumExclusive ? $"greater than {Format(Minimum)}" : $"from {Format(Minimum)}";
            string upper = MinimumExclusive ? $"at most {Format(Maximum)}" : $"to {Format(Maximum)}";
            string unit = Unit.Length == 0 ? string.Empty : $" {Unit}";
            string whole = WholeNumber ? "a whole number " : string.Empty;
            return $"{whole}{lower} {(MinimumExclusive ? "and " : string.Empty)}{upper}{unit}{(_sizeSuffixes ? " (suffixes k and m allowed)" : string.Empty)}";
        }
    }

    /// <summary>A duration in seconds (fractions allowed).</summary>
    /// <param name="name">The knob's name.</param>
    /// <param name="minimum">The smallest accepted number of seconds.</param>
    /// <param name="maximum">The largest accepted number of seconds.</param>
    /// <param name="minimumExclusive">Whether <paramref name="minimum"/> itself is refused.</param>
    /// <returns>The setting.</returns>
    public static NumericSetting Seconds(string name, double minimum, double maximum, bool minimumExclusive = false)
        => new(name, "seconds", minimum, minimumExclusive, maximum, wholeNumber: false, TimeSpan.TicksPerSecond, sizeSuffixes: false);

    /// <summary>A duration in microseconds (fractions allowed).</summary>
    /// <param name="name">The knob's name.</param>
    /// <param name="minimum">The smallest accepted number of microseconds.</param>
    /// <param name="maximum">The largest accepted number of microseconds.</param>
    /// <returns>The setting.</returns>
    public static NumericSetting Microseconds(string name, double minimum, double maximum)
        => new(name, "microseconds", minimum, minimumExclusive: false, maximum, wholeNumber: false, TimeSpan.TicksPerMicrosecond, sizeSuffixes: false);

    /// <summary>A size in bytes: a whole number, optionally with the suffix <c>k</c> (KiB) or <c>m</c> (MiB).</summary>
    /// <param name="name">The knob's name.</param>
    /// <param name="minimum">The smallest accepted number of bytes.</param>
    /// <param name="maximum">The largest accepted number of bytes.</param>
    /// <returns>The setting.</returns>
    public static NumericSetting Bytes(string name, long minimum, long maximum)
        => new(name, "bytes", minimum, minimumExclusive: false, maximum, wholeNumber: true, ticksPerUnit: 0, sizeSuffixes: true);

    /// <summary>A whole number of things (ranks, processes).</summary>
    /// <param name="name">The knob's name.</param>
    /// <param name="minimum">The smallest accepted count.</param>
    /// <param name="maximum">The largest accepted count.</param>
    /// <returns>The setting.</returns>
    public static NumericSetting Count(string name, int minimum, int maximum)
        => new(name, string.Empty, minimum, minimumExclusive: false, maximum, wholeNumber: true, ticksPerUnit: 0, sizeSuffixes: false);

    /// <summary>The same unit and range under another name (an option that feeds a variable, say).</summary>
    /// <param name="name">The other name.</param>
    /// <returns>The setting.</returns>
    public NumericSetting Named(string name) => new(name, Unit, Minimum, MinimumExclusive, Maximum, WholeNumber, _ticksPerUnit, _sizeSuffixes);

    /// <summary>Parses <paramref name="text"/> (invariant culture, surrounding blanks ignored) and checks the range.</summary>
    /// <param name="text">The text, for example an environment variable's value.</param>
    /// <returns>The value, in the setting's unit.</returns>
    /// <exception cref="FormatException">The text is not a number.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The number is outside the range, NaN or infinite, or not whole where it must be.</exception>
    public double Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string trimmed = text.Trim();
        double multiplier = 1;
        if (_sizeSuffixes && trimmed.Length > 1)
        {
            multiplier = char.ToLowerInvariant(trimmed[^1]) switch
            {
                'k' => 1 << 10,
                'm' => 1 << 20,
                _ => 1,
            };
            trimmed = multiplier == 1 ? trimmed : trimmed[..^1];
        }

        NumberStyles styles = WholeNumber ? NumberStyles.AllowLeadingSign | NumberStyles.AllowExponent | NumberStyles.AllowDecimalPoint : NumberStyles.Float;
        if (!double.TryParse(trimmed, styles, CultureInfo.InvariantCulture, out double value))
        {
            throw new FormatException($"{Name}='{text}' is not a number; it accepts {Range}.");
        }

        return CheckParsed(value * multiplier, text);
    }

    /// <summary>Parses <paramref name="text"/> as a duration in the setting's unit.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The duration.</returns>
    /// <exception cref="FormatException">The text is not a number.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The number is outside the range.</exception>
    public TimeSpan ParseDuration(string text) => ToDuration(Parse(text));

    /// <summary>Parses <paramref name="text"/> as a whole number (bytes, a count).</summary>
    /// <param name="text">The text.</param>
    /// <returns>The number.</returns>
    /// <exception cref="FormatException">The text is not a number.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The number is outside the range or not whole.</exception>
    public long ParseWhole(string text) => (long)Parse(text);

    /// <summary>Checks a value given in code (or parsed elsewhere) against the range.</summary>
    /// <param name="value">The value, in the setting's unit.</param>
    /// <param name="name">How the message names the knob; null for <see cref="Name"/>.</param>
    /// <returns><paramref name="value"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside the range, NaN or infinite, or not whole where it must be.</exception>
    public double Check(double value, string? name = null)
        => TryCheck(value, out string? problem, name) ? value : throw new ArgumentOutOfRangeException(name ?? Name, value, problem);

    /// <summary>Checks a value against the range without throwing (for a command line that reports its own errors).</summary>
    /// <param name="value">The value, in the setting's unit.</param>
    /// <param name="problem">When the value is refused, one line that names the knob, the value and the range.</param>
    /// <param name="name">How the message names the knob; null for <see cref="Name"/>.</param>
    /// <returns>Whether the value is in range.</returns>
    public bool TryCheck(double value, [NotNullWhen(false)] out string? problem, string? name = null)
    {
        problem = IsInRange(value) ? null : $"{name ?? Name}={value.ToString(CultureInfo.InvariantCulture)} is out of range; it accepts {Range}.";
        return problem is null;
    }

    /// <summary>Checks a duration given in code against the range.</summary>
    /// <param name="value">The duration.</param>
    /// <param name="name">How the message names the knob; null for <see cref="Name"/>.</param>
    /// <returns><paramref name="value"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The duration is outside the range.</exception>
    /// <exception cref="InvalidOperationException">The setting is not a duration.</exception>
    public TimeSpan CheckDuration(TimeSpan value, string? name = null)
    {
        Check(value.Ticks / TicksPerUnit(), name);
        return value;
    }

    /// <summary>Converts a value in range to a duration.</summary>
    /// <param name="value">The value, in the setting's unit, already checked.</param>
    /// <returns>The duration.</returns>
    /// <exception cref="InvalidOperationException">The setting is not a duration.</exception>
    public TimeSpan ToDuration(double value) => TimeSpan.FromTicks((long)Math.Round(value * TicksPerUnit()));

    /// <summary>Describes the setting: its name and range.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => $"{Name}: {Range}";

    private static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private double CheckParsed(double value, string text)
    {
        if (!IsInRange(value))
        {
            throw new ArgumentOutOfRangeException(Name, text, $"{Name}='{text}' is out of range; it accepts {Range}.");
        }

        return value;
    }

    private bool IsInRange(double value)
        => double.IsFinite(value)
            && (MinimumExclusive ? value > Minimum : value >= Minimum)
            && value <= Maximum
            && (!WholeNumber || value == Math.Floor(value));

    private double TicksPerUnit()
        => _ticksPerUnit > 0 ? _ticksPerUnit : throw new InvalidOperationException($"{Name} is not a duration.");
}
