using Collectives.Offload.Descriptors;

namespace Collectives.Offload.Tests.Support;

/// <summary>Changes a descriptor in place (a test case's one alteration).</summary>
/// <param name="descriptor">The descriptor to change.</param>
internal delegate void DescriptorEdit(ref Descriptor descriptor);
