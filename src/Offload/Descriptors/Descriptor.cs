using System.Diagnostics.CodeAnalysis;
using Collectives.Reduction;

namespace Collectives.Offload.Descriptors;

/// <summary>
/// One NIC descriptor, with every field of the paper (see docs/offload.md): the host submits lists
/// of them, the NIC holds each until its trigger counter reaches its threshold, and a fired
/// reduce or broadcast descriptor travels to its destination as a request packet in the same
/// format. <see cref="Encode"/> and <see cref="Decode"/> give a fixed little-endian layout of
/// <see cref="EncodedSize"/> bytes; <see cref="Validate"/> says why a descriptor is malformed.
/// </summary>
/// <remarks>
/// Nodes are physical node numbers (the builder maps ranks to nodes). Element values live in
/// <see cref="Data"/>, packed at the width; for MinLoc/MaxLoc the index of each value lives in
/// <see cref="Location"/> at the same position.
/// </remarks>
internal partial struct Descriptor
{
    /// <summary>Most bytes of reduce data one descriptor carries (the paper's 48).</summary>
    public const int MaxDataBytes = 48;

    /// <summary>Most elements one descriptor carries: 48 bytes of 32-bit values.</summary>
    public const int MaxElements = MaxDataBytes / sizeof(int);

    private DescriptorData _data;
    private DescriptorLocation _location;

    /// <summary>What the descriptor does when it fires.</summary>
    public DescriptorKind Kind { get; set; }

    /// <summary>SwpFlag and SwpMp.</summary>
    public DescriptorFlags Flags { get; set; }

    /// <summary>The reduce type (Rtype): the operation the ALU applies, or 0 when nothing is reduced.</summary>
    public ReduceOp Op { get; set; }

    /// <summary>The element type of <see cref="Data"/> (of the values, for MinLoc/MaxLoc), or 0 when there is no data.</summary>
    public ElementType ElementType { get; set; }

    /// <summary>Operand width in bits: 32 or 64, or 0 when there is no element type.</summary>
    public byte Width { get; set; }

    /// <summary>Number of elements in <see cref="Data"/>.</summary>
    public byte Count { get; set; }

    /// <summary>
    /// The branch degree at the destination: how many packets it combines on this port before its
    /// own descriptor fires (1 for broadcast packets and for the root's packet to itself).
    /// </summary>
    public byte Branch { get; set; }

    /// <summary>
    /// This packet's place among the destination's <see cref="Branch"/> inputs. The NIC combines
    /// queued packets in slot order, not arrival order, so the result has the same bits every time
    /// (the reproducibility the paper names as future work) and equals the software tree's.
    /// </summary>
    public byte Slot { get; set; }

    /// <summary>The error vector: what the ALU saw on the way to this value.</summary>
    public AluErrors Errors { get; set; }

    /// <summary>
    /// CP: the virtual port. The packet this descriptor sends increments the destination's counter
    /// on this port, and this descriptor watches its own node's counter on the same port.
    /// </summary>
    public ushort Cp { get; set; }

    /// <summary>CPCnt: the descriptor fires when its node's counter on <see cref="Cp"/> is at least this.</summary>
    public ushort CpCnt { get; set; }

    /// <summary>Which collective call the descriptor belongs to, so consecutive calls on the same ports never mix.</summary>
    public uint Sequence { get; set; }

    /// <summary>For a put: the index of the first element of the host buffer the completion write fills.</summary>
    public uint CompletionSlot { get; set; }

    /// <summary>The node that submitted the descriptor (and sends its packet).</summary>
    public int Source { get; set; }

    /// <summary>The node the packet goes to; the source itself for the root's reduce and for puts.</summary>
    public int Destination { get; set; }

    /// <summary>The 48-byte data field; the first <see cref="DataLength"/> bytes are used, the rest are zero.</summary>
    [UnscopedRef]
    public Span<byte> Data => _data;

    /// <summary>One index per element for MinLoc/MaxLoc; the first <see cref="Count"/> are used, the rest are zero.</summary>
    [UnscopedRef]
    public Span<int> Location => _location;

    /// <summary>Bytes of <see cref="Data"/> in use: count x width / 8.</summary>
    public readonly int DataLength => Count * Width / 8;

    /// <summary>Whether the operation pairs every value with a location (MinLoc, MaxLoc).</summary>
    public readonly bool HasLocation => Op is ReduceOp.MinLoc or ReduceOp.MaxLoc;

    /// <summary>Width in bits of an element type: 32 or 64.</summary>
    /// <param name="elementType">A known element type.</param>
    /// <returns>Its width.</returns>
    public static byte WidthOf(ElementType elementType) => (byte)(new DataType(elementType, false).PrimitiveSize * 8);
}
