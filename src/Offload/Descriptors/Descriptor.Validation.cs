using Collectives.Offload.Nic;
using Collectives.Reduction;

namespace Collectives.Offload.Descriptors;

internal partial struct Descriptor
{
    private const AluErrors KnownErrors = AluErrors.IntegerOverflow | AluErrors.NaN | AluErrors.FloatOverflow;
    private const DescriptorFlags KnownFlags = DescriptorFlags.Swap | DescriptorFlags.Queue;

    /// <summary>Checks that every field is known and that the fields agree with each other.</summary>
    /// <returns>The first fault found, or <see cref="DescriptorFault.None"/>.</returns>
    public readonly DescriptorFault Validate()
    {
        if (!Enum.IsDefined(Kind))
        {
            return DescriptorFault.UnknownKind;
        }

        if ((Flags & ~KnownFlags) != 0)
        {
            return DescriptorFault.UnknownFlags;
        }

        if ((Errors & ~KnownErrors) != 0)
        {
            return DescriptorFault.UnknownErrorBits;
        }

        if (Source < 0 || Destination < 0)
        {
            return DescriptorFault.NegativeNode;
        }

        if (Kind == DescriptorKind.Put && Destination != Source)
        {
            return DescriptorFault.PutElsewhere;
        }

        DescriptorFault typeFault = ValidateType();
        if (typeFault != DescriptorFault.None)
        {
            return typeFault;
        }

        if (Kind != DescriptorKind.Put)
        {
            if (Branch == 0)
            {
                return DescriptorFault.BranchZero;
            }

            if (Slot >= Branch)
            {
                return DescriptorFault.SlotOutOfRange;
            }
        }

        return HasStrayData() ? DescriptorFault.StrayData : DescriptorFault.None;
    }

    /// <summary>Throws when <see cref="Validate"/> finds a fault.</summary>
    /// <exception cref="DescriptorFormatException">The descriptor is malformed; the fault and message say how.</exception>
    public readonly void ThrowIfInvalid()
    {
        DescriptorFault fault = Validate();
        if (fault != DescriptorFault.None)
        {
            throw new DescriptorFormatException(fault, Describe(fault));
        }
    }

    /// <inheritdoc />
    public override readonly string ToString()
        => $"{Kind} {Source}->{Destination} seq {Sequence} CP {Cp} CPCnt {CpCnt} branch {Branch} slot {Slot} {Op} {Count} x {ElementType}/{Width} errors {Errors}";

    private readonly DescriptorFault ValidateType()
    {
        if (ElementType == 0)
        {
            return Width != 0 ? DescriptorFault.WidthMismatch
                : Count != 0 ? DescriptorFault.MissingOperation
                : Op != 0 && !Enum.IsDefined(Op) ? DescriptorFault.UnknownOperation
                : DescriptorFault.None;
        }

        if (!AluOperations.HasWidthFor(ElementType))
        {
            return DescriptorFault.UnknownElementType;
        }

        if (Width != WidthOf(ElementType))
        {
            return DescriptorFault.WidthMismatch;
        }

        if (DataLength > MaxDataBytes)
        {
            return DescriptorFault.DataTooLong;
        }

        if (Op != 0 && !Enum.IsDefined(Op))
        {
            return DescriptorFault.UnknownOperation;
        }

        // Data with no operation is fine only where nothing is ever combined with it.
        if (Count > 0 && Op == 0 && (Branch > 1 || (Kind == DescriptorKind.Reduce && CpCnt > 0)))
        {
            return DescriptorFault.MissingOperation;
        }

        return Op != 0 && !AluOperations.Supports(Op, ElementType) ? DescriptorFault.UnsupportedOperation : DescriptorFault.None;
    }

    private readonly bool HasStrayData()
    {
        if (((ReadOnlySpan<byte>)_data)[Math.Min(DataLength, MaxDataBytes)..].ContainsAnyExcept((byte)0))
        {
            return true;
        }

        int locations = HasLocation ? Math.Min((int)Count, MaxElements) : 0;
        return ((ReadOnlySpan<int>)_location)[locations..].ContainsAnyExcept(0);
    }

    private readonly string Describe(DescriptorFault fault) => fault switch
    {
        DescriptorFault.UnknownKind => $"Unknown descriptor kind {(byte)Kind}.",
        DescriptorFault.UnknownFlags => $"Unknown flag bits 0x{(byte)(Flags & ~KnownFlags):X2} (known: SwpFlag, SwpMp).",
        DescriptorFault.UnknownErrorBits => $"Unknown error-vector bits 0x{(byte)(Errors & ~KnownErrors):X2}.",
        DescriptorFault.NegativeNode => $"Source node {Source} and destination node {Destination} must not be negative.",
        DescriptorFault.PutElsewhere => $"A put descriptor writes to its own host, but node {Source} addresses node {Destination}.",
        DescriptorFault.UnknownElementType => Enum.IsDefined(ElementType)
            ? $"Element type {ElementType} has no descriptor encoding: the ALU works on 32- and 64-bit elements."
            : $"Unknown element type {(byte)ElementType}.",
        DescriptorFault.WidthMismatch => ElementType == 0
            ? $"Width {Width} given without an element type."
            : $"Width {Width} does not match {ElementType}, which is {WidthOf(ElementType)} bits wide.",
        DescriptorFault.DataTooLong => $"{Count} elements of {Width} bits take {DataLength} bytes; a descriptor carries at most {MaxDataBytes}.",
        DescriptorFault.UnknownOperation => $"Unknown reduce type {(byte)Op}.",
        DescriptorFault.MissingOperation => ElementType == 0
            ? $"{Count} elements but no element type."
            : $"{Count} x {ElementType} would be combined (branch {Branch}, CPCnt {CpCnt}) but no operation is named.",
        DescriptorFault.UnsupportedOperation => $"The NIC's ALU has no {Op} on {ElementType}.",
        DescriptorFault.BranchZero => $"A {Kind} descriptor needs branch 1 or more: its destination would wait for nothing.",
        DescriptorFault.SlotOutOfRange => $"Slot {Slot} is not below branch {Branch}.",
        DescriptorFault.StrayData => "Bytes past the data, location entries past the count (or on an operation without location), or reserved bytes are not zero.",
        _ => fault.ToString(),
    };
}
