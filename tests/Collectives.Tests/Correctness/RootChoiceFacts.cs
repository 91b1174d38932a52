namespace Collectives.Tests.Correctness;

/// <summary>Maps a <see cref="RootChoice"/> to a rank.</summary>
internal static class RootChoiceFacts
{
    /// <summary>The rank this choice names among <paramref name="ranks"/> ranks (mod p, so always a valid rank).</summary>
    public static int RankIn(this RootChoice choice, int ranks) => choice switch
    {
        RootChoice.First => 0,
        RootChoice.Last => ranks - 1,
        RootChoice.Middle => ranks / 2,
        RootChoice.Second => 1 % ranks,
        _ => throw new ArgumentOutOfRangeException(nameof(choice), choice, null),
    };
}
