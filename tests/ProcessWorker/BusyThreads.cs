using System.Globalization;

namespace Collectives.ProcessWorker;

/// <summary>
/// The threads of this process that keep running: for a rank that has failed and disposed its
/// communicator, any such thread is one the library left spinning. Read from Linux's
/// /proc/self/task/*/stat, whose state letter says whether a thread is runnable ("R") or asleep.
/// </summary>
/// <remarks>
/// Runnable, not running: on a loaded machine a spinning thread waits for a core much of the time
/// but stays "R", so the count does not depend on load, unlike CPU time. Passing work (a
/// collection, a JIT compile, the failure's logging, the sampler itself) is runnable now and then;
/// a thread counts only if it was runnable in nearly every sample of a window. On a machine loaded
/// far past its cores, passing work may wait a whole window for a core and look the same, so a
/// thread must stay that busy through every one of several windows: passing work gets its core
/// and ends, a spinning thread never does.
/// </remarks>
internal static class BusyThreads
{
    private const int Samples = 30;
    private const int Windows = 6;
    private const double BusyShare = 0.9;
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// The names (and thread ids) of this process's threads, the caller's aside, that were runnable
    /// in nearly every sample of every window (one window, 300 ms, when none was).
    /// </summary>
    public static IReadOnlyList<string> Find()
    {
        string self = Path.GetFileName(new DirectoryInfo("/proc/thread-self").ResolveLinkTarget(returnFinalTarget: false)?.FullName ?? string.Empty);
        HashSet<string>? busy = null;
        for (int window = 0; window < Windows && busy is not { Count: 0 }; window++)
        {
            HashSet<string> inWindow = BusyInOneWindow(self);
            busy = busy is null ? inWindow : [.. busy.Intersect(inWindow)];
        }

        return [.. busy!.Select(id => $"{Name(id)}({id})")];
    }

    private static HashSet<string> BusyInOneWindow(string self)
    {
        var runnable = new Dictionary<string, int>();
        for (int sample = 0; sample < Samples; sample++)
        {
            foreach (string task in Directory.EnumerateDirectories("/proc/self/task"))
            {
                string id = Path.GetFileName(task);
                if (id != self && State(task) == 'R')
                {
                    runnable[id] = runnable.GetValueOrDefault(id) + 1;
                }
            }

            Thread.Sleep(Interval);
        }

        return [.. runnable.Where(thread => thread.Value >= BusyShare * Samples).Select(thread => thread.Key)];
    }

    // "tid (comm) S ...": the name may hold spaces and parentheses, so the state follows the last ')'.
    private static char State(string task)
    {
        try
        {
            string stat = File.ReadAllText(Path.Combine(task, "stat"));
            int end = stat.LastIndexOf(')');
            return end >= 0 && end + 2 < stat.Length ? stat[end + 2] : '?';
        }
        catch (IOException)
        {
            return '?'; // the thread ended between listing and reading
        }
    }

    private static string Name(string id)
    {
        try
        {
            return File.ReadAllText($"/proc/self/task/{id.ToString(CultureInfo.InvariantCulture)}/comm").Trim();
        }
        catch (IOException)
        {
            return "ended";
        }
    }
}
