using Collectives.Transport.Settings;

namespace Collectives.Transport.Tests.Settings;

/// <summary>The one parser of numeric knobs: numbers in range pass, everything else is a typed error naming the knob and its range.</summary>
public class NumericSettingTests
{
    private static readonly NumericSetting Timeout = NumericSetting.Seconds("EXAMPLE_TIMEOUT", 0.001, 100);
    private static readonly NumericSetting Size = NumericSetting.Bytes("EXAMPLE_SIZE", 4096, 1 << 20);

    [TestCase("2.5", 2.5)]
    [TestCase(" 7 ", 7.0)]
    [TestCase("1e2", 100.0)]
    [TestCase("0.001", 0.001)]
    public void A_number_in_range_is_read_in_the_invariant_culture(string text, double expected)
        => Assert.That(Timeout.Parse(text), Is.EqualTo(expected));

    [TestCase("NaN")]
    [TestCase("Infinity")]
    [TestCase("-Infinity")]
    [TestCase("-1")]
    [TestCase("0")]
    [TestCase("1e300")]
    [TestCase("100.5")]
    public void A_number_outside_the_range_is_an_ArgumentOutOfRangeException_naming_the_knob_and_the_range(string text)
    {
        ArgumentOutOfRangeException? error = Assert.Throws<ArgumentOutOfRangeException>(() => Timeout.Parse(text));

        Assert.That(error!.ParamName, Is.EqualTo("EXAMPLE_TIMEOUT"));
        Assert.That(error.Message, Does.StartWith($"EXAMPLE_TIMEOUT='{text}' is out of range; it accepts from 0.001 to 100 seconds."));
    }

    [TestCase("abc")]
    [TestCase("")]
    [TestCase("1,5")]
    [TestCase("10s")]
    public void Text_that_is_not_a_number_is_a_FormatException_naming_the_knob_and_the_range(string text)
    {
        FormatException? error = Assert.Throws<FormatException>(() => Timeout.Parse(text));

        Assert.That(error!.Message, Is.EqualTo($"EXAMPLE_TIMEOUT='{text}' is not a number; it accepts from 0.001 to 100 seconds."));
    }

    [TestCase("4096", 4096L)]
    [TestCase("64k", 65536L)]
    [TestCase("1M", 1048576L)]
    public void A_size_takes_the_k_and_m_suffixes(string text, long expected)
        => Assert.That(Size.ParseWhole(text), Is.EqualTo(expected));

    [TestCase("4096.5")]
    [TestCase("2m")]
    [TestCase("1e20k")]
    [TestCase("-4k")]
    public void A_size_that_is_not_a_whole_number_in_range_is_refused(string text)
        => Assert.That(() => Size.Parse(text), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("it accepts a whole number from 4096 to 1048576 bytes (suffixes k and m allowed)"));

    [Test]
    public void A_duration_given_in_code_is_checked_against_the_same_range_under_the_name_given()
    {
        ArgumentOutOfRangeException? error = Assert.Throws<ArgumentOutOfRangeException>(() => Timeout.CheckDuration(TimeSpan.MaxValue, "Options.Timeout"));

        Assert.That(error!.ParamName, Is.EqualTo("Options.Timeout"));
        Assert.That(error.Message, Does.Contain("Options.Timeout=").And.Contain("it accepts from 0.001 to 100 seconds"));
    }

    [Test]
    public void TryCheck_gives_one_line_naming_the_knob_the_value_and_the_range()
    {
        Assert.That(Timeout.Named("--timeout").TryCheck(1e300, out string? problem), Is.False);
        Assert.That(problem, Is.EqualTo("--timeout=1E+300 is out of range; it accepts from 0.001 to 100 seconds."));
    }

    [Test]
    public void A_duration_in_microseconds_converts_exactly()
        => Assert.That(NumericSetting.Microseconds("EXAMPLE_SPIN_US", 0, 1e7).ParseDuration("250"), Is.EqualTo(TimeSpan.FromMicroseconds(250)));
}
