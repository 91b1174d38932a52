namespace Collectives.Transport;

/// <summary>
/// Base of every failure the Collectives library reports: catch this to handle any of them.
/// After one is thrown by a communicator, that communicator is broken and should be disposed.
/// </summary>
public abstract class CollectiveException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong, naming the ranks involved.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    protected CollectiveException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
