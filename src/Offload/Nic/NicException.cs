namespace Collectives.Offload.Nic;

/// <summary>The NIC refused a descriptor or a packet; <see cref="Fault"/> says why.</summary>
internal sealed class NicException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="node">The NIC's node.</param>
    /// <param name="fault">The reason.</param>
    /// <param name="message">What happened, naming the descriptor or packet.</param>
    public NicException(int node, NicFault fault, string message)
        : base($"NIC of node {node}: {message}")
    {
        Node = node;
        Fault = fault;
    }

    /// <summary>The node whose NIC refused.</summary>
    public int Node { get; }

    /// <summary>Why.</summary>
    public NicFault Fault { get; }
}
