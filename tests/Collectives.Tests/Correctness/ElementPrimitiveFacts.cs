namespace Collectives.Tests.Correctness;

/// <summary>What the tests need to know about each <see cref="ElementPrimitive"/>.</summary>
internal static class ElementPrimitiveFacts
{
    /// <summary>The C# keyword (the type's name for the 16-bit floats), as test names use it: <c>float</c>, <c>ulong</c>, <c>Half</c>, ...</summary>
    public static string Keyword(this ElementPrimitive primitive) => primitive switch
    {
        ElementPrimitive.Float => "float",
        ElementPrimitive.Double => "double",
        ElementPrimitive.Int => "int",
        ElementPrimitive.Long => "long",
        ElementPrimitive.UInt => "uint",
        ElementPrimitive.ULong => "ulong",
        ElementPrimitive.Half => "Half",
        ElementPrimitive.BFloat16 => "BFloat16",
        _ => throw new ArgumentOutOfRangeException(nameof(primitive), primitive, null),
    };

    public static bool IsInteger(this ElementPrimitive primitive) => primitive is not (ElementPrimitive.Float or ElementPrimitive.Double) && !primitive.IsSixteenBit();

    /// <summary>Whether the primitive is one of the 16-bit floats, which reduce only with Sum, Prod, Min and Max.</summary>
    public static bool IsSixteenBit(this ElementPrimitive primitive) => primitive is ElementPrimitive.Half or ElementPrimitive.BFloat16;

    /// <summary>
    /// Whether <paramref name="op"/> is defined on elements of <paramref name="primitive"/> (on
    /// <see cref="ValueIndex{TValue}"/> of it, for MinLoc and MaxLoc): logical and bitwise
    /// operations need an integer type; the 16-bit floats have Sum, Prod, Min and Max only (no
    /// value and index pairs); the others work on all six other types.
    /// </summary>
    public static bool Supports(this ElementPrimitive primitive, ReduceOp op)
        => primitive.IsSixteenBit() ? op is ReduceOp.Sum or ReduceOp.Prod or ReduceOp.Min or ReduceOp.Max
            : op < ReduceOp.LogicalAnd || primitive.IsInteger();
}
