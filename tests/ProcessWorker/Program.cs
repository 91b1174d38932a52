// One rank of a multi-process test. Usage: ProcessWorker <scenario> [arguments]
// Every rank prints exactly one line "RESULT <rank> <outcome> <detail>" where outcome is OK or the
// exception type it ended with, preceded by "ENDED <rank> <timestamp>"; it starts with "STARTED
// <rank> <timestamp>" (Stopwatch timestamps, one clock for every process of the machine: the test
// measures time to error with them). A rank that failed then prints "BUSY <rank> <count> <threads>":
// the threads still runnable in nearly every sample of every 300 ms window (up to six) after its communicator was disposed
// (see BusyThreads). The exit code is 0 for OK and 1 otherwise.
using System.Diagnostics;
using Collectives.Bootstrap;
using Collectives.ProcessWorker;

Console.WriteLine($"STARTED {Environment.GetEnvironmentVariable(LaunchVariables.Rank) ?? "-1"} {Stopwatch.GetTimestamp()}");
string scenario = args.Length > 0 ? args[0] : "matrix";
int rank = -1;
try
{
    string detail = await Scenarios.RunAsync(scenario, args[1..], r => rank = r);
    Console.WriteLine($"ENDED {rank} {Stopwatch.GetTimestamp()}");
    Console.WriteLine($"RESULT {rank} OK {detail}");
    return 0;
}
catch (Exception exception)
{
    long ended = Stopwatch.GetTimestamp();
    string type = exception is AggregateException { InnerException: { } inner } ? inner.GetType().Name : exception.GetType().Name;
    Console.WriteLine($"ENDED {rank} {ended}");
    IReadOnlyList<string> busy = BusyThreads.Find();
    Console.WriteLine($"BUSY {rank} {busy.Count} {string.Join(' ', busy)}");
    Console.WriteLine($"RESULT {rank} {type} {exception.Message.ReplaceLineEndings(" ")}");
    return 1;
}
