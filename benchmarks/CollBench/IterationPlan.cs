namespace Collectives.CollBench;

/// <summary>
/// How many warm-up and timed iterations a point gets. The base counts are OSU's (1000 timed and
/// 200 warm-up up to 8 KiB, 100 and 10 above), so small, noisy points average over many calls
/// and large ones do not take minutes; the time budget then trims the timed count further.
/// </summary>
internal static class IterationPlan
{
    /// <summary>OSU's boundary between "small" and "large" messages.</summary>
    private const long LargeMessage = 8 * 1024;

    /// <summary>Below this, an average is too noisy to be worth reporting, whatever the budget says.</summary>
    private const int MinimumTimed = 5;

    public static int WarmUp(long bytes, double scale) => Scaled(bytes <= LargeMessage ? 200 : 10, scale);

    public static int Timed(long bytes, double scale) => Scaled(bytes <= LargeMessage ? 1000 : 100, scale);

    /// <summary>The timed count, capped so that <paramref name="perCallSeconds"/> × count stays within the budget.</summary>
    public static int WithinBudget(int timed, double perCallSeconds, TimeSpan budget)
    {
        if (perCallSeconds <= 0)
        {
            return timed;
        }

        double affordable = budget.TotalSeconds / perCallSeconds;
        return (int)Math.Clamp(Math.Min(timed, affordable), Math.Min(MinimumTimed, timed), timed);
    }

    private static int Scaled(int count, double scale) => Math.Max(1, (int)Math.Round(count * scale));
}
