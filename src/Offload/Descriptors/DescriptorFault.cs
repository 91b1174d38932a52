namespace Collectives.Offload.Descriptors;

/// <summary>Why a descriptor was rejected before it reached the NIC.</summary>
internal enum DescriptorFault : byte
{
    /// <summary>The descriptor is well formed.</summary>
    None = 0,

    /// <summary>Fewer bytes than <see cref="Descriptor.EncodedSize"/>.</summary>
    Truncated,

    /// <summary>The format version is not <see cref="Descriptor.FormatVersion"/>.</summary>
    UnknownVersion,

    /// <summary>The kind is not a <see cref="DescriptorKind"/>.</summary>
    UnknownKind,

    /// <summary>Flag bits other than <see cref="DescriptorFlags"/> are set.</summary>
    UnknownFlags,

    /// <summary>Error-vector bits other than <see cref="AluErrors"/> are set.</summary>
    UnknownErrorBits,

    /// <summary>The element type is not one the library knows, or one the ALU has no width for (16-bit floats).</summary>
    UnknownElementType,

    /// <summary>The reduce type (operation) is not one the library knows.</summary>
    UnknownOperation,

    /// <summary>The width is not 32 or 64 bits, or does not match the element type.</summary>
    WidthMismatch,

    /// <summary>Count elements of the width take more than <see cref="Descriptor.MaxDataBytes"/> bytes.</summary>
    DataTooLong,

    /// <summary>A reduce descriptor with branch 0: its destination would wait for nothing.</summary>
    BranchZero,

    /// <summary>The slot is not below the branch: the destination has no such input.</summary>
    SlotOutOfRange,

    /// <summary>Data that will be combined with other data, or a count without an element type, but no operation.</summary>
    MissingOperation,

    /// <summary>The ALU has no such operation on that element type (for example Prod, or a bitwise operation on floats).</summary>
    UnsupportedOperation,

    /// <summary>Bytes past the data, or location entries where the operation has no location, are not zero.</summary>
    StrayData,

    /// <summary>A negative source or destination node.</summary>
    NegativeNode,

    /// <summary>A put descriptor addressed to another node: a completion write only reaches its own host.</summary>
    PutElsewhere,
}
