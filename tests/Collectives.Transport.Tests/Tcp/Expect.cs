namespace Collectives.Transport.Tests.Tcp;

/// <summary>Awaits an operation that must fail and returns the exception, for assertions on its details.</summary>
internal static class Expect
{
    /// <summary>The operation must throw <typeparamref name="T"/> or a type derived from it.</summary>
    public static async Task<T> Throws<T>(Func<Task> operation) where T : Exception
    {
        T? exception = await Assert.CatchAsync<T>(async () => await operation());
        Assert.That(exception, Is.Not.Null);
        return exception!;
    }

    /// <inheritdoc cref="Throws{T}(Func{Task})"/>
    public static Task<T> Throws<T>(Func<ValueTask> operation) where T : Exception => Throws<T>(() => operation().AsTask());

    /// <inheritdoc cref="Throws{T}(Func{Task})"/>
    public static Task<T> Throws<T>(Func<ValueTask<ReceivedMessage>> operation) where T : Exception => Throws<T>(() => operation().AsTask());
}
