using Collectives.Offload.Descriptors;

namespace Collectives.Offload.Tests.Support;

/// <summary>
/// A test case: one alteration of a well-formed descriptor and the fault it must be rejected for.
/// Public, as a test method's parameter must be, around the descriptor types, which are internal.
/// </summary>
public sealed class Malformation
{
    internal Malformation(DescriptorFault fault, DescriptorEdit edit)
    {
        Fault = fault;
        Edit = edit;
    }

    internal DescriptorFault Fault { get; }

    internal DescriptorEdit Edit { get; }
}
