using Collectives.Offload.Descriptors;
using Collectives.Offload.Nic;
using Collectives.Reduction;

namespace Collectives.Offload.Building;

/// <summary>How a call's buffer splits into descriptor-sized chunks, and how a chunk moves between host layout and descriptor layout.</summary>
internal readonly struct ChunkPlan
{
    private readonly DataType _hostType;
    private readonly int _units;

    public ChunkPlan(in OffloadRequest request)
    {
        Count = DescriptorBuilder.ChunkCount(request);
        PerChunk = DescriptorBuilder.ElementsPerChunk(request.Kind, request.DataType);
        switch (request.Kind)
        {
            case CollectiveKind.Barrier:
                _hostType = default;
                _units = 0;
                break;
            case CollectiveKind.Broadcast:
                _hostType = new DataType(ElementType.UInt32, false);
                _units = request.Bytes / sizeof(uint);
                break;
            default:
                _hostType = request.DataType!.Value;
                _units = request.Count;
                break;
        }
    }

    /// <summary>Number of chunks.</summary>
    public int Count { get; }

    /// <summary>Host elements (words, for Broadcast) per full chunk.</summary>
    public int PerChunk { get; }

    /// <summary>A descriptor with the call's type fields for <paramref name="chunk"/>, addressed from and to <paramref name="node"/>.</summary>
    public Descriptor Template(in OffloadRequest request, int chunk, ushort port, int node)
    {
        Descriptor descriptor = default;
        descriptor.Source = node;
        descriptor.Destination = node;
        descriptor.Cp = port;
        descriptor.Sequence = (uint)request.Sequence;
        if (_units > 0)
        {
            descriptor.ElementType = _hostType.Element;
            descriptor.Width = Descriptor.WidthOf(_hostType.Element);
            descriptor.Count = (byte)Math.Min(PerChunk, _units - (chunk * PerChunk));
            descriptor.Op = request.Kind == CollectiveKind.Broadcast ? 0 : request.Op;
        }

        return descriptor;
    }

    /// <summary>Copies chunk <paramref name="chunk"/> of the host buffer into the descriptor (values, and locations for pairs).</summary>
    public void CopyIn(in OffloadRequest request, int chunk, ReadOnlySpan<byte> host, ref Descriptor descriptor)
    {
        if (descriptor.Count == 0)
        {
            return;
        }

        ReadOnlySpan<byte> slice = host.Slice(chunk * PerChunk * _hostType.Size, descriptor.Count * _hostType.Size);
        if (_hostType.WithIndex)
        {
            Alu.Unpack(slice, _hostType, ref descriptor);
        }
        else
        {
            slice.CopyTo(descriptor.Data);
        }
    }

    /// <summary>The completion write: copies a put's data (and locations) into the host buffer at its completion slot.</summary>
    public void CopyOut(in Descriptor put, Span<byte> host)
    {
        if (put.Count == 0)
        {
            return;
        }

        Span<byte> slice = host.Slice((int)put.CompletionSlot * _hostType.Size, put.Count * _hostType.Size);
        if (_hostType.WithIndex)
        {
            slice.Clear();
            Alu.Pack(put, _hostType, slice);
        }
        else
        {
            put.Data[..slice.Length].CopyTo(slice);
        }
    }
}
