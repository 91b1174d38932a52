namespace Collectives.Tests.Correctness;

/// <summary>What the tests need to know about each <see cref="ElementPrimitive"/>.</summary>
internal static class ElementPrimitiveFacts
{
    /// <summary>The C# keyword, as test names use it: <c>float</c>, <c>ulong</c>, ...</summary>
    public static string Keyword(this ElementPrimitive primitive) => primitive switch
    {
        ElementPrimitive.Float => "float",
        ElementPrimitive.Double => "double",
        ElementPrimitive.Int => "int",
        ElementPrimitive.Long => "long",
        ElementPrimitive.UInt => "uint",
        ElementPrimitive.ULong => "ulong",
        _ => throw new ArgumentOutOfRangeException(nameof(primitive), primitive, null),
    };

    public static bool IsInteger(this ElementPrimitive primitive) => primitive is not (ElementPrimitive.Float or ElementPrimitive.Double);

    /// <summary>
    /// Whether <paramref name="op"/> is defined on elements of <paramref name="primitive"/> (on
    /// <see cref="ValueIndex{TValue}"/> of it, for MinLoc and MaxLoc): logical and bitwise
    /// operations need an integer type; the others work on all six.
    /// </summary>
    public static bool Supports(this ElementPrimitive primitive, ReduceOp op)
        => op < ReduceOp.LogicalAnd || primitive.IsInteger();
}
