namespace Collectives.Offload.Descriptors;

/// <summary>A descriptor was malformed or inconsistent; <see cref="Fault"/> says how.</summary>
internal sealed class DescriptorFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="fault">The reason.</param>
    /// <param name="message">A sentence naming the offending field and value.</param>
    public DescriptorFormatException(DescriptorFault fault, string message)
        : base(message)
    {
        Fault = fault;
    }

    /// <summary>Why the descriptor was rejected.</summary>
    public DescriptorFault Fault { get; }
}
