using System.Globalization;

namespace Collectives.CollBench.FirstCalls;

/// <summary>
/// Prints the first-calls reports as plain text (rank 0): per call, the slowest rank's time and
/// the most methods jitted, minor page faults and user and kernel processor time (all of a
/// process's threads) any rank had in it; then steady state and the ratios; and one CSV-like
/// summary line per size for scripts.
/// </summary>
internal static class FirstCallsDisplay
{
    public static void Write(TextWriter output, BenchSettings settings, string transport, int ranks, (double MinUs, double MaxUs) connectUs, IReadOnlyList<(FirstCallsReport Report, FirstCallCosts[] Costs)> results)
    {
        output.WriteLine(Invariant($"collbench first calls: {settings.Collective} ({settings.Algorithms[0].Name}) on {ranks} ranks over {transport}, tiered compilation {(TieredCompilationState.IsOnHere() ? "on" : "OFF")}; ConnectAsync {connectUs.MinUs:F0} µs on the fastest rank, {connectUs.MaxUs:F0} µs on the slowest (which waited for the last process to start)"));
        foreach ((FirstCallsReport report, FirstCallCosts[] costs) in results)
        {
            output.WriteLine(Invariant($"{report.Bytes:N0} B{(report == results[0].Report ? " (the job's first calls)" : " (after the sizes above)")}:"));
            output.WriteLine("   call          µs   jitted   faults  user µs kernel µs");
            for (int i = 0; i < report.CallsUs.Count; i++)
            {
                output.WriteLine(Invariant($"  {i + 1,5} {report.CallsUs[i],11:F1} {costs[i].MethodsJitted,8} {costs[i].MinorFaults,8} {costs[i].UserCpuUs,8} {costs[i].KernelCpuUs,9}"));
            }

            (double worstUs, int worstCall) = report.WorstOfFirstFew;
            int count = report.CallsUs.Count;
            output.WriteLine(Invariant(
                $"  steady (median of calls {count / 2}..{count}) {report.SteadyUs:F1} µs; call 1 {report.FirstRatio:F1}x steady; worst of the first {Math.Min(FirstCallsReport.FirstFew, count / 2)} (call {worstCall}, {worstUs:F1} µs) {report.WorstRatio:F1}x"));
        }

        output.WriteLine("summary: collective,transport,ranks,bytes,connect_min_us,connect_max_us,first_us,worst_first_few_us,steady_us,first_ratio,worst_ratio");
        foreach ((FirstCallsReport report, _) in results)
        {
            output.WriteLine(Invariant(
                $"summary: {settings.Collective},{transport},{ranks},{report.Bytes},{connectUs.MinUs:F0},{connectUs.MaxUs:F0},{report.FirstUs:F1},{report.WorstOfFirstFew.Us:F1},{report.SteadyUs:F2},{report.FirstRatio:F2},{report.WorstRatio:F2}"));
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
