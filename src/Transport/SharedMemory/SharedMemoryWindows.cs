namespace Collectives.Transport.SharedMemory;

/// <summary>The <see cref="ISharedMemoryWindows"/> of a shared-memory transport: the windows and slots of its segment.</summary>
internal sealed unsafe class SharedMemoryWindows(SharedMemoryJob job) : ISharedMemoryWindows
{
    public int Rank => job.Rank;

    public int Size => job.Size;

    public int WindowLength => job.Layout.WindowLength;

    public int SlotCount => SegmentLayout.SlotCount;

    public int SlotDataLength => SegmentLayout.SlotDataLength;

    public void BeginAccess() => job.Enter();

    public void EndAccess() => job.Exit();

    public Span<byte> Window(int rank)
    {
        CheckRank(rank);
        return new Span<byte>(job.At(job.Layout.Window(rank)), job.Layout.WindowLength);
    }

    public Span<byte> SlotData(int rank, int slot)
    {
        CheckRank(rank);
        CheckSlot(slot);
        return new Span<byte>(job.SlotData(rank, slot), SegmentLayout.SlotDataLength);
    }

    public long ReadSequence(int rank, int slot)
    {
        CheckRank(rank);
        CheckSlot(slot);
        return Volatile.Read(ref *job.SlotSequence(rank, slot));
    }

    public void Publish(int slot, long sequence)
    {
        CheckSlot(slot);

        // The exchange is the full fence between this write and reading the peers' sleeping flags.
        Interlocked.Exchange(ref *job.SlotSequence(job.Rank, slot), sequence);
        job.WakeAll();
    }

    public bool WaitForAll(int slot, long sequence, long deadline, CancellationToken cancellationToken, out int laggard)
    {
        CheckSlot(slot);
        var all = new AllPublished(slot, sequence);
        bool met = job.Wait(ref all, deadline, cancellationToken);
        laggard = met ? -1 : all.Laggard(job);
        return met;
    }

    private void CheckRank(int rank)
    {
        if ((uint)rank >= (uint)job.Size)
        {
            throw new ArgumentOutOfRangeException(nameof(rank), rank, $"Rank must be in [0, {job.Size}).");
        }
    }

    private static void CheckSlot(int slot)
    {
        if ((uint)slot >= SegmentLayout.SlotCount)
        {
            throw new ArgumentOutOfRangeException(nameof(slot), slot, $"Slot must be in [0, {SegmentLayout.SlotCount}).");
        }
    }
}
