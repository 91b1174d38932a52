namespace Collectives.Reduction;

/// <summary>The primitive element types the library reduces.</summary>
public enum ElementType : byte
{
    /// <summary>32-bit IEEE float.</summary>
    Float32 = 1,

    /// <summary>64-bit IEEE float.</summary>
    Float64 = 2,

    /// <summary>32-bit signed integer.</summary>
    Int32 = 3,

    /// <summary>64-bit signed integer.</summary>
    Int64 = 4,

    /// <summary>32-bit unsigned integer.</summary>
    UInt32 = 5,

    /// <summary>64-bit unsigned integer.</summary>
    UInt64 = 6,

    /// <summary>16-bit IEEE float (<see cref="System.Half"/>, binary16).</summary>
    Float16 = 7,

    /// <summary>16-bit brain float (<see cref="Collectives.BFloat16"/>): a float's sign, exponent and top 7 significand bits.</summary>
    BFloat16 = 8,
}
