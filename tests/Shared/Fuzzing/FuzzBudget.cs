using System.Globalization;

namespace Collectives.Testing.Fuzzing;

/// <summary>
/// How many inputs each fuzz property tries: <see cref="DefaultIterations"/> in an ordinary test
/// run (a few seconds for the whole fuzzing set), more when <see cref="Variable"/> says so, as
/// for the one-off runs of a million inputs per decoder recorded in docs/reliability.md.
/// </summary>
internal static class FuzzBudget
{
    /// <summary>The environment variable that sets the number of inputs per property.</summary>
    public const string Variable = "COLLECTIVES_FUZZ_ITERATIONS";

    /// <summary>Inputs per property when <see cref="Variable"/> is not set.</summary>
    public const long DefaultIterations = 3_000;

    /// <summary>
    /// How long one input may take before it counts as a hang: generous, because the machine is
    /// shared and loaded; what matters is that a hang fails the test instead of stalling the suite.
    /// </summary>
    public static readonly TimeSpan HangBound = TimeSpan.FromSeconds(30);

    /// <summary>Inputs per property for this run.</summary>
    public static long Iterations { get; } = Read(Environment.GetEnvironmentVariable(Variable));

    private static long Read(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return DefaultIterations;
        }

        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long iterations) || iterations < 1)
        {
            throw new InvalidOperationException($"{Variable} must be a whole number of inputs, 1 or more; got '{text}'.");
        }

        return iterations;
    }
}
