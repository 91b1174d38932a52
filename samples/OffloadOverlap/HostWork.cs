using System.Diagnostics;

/// <summary>A fixed slice of host computation, the unit in which the sample counts overlap.</summary>
internal static class HostWork
{
    private const int StepsPerUnit = 2_000;

    private static double _sink = 1;

    /// <summary>Does one unit of work (a dependent chain of multiply-adds the JIT cannot remove).</summary>
    public static void DoUnit()
    {
        double x = _sink;
        for (int i = 0; i < StepsPerUnit; i++)
        {
            x = (x * 1.000000001) + 1e-9;
        }

        _sink = x;
    }

    /// <summary>How long one unit (and the yield after it) takes on this machine, measured over about 50 ms.</summary>
    public static TimeSpan MeasureUnit()
    {
        var stopwatch = Stopwatch.StartNew();
        long units = 0;
        while (stopwatch.ElapsedMilliseconds < 50)
        {
            DoUnit();
            units++;
            Thread.Yield();
        }

        return stopwatch.Elapsed / units;
    }
}
