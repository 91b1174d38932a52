using CsCheck;

namespace Collectives.Testing.Fuzzing;

/// <summary>Runs a property over <see cref="FuzzBudget.Iterations"/> generated inputs on one thread (the machine is shared).</summary>
internal static class Fuzz
{
    /// <summary>Checks <paramref name="property"/> (which throws on failure) for every input; CsCheck shrinks a failing one and prints its seed.</summary>
    public static void Check<T>(Gen<T> inputs, Action<T> property, Func<T, string>? print = null)
        => inputs.Sample(property, iter: FuzzBudget.Iterations, threads: 1, print: print);

    /// <summary>The same for byte inputs, printed as hex so a failure can be replayed by hand.</summary>
    public static void Check(Gen<byte[]> inputs, Action<byte[]> property)
        => Check(inputs, property, Convert.ToHexString);

    /// <summary>
    /// Runs an asynchronous decoder on a pool thread and waits at most
    /// <see cref="FuzzBudget.HangBound"/>, so a hang (even a synchronous loop) fails with a
    /// <see cref="TimeoutException"/>; exceptions it throws come back as they are.
    /// </summary>
    public static T WithinHangBound<T>(Func<Task<T>> decode)
        => Task.Run(decode).WaitAsync(FuzzBudget.HangBound).GetAwaiter().GetResult();

    /// <summary>
    /// Runs <paramref name="decode"/>: what it returned, or what it threw if it threw exactly
    /// <typeparamref name="TDocumented"/>. Any other exception propagates and fails the property.
    /// </summary>
    public static Decoded<T> Decode<T, TDocumented>(Func<T> decode)
        where TDocumented : Exception
    {
        T value = default!;
        TDocumented? rejection = Rejection<TDocumented>(() => value = decode());
        return new Decoded<T>(rejection is null ? value : default, rejection);
    }

    /// <summary>
    /// Runs <paramref name="decode"/> and returns what it threw, if it threw exactly
    /// <typeparamref name="TDocumented"/>. Any other exception propagates and fails the property.
    /// </summary>
    public static TDocumented? Rejection<TDocumented>(Action decode)
        where TDocumented : Exception
    {
        try
        {
            decode();
            return null;
        }
        catch (TDocumented exception) when (exception.GetType() == typeof(TDocumented))
        {
            return exception;
        }
    }

    /// <summary>
    /// Managed bytes this thread allocates in a second run of <paramref name="decode"/> (the first
    /// warms up whatever a first call loads once), so the figure is what every further input costs.
    /// </summary>
    public static long BytesAllocatedBy(Action decode)
    {
        decode();
        long before = GC.GetAllocatedBytesForCurrentThread();
        decode();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}

/// <summary>What a decoder made of some bytes: a value, or the documented exception it threw.</summary>
/// <param name="Value">The decoded value (default when rejected).</param>
/// <param name="Rejection">The documented exception, or null.</param>
internal readonly record struct Decoded<T>(T? Value, Exception? Rejection)
{
    /// <summary>Whether the decoder refused the bytes.</summary>
    public bool Rejected => Rejection is not null;
}
