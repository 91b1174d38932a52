using System.Runtime.InteropServices;
using Collectives.Reduction;

namespace Collectives.Offload.Tests.Support;

/// <summary>Calls a communicator's generic collectives on byte buffers whose element type is known only at run time.</summary>
internal static class TypedCalls
{
    public static void Allreduce(Communicator communicator, DataType type, ReduceOp op, byte[] buffer, AllreduceAlgorithm algorithm = AllreduceAlgorithm.Auto)
        => Dispatch(type, new AllreduceCall(communicator, op, buffer, algorithm));

    public static void Reduce(Communicator communicator, DataType type, ReduceOp op, byte[] send, byte[] receive, int root, ReduceAlgorithm algorithm)
        => Dispatch(type, new ReduceCall(communicator, op, send, receive, root, algorithm));

    private static void Dispatch<TCall>(DataType type, TCall call)
        where TCall : ITypedCall
    {
        switch (type.Element, type.WithIndex)
        {
            case (ElementType.Float32, false): call.Invoke<float>(); break;
            case (ElementType.Float64, false): call.Invoke<double>(); break;
            case (ElementType.Int32, false): call.Invoke<int>(); break;
            case (ElementType.Int64, false): call.Invoke<long>(); break;
            case (ElementType.UInt32, false): call.Invoke<uint>(); break;
            case (ElementType.UInt64, false): call.Invoke<ulong>(); break;
            case (ElementType.Float32, true): call.Invoke<ValueIndex<float>>(); break;
            case (ElementType.Float64, true): call.Invoke<ValueIndex<double>>(); break;
            case (ElementType.Int32, true): call.Invoke<ValueIndex<int>>(); break;
            case (ElementType.Int64, true): call.Invoke<ValueIndex<long>>(); break;
            case (ElementType.UInt32, true): call.Invoke<ValueIndex<uint>>(); break;
            default: call.Invoke<ValueIndex<ulong>>(); break;
        }
    }

    private interface ITypedCall
    {
        void Invoke<T>() where T : unmanaged;
    }

    private readonly record struct AllreduceCall(Communicator Communicator, ReduceOp Op, byte[] Buffer, AllreduceAlgorithm Algorithm) : ITypedCall
    {
        public void Invoke<T>() where T : unmanaged
            => Communicator.Allreduce(MemoryMarshal.Cast<byte, T>(Buffer.AsSpan()), Op, Algorithm);
    }

    private readonly record struct ReduceCall(Communicator Communicator, ReduceOp Op, byte[] Send, byte[] Receive, int Root, ReduceAlgorithm Algorithm) : ITypedCall
    {
        public void Invoke<T>() where T : unmanaged
            => Communicator.Reduce<T>(MemoryMarshal.Cast<byte, T>(Send.AsSpan()), MemoryMarshal.Cast<byte, T>(Receive.AsSpan()), Op, Root, Algorithm);
    }
}
