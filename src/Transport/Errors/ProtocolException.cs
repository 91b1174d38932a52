namespace Collectives.Transport;

/// <summary>Traffic that breaks the wire protocol: garbage, a bad frame, a wrong version or secret.</summary>
public sealed class ProtocolException : CollectiveException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was wrong with the traffic.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public ProtocolException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
