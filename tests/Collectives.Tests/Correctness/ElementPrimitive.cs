namespace Collectives.Tests.Correctness;

/// <summary>The primitive element types; MinLoc/MaxLoc use <see cref="ValueIndex{TValue}"/> of the first six.</summary>
public enum ElementPrimitive
{
    /// <summary><see cref="float"/>.</summary>
    Float,

    /// <summary><see cref="double"/>.</summary>
    Double,

    /// <summary><see cref="int"/>.</summary>
    Int,

    /// <summary><see cref="long"/>.</summary>
    Long,

    /// <summary><see cref="uint"/>.</summary>
    UInt,

    /// <summary><see cref="ulong"/>.</summary>
    ULong,

    /// <summary><see cref="System.Half"/>.</summary>
    Half,

    /// <summary><see cref="Collectives.BFloat16"/>.</summary>
    BFloat16,
}
