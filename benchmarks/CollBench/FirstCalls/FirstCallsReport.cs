namespace Collectives.CollBench.FirstCalls;

/// <summary>
/// The first N calls of a fresh job at one size, each the slowest rank's time, against the
/// job's steady state: the median of calls N/2..N (1-based), where JIT, first page touches and
/// connection warm-up are long paid.
/// </summary>
/// <param name="Bytes">The message size.</param>
/// <param name="CallsUs">Per call index (0 = the job's first call at this size), the slowest rank's time in microseconds.</param>
internal sealed record FirstCallsReport(long Bytes, IReadOnlyList<double> CallsUs)
{
    /// <summary>How many of the first calls "the worst of the first few" looks at.</summary>
    public const int FirstFew = 5;

    /// <summary>The fewest calls for which a steady state (the median of the second half) means anything.</summary>
    public const int MinimumCalls = 4;

    /// <summary>The median of calls N/2..N (1-based, both included).</summary>
    public double SteadyUs => Median(CallsUs.Skip((CallsUs.Count / 2) - 1));

    public double FirstUs => CallsUs[0];

    /// <summary>The slowest of the first <see cref="FirstFew"/> calls, and which (1-based); never past the first half.</summary>
    public (double Us, int Call) WorstOfFirstFew
    {
        get
        {
            int few = Math.Max(1, Math.Min(FirstFew, CallsUs.Count / 2));
            int worst = 0;
            for (int i = 1; i < few; i++)
            {
                if (CallsUs[i] > CallsUs[worst])
                {
                    worst = i;
                }
            }

            return (CallsUs[worst], worst + 1);
        }
    }

    public double FirstRatio => FirstUs / SteadyUs;

    public double WorstRatio => WorstOfFirstFew.Us / SteadyUs;

    private static double Median(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Order()];
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
