using System.Globalization;

namespace Collectives.Tests.MultiProcess.FaultMatrix;

/// <summary>
/// The fault matrix's outcome table: each case prints a row "| fault | transport | ranks | time to
/// error | survivors ended with | leftovers |" to the test log (lines starting "MATRIX"), and
/// appends it to the file <see cref="FileVariable"/> names when set, for docs/reliability.md.
/// </summary>
internal static class MatrixTable
{
    /// <summary>Environment variable naming a file the rows are appended to.</summary>
    public const string FileVariable = "COLLECTIVES_FAULT_MATRIX_TABLE";

    /// <summary>Records a case whose ranks ran to their end: the job left no process and no /dev/shm segment (<see cref="ProcessJob"/> fails it otherwise).</summary>
    public static void Record(string fault, string transport, int size, TimeSpan? timeToError, IEnumerable<string?> survivorOutcomes)
    {
        string time = timeToError is { } t ? string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:0.00} s") : "-";
        string outcomes = string.Join(", ", survivorOutcomes.Select(outcome => outcome ?? "no result").Distinct());
        string row = $"| {fault} | {transport} | {size} | {time} | {outcomes} | none |";
        TestContext.Progress.WriteLine("MATRIX " + row);
        if (Environment.GetEnvironmentVariable(FileVariable) is { Length: > 0 } path)
        {
            File.AppendAllText(path, row + Environment.NewLine);
        }
    }
}
