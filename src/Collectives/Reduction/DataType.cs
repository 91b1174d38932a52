using System.Runtime.CompilerServices;

namespace Collectives.Reduction;

/// <summary>
/// The type of one element of a collective's buffer: a primitive, or a primitive paired with an
/// index (<see cref="ValueIndex{TValue}"/>) for MinLoc/MaxLoc.
/// </summary>
/// <param name="Element">The primitive type (of the value, for pairs).</param>
/// <param name="WithIndex">Whether elements are <see cref="ValueIndex{TValue}"/> pairs.</param>
public readonly record struct DataType(ElementType Element, bool WithIndex)
{
    /// <summary>Whether the primitive is a floating-point type.</summary>
    public bool IsFloatingPoint => Element is ElementType.Float32 or ElementType.Float64 or ElementType.Float16 or ElementType.BFloat16;

    /// <summary>Size in bytes of the primitive (of the value, for pairs).</summary>
    public int PrimitiveSize => Element switch
    {
        ElementType.Float16 or ElementType.BFloat16 => 2,
        ElementType.Float32 or ElementType.Int32 or ElementType.UInt32 => 4,
        _ => 8,
    };

    /// <summary>Size in bytes of one element, padding included.</summary>
    public int Size => WithIndex ? PrimitiveSize * 2 : PrimitiveSize;

    /// <summary>A one-byte code for wire formats: the element type, high bit set for pairs.</summary>
    public byte Code => (byte)((byte)Element | (WithIndex ? 0x80 : 0));

    /// <summary>Decodes <see cref="Code"/>; returns false for an unknown code.</summary>
    /// <param name="code">The code.</param>
    /// <param name="dataType">The decoded type.</param>
    /// <returns>Whether the code names a known type.</returns>
    public static bool TryFromCode(byte code, out DataType dataType)
    {
        var element = (ElementType)(code & 0x7F);
        dataType = new DataType(element, (code & 0x80) != 0);
        return element is >= ElementType.Float32 and <= ElementType.BFloat16;
    }

    /// <summary>The data type of <typeparamref name="T"/>, or <see langword="null"/> when the library does not support it.</summary>
    /// <typeparam name="T">An element type.</typeparam>
    /// <returns>The data type, or null.</returns>
    public static DataType? Of<T>() where T : unmanaged => DataTypeCache<T>.Value;

    /// <inheritdoc />
    public override string ToString() => WithIndex ? $"ValueIndex<{Element}>" : Element.ToString();

    private static class DataTypeCache<T> where T : unmanaged
    {
        public static readonly DataType? Value = Resolve();

        private static DataType? Resolve()
        {
            ElementType? primitive = Primitive(typeof(T));
            if (primitive is { } element)
            {
                return new DataType(element, false);
            }

            Type type = typeof(T);
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ValueIndex<>)
                && Primitive(type.GetGenericArguments()[0]) is { } valueElement)
            {
                var pair = new DataType(valueElement, true);
                return Unsafe.SizeOf<T>() == pair.Size ? pair : null;
            }

            return null;
        }

        private static ElementType? Primitive(Type type) =>
            type == typeof(float) ? ElementType.Float32
            : type == typeof(double) ? ElementType.Float64
            : type == typeof(int) ? ElementType.Int32
            : type == typeof(long) ? ElementType.Int64
            : type == typeof(uint) ? ElementType.UInt32
            : type == typeof(ulong) ? ElementType.UInt64
            : type == typeof(Half) ? ElementType.Float16
            : type == typeof(BFloat16) ? ElementType.BFloat16
            : null;
    }
}
