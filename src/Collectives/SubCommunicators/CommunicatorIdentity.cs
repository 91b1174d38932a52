namespace Collectives.SubCommunicators;

/// <summary>
/// The identity of a new communicator (<see cref="CollectiveSignature.CommunicatorId"/>), derived
/// by each of its members alone from what they all agree on: the parent's identity, the number of
/// the parent's call that created it (the same on every rank of the parent), and its color. Two
/// communicators that share a rank differ in at least one of these, so their identities differ
/// unless 32-bit hashes collide.
/// </summary>
internal static class CommunicatorIdentity
{
    /// <summary>The identity of every communicator a job starts with.</summary>
    public const uint World = 0;

    /// <summary>The identity of the communicator of <paramref name="color"/> created by call <paramref name="sequence"/> of <paramref name="parent"/>; never <see cref="World"/>.</summary>
    public static uint Derive(uint parent, ulong sequence, int color)
    {
        ulong mixed = Mix(Mix(Mix(0x436f6c6c65637469UL ^ parent) ^ sequence) ^ (uint)color);
        uint identity = (uint)(mixed ^ (mixed >> 32));
        return identity == World ? 1 : identity;
    }

    /// <summary>SplitMix64's finaliser: every input bit moves about half the output bits.</summary>
    private static ulong Mix(ulong value)
    {
        value = (value ^ (value >> 30)) * 0xbf58476d1ce4e5b9UL;
        value = (value ^ (value >> 27)) * 0x94d049bb133111ebUL;
        return value ^ (value >> 31);
    }
}
