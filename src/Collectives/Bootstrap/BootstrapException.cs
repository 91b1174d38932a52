using Collectives.Transport;

namespace Collectives.Bootstrap;

/// <summary>
/// The environment does not say, or contradicts itself about, which rank this process is, how
/// many ranks there are, or where the rendezvous server is. The message names the variables that
/// were looked for and what was wrong with them.
/// </summary>
public sealed class BootstrapException : CollectiveException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was missing or wrong, naming the variables.</param>
    /// <param name="variables">The variables involved.</param>
    public BootstrapException(string message, IReadOnlyList<string> variables)
        : base(message)
    {
        Variables = variables;
    }

    /// <summary>The environment variables involved (looked for, missing, or contradictory).</summary>
    public IReadOnlyList<string> Variables { get; }
}
