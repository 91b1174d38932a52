using System.Globalization;
using System.Runtime;

namespace Collectives.CollBench.FirstCalls;

/// <summary>
/// What a call costs besides its own work, read before and after it: methods the JIT compiled
/// (any tier, this process) and minor page faults (first touches of mapped or fresh memory).
/// </summary>
internal readonly record struct FirstCallCosts(long MethodsJitted, long MinorFaults)
{
    public static FirstCallCosts Now() => new(JitInfo.GetCompiledMethodCount(currentThread: false), MinorFaultsOfThisProcess());

    public static FirstCallCosts operator -(FirstCallCosts after, FirstCallCosts before)
        => new(after.MethodsJitted - before.MethodsJitted, after.MinorFaults - before.MinorFaults);

    /// <summary>minflt, the 10th field of /proc/self/stat; 0 where there is no procfs.</summary>
    private static long MinorFaultsOfThisProcess()
    {
        try
        {
            string stat = File.ReadAllText("/proc/self/stat");

            // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[7], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
        catch (UnauthorizedAccessException)
        {
            return 0;
        }
    }
}
